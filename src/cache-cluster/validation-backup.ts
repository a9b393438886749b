import { Token } from 'aws-cdk-lib';
import { CacheClusterMode } from './engine';
import { CacheClusterSpec } from './spec';
import { backupTargetProblems } from '../platform/backup-target-validation';
import { invalidPropMessage } from '../platform/errors';
import { CRON_HINT, cronProblem } from '../platform/grammar/cron';
import { PlatformTarget } from '../platform/target';
import { grammarProblem, integerInRange, Rule } from '../platform/validation';

/** Names of backup files: what the backup Job writes (`<stamp>[-slots-a-b].rdb`) or any plain file name. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.rdb$/;
/** ElastiCache snapshot names: a letter, then letters, digits and single hyphens, not ending with one. */
const SNAPSHOT_NAME = /^[A-Za-z](?:-?[A-Za-z0-9])*$/;

const kubernetesBackup: Rule<CacheClusterSpec> = (scope, s) => {
  const b = s.kubernetes.backup;
  const days = b.retentionDays;
  return [
    ...grammarProblem(scope, 'kubernetes.backup.schedule', Token.isUnresolved(b.schedule) ? undefined : cronProblem(b.schedule), b.schedule, CRON_HINT),
    ...(Number.isInteger(days) && days >= 1 && days <= 3650 ? [] : [invalidPropMessage(scope, 'kubernetes.backup.retention', 'is out of range', `${days} days`,
      'keep snapshots whole days, from 1 to 3650')]),
    ...(b.maxSnapshots === 0 ? [] : integerInRange(scope, 'kubernetes.backup.maxSnapshots', b.maxSnapshots, 1, 10_000)),
    ...(Number.isInteger(b.maxAgeSeconds) && b.maxAgeSeconds >= 3600 ? [] : [invalidPropMessage(scope, 'kubernetes.backup.maxAge', 'is too short',
      `${b.maxAgeSeconds} seconds`, 'use whole seconds, at least Duration.hours(1), above the interval of kubernetes.backup.schedule')]),
    ...backupTargetProblems(scope, 'kubernetes.backup.target', b.target),
  ];
};

/** File names, one per shard where the target can only seed shard by shard. */
function restoreFiles(scope: Parameters<Rule<CacheClusterSpec>>[0], s: CacheClusterSpec, exactlyOne: boolean): string[] {
  const files = s.restoreFrom!.files;
  const bad = files.filter(f => !FILE_NAME.test(f));
  return [
    ...(files.length === 0 ? [invalidPropMessage(scope, 'restoreFrom', 'names no file', '[]', 'name the RDB files of one backup run, e.g. ["20260101T030000Z.rdb"]')] : []),
    ...(exactlyOne && files.length > 1 ? [invalidPropMessage(scope, 'restoreFrom', 'names more than one file in replication mode', files.join(', '),
      'restore one snapshot: a replication-mode cache has one data set (the files of a cluster-mode backup restore into cluster mode)')] : []),
    ...bad.map(f => invalidPropMessage(scope, 'restoreFrom', 'names a file that is not an RDB snapshot name', f,
      'use a file name relative to the target (its prefix applies), ending in ".rdb", of letters, digits, ".", "_" and "-"')),
    ...(new Set(files).size < files.length ? [invalidPropMessage(scope, 'restoreFrom', 'names a file twice', files.join(', '), 'name each file once')] : []),
  ];
}

const restoreOnKubernetes: Rule<CacheClusterSpec> = (scope, s) => {
  const r = s.restoreFrom;
  if (!r) return [];
  if (r.snapshotName !== undefined) {
    return [invalidPropMessage(scope, 'restoreFrom', `is an ElastiCache snapshot, which ${PlatformTarget.KUBERNETES} cannot read`, r.snapshotName,
      'export it to S3 (ElastiCache "Export snapshot") and use CacheRestoreSource.fromBackup(BackupTarget.s3(…), [files])')];
  }
  return [
    ...restoreFiles(scope, s, s.mode === CacheClusterMode.REPLICATION),
    ...backupTargetProblems(scope, 'restoreFrom.target', r.target),
  ];
};

const restoreOnAws: Rule<CacheClusterSpec> = (scope, s) => {
  const r = s.restoreFrom;
  if (!r) return [];
  if (r.snapshotName !== undefined) {
    return Token.isUnresolved(r.snapshotName) || (SNAPSHOT_NAME.test(r.snapshotName) && r.snapshotName.length <= 255) ? [] : [
      invalidPropMessage(scope, 'restoreFrom', 'is not an ElastiCache snapshot name', r.snapshotName,
        'use a letter, then letters, digits and single hyphens, not ending with a hyphen (at most 255)'),
    ];
  }
  const s3 = r.target?.s3Options;
  if (!s3) {
    return [invalidPropMessage(scope, 'restoreFrom', `is a volume backup, which ${PlatformTarget.AWS} cannot read`, 'BackupTarget.volume()',
      'copy the RDB files to an S3 bucket ElastiCache may read and use CacheRestoreSource.fromBackup(BackupTarget.s3(…), [files])')];
  }
  return [
    ...restoreFiles(scope, s, s.mode === CacheClusterMode.REPLICATION),
    ...backupTargetProblems(scope, 'restoreFrom.target', r.target),
    ...(s3.endpoint !== undefined ? [invalidPropMessage(scope, 'restoreFrom.target.endpoint', `is not Amazon S3, where ElastiCache reads seeds on ${PlatformTarget.AWS}`, s3.endpoint,
      'copy the files to an Amazon S3 bucket in the stack\'s region and remove endpoint')] : []),
  ];
};

export const BACKUP_AWS_RULES: Rule<CacheClusterSpec>[] = [restoreOnAws];
export const BACKUP_KUBERNETES_RULES: Rule<CacheClusterSpec>[] = [kubernetesBackup, restoreOnKubernetes];
