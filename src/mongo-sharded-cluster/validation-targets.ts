import { RemovalPolicy, Size, SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import { BACKUP_NAME, POINT_IN_TIME } from './restore';
import { MongoShardedClusterSpec } from './spec';
import { dailyStartMinute, MIN_WINDOW_MINUTES, overlapsDaily, parseWeeklyWindow } from './windows';
import { invalidPropMessage } from '../platform/errors';
import { isDnsLabel } from '../platform/names';
import { integerInRange, numberAbove, Rule } from '../platform/validation';

type MongoRule = Rule<MongoShardedClusterSpec>;

/** Vote-bearing members MongoDB allows in one replica set. */
const MAX_VOTING_MEMBERS = 7;
const SHARD_CAPACITIES = [2, 4, 8, 16, 32, 64];
const DEFAULT_MAINTENANCE_WINDOW = 'sun:05:00-sun:05:30';
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function maintenanceWindowOf(spec: MongoShardedClusterSpec): string {
  return spec.aws.preferredMaintenanceWindow ?? DEFAULT_MAINTENANCE_WINDOW;
}

const ELASTIC_MANAGED: Record<string, string> = {
  configServers: 'DocumentDB Elastic manages its own cluster metadata; leave configServers unset (3)',
  routers: 'DocumentDB Elastic routes queries itself; leave routers unset (2)',
  storageSize: 'DocumentDB Elastic storage grows automatically; leave storageSize unset',
  storageClass: 'DocumentDB Elastic has no storage classes; leave storageClass unset',
  version: 'DocumentDB Elastic chooses its engine (MongoDB API compatibility) itself; leave version unset',
};
const DEFAULTS: Record<string, (s: MongoShardedClusterSpec) => boolean> = {
  configServers: s => s.configServers === 3,
  routers: s => s.routers === 2,
};

const elasticManaged: MongoRule = (scope, s) => Object.entries(ELASTIC_MANAGED)
  .filter(([prop]) => s.explicitlySet.has(prop) && !(DEFAULTS[prop]?.(s) ?? false))
  .map(([prop, valid]) => invalidPropMessage(scope, prop, 'cannot be honoured by DocumentDB Elastic on aws',
    prop === 'storageSize' ? `${s.storageGiB} GiB` : (s as any)[prop], valid));

const elasticTopology: MongoRule = (scope, s) => [
  ...integerInRange(scope, 'membersPerShard', s.membersPerShard, 1, 15)
    .map(m => m.replace('is out of range', 'exceeds DocumentDB Elastic\'s shard instance count on aws')),
  ...(s.tls ? [] : [invalidPropMessage(scope, 'tls', 'cannot be turned off on aws', false,
    'DocumentDB Elastic always encrypts connections; leave tls unset (true)')]),
  ...(SHARD_CAPACITIES.includes(s.aws.shardCapacity ?? 2) ? [] : [invalidPropMessage(scope, 'aws.shardCapacity',
    'is not a DocumentDB Elastic shard capacity', s.aws.shardCapacity, `use ${SHARD_CAPACITIES.join(', ')} vCPUs`)]),
  ...(s.aws.removalPolicy === RemovalPolicy.SNAPSHOT ? [invalidPropMessage(scope, 'aws.removalPolicy',
    'cannot be SNAPSHOT for DocumentDB Elastic', 'SNAPSHOT',
    'CloudFormation cannot snapshot AWS::DocDBElastic::Cluster on deletion: use RETAIN (default) and take a manual snapshot before DESTROY')] : []),
];

const elasticBackups: MongoRule = (scope, s) => {
  const problems: string[] = [];
  const start = dailyStartMinute(s.backup.schedule);
  if (start === undefined) {
    problems.push(invalidPropMessage(scope, 'backup.schedule', 'is not daily, which DocumentDB Elastic requires on aws', s.backup.schedule,
      'DocumentDB takes one automated snapshot a day: use "M H * * *" (UTC), which becomes the 30-minute backup window'));
  }
  if (s.backup.retentionDays > 35) {
    problems.push(invalidPropMessage(scope, 'backup.retention', 'exceeds what DocumentDB Elastic keeps on aws', `${s.backup.retentionDays} days`,
      'use 7 to 35 days; copy snapshots elsewhere for longer retention'));
  }
  const window = maintenanceWindowOf(s);
  const weekly = parseWeeklyWindow(window);
  if (!weekly || weekly.length < MIN_WINDOW_MINUTES) {
    problems.push(invalidPropMessage(scope, 'aws.preferredMaintenanceWindow', 'is not a weekly window of at least 30 minutes', window,
      'use "ddd:hh24:mi-ddd:hh24:mi" in UTC, e.g. "sun:05:00-sun:05:30"'));
  } else if (start !== undefined && overlapsDaily(weekly, start)) {
    problems.push(invalidPropMessage(scope, 'aws.preferredMaintenanceWindow', 'overlaps the daily backup window', window,
      `move it outside the 30 minutes after ${s.backup.schedule} (backup.schedule)`));
  }
  return problems;
};

const elasticShardKeys: MongoRule = (scope, s) => s.collections
  .filter(c => !c.key.isHashed || c.key.fields.length !== 1 || c.key.unique)
  .map(c => invalidPropMessage(scope, `shardKeys.${c.namespace}`, 'is not a single hashed field, which DocumentDB Elastic requires on aws',
    c.key.fields, 'use MongoShardKey.hashed(field)'));

const elasticAdminPassword: MongoRule = (scope, s) => {
  const secret = s.adminPassword;
  if (!secret || (secret.secretsManagerSecret && secret.key === undefined)) return [];
  return [invalidPropMessage(scope, 'adminPassword', 'is not a whole Secrets Manager secret', secret.secretName ?? secret.key,
    'DocumentDB Elastic reads the whole secret value as the password (auth type SECRET_ARN): pass PlatformSecret.fromSecretsManager(secret) without a JSON field, or omit adminPassword to generate one')];
};

const elasticName: MongoRule = (scope, s) => s.name.includes('--') ? [invalidPropMessage(scope, 'clusterName',
  'contains "--", which DocumentDB Elastic refuses on aws', s.name, 'use single hyphens')] : [];

const elasticInterval: MongoRule = (scope, s) => {
  const interval = s.aws.shardingInterval;
  if (!interval || Token.isUnresolved(interval.toMinutes({ integral: false }))) return [];
  return integerInRange(scope, 'aws.shardingInterval', interval.toMinutes({ integral: false }), 5, 7 * 24 * 60)
    .map(m => m.replace('use an integer from 5 to 10080', 'use whole minutes from 5 minutes to 7 days'));
};

export const AWS_RULES: MongoRule[] = [
  elasticManaged, elasticTopology, elasticBackups, elasticShardKeys, elasticAdminPassword, elasticName, elasticInterval,
];

const votingMembers: MongoRule = (scope, s) => [
  ...(s.membersPerShard > MAX_VOTING_MEMBERS ? [invalidPropMessage(scope, 'membersPerShard', 'exceeds MongoDB\'s voting members',
    s.membersPerShard, `use at most ${MAX_VOTING_MEMBERS} (a replica set has at most 7 voting members)`)] : []),
  ...(s.configServers > MAX_VOTING_MEMBERS ? [invalidPropMessage(scope, 'configServers', 'exceeds MongoDB\'s voting members',
    s.configServers, `use at most ${MAX_VOTING_MEMBERS} (a replica set has at most 7 voting members)`)] : []),
];

/** MongoDB releases Percona Backup for MongoDB 2.x backs up and restores: 6.0, 7.0 and 8.0 (no rapid releases), pinned. */
export function isSupportedMongoVersion(version: string): boolean {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match) return false;
  const [major, minor] = match.slice(1).map(Number);
  return minor === 0 && [6, 7, 8].includes(major);
}

const version: MongoRule = (scope, s) => isSupportedMongoVersion(s.version) ? [] : [invalidPropMessage(scope, 'version',
  'is not a pinned, supported MongoDB version', s.version, 'use major.minor.patch of 6.0, 7.0 or 8.0 (what Percona Backup for MongoDB backs up)')];

const kubernetesStorage: MongoRule = (scope, s) => {
  const classes: Array<[string, string | undefined]> = [['storageClass', s.storageClass]];
  return classes.filter(([, c]) => c !== undefined && !DNS_SUBDOMAIN.test(c))
    .map(([prop, c]) => invalidPropMessage(scope, prop, 'is not a StorageClass name', c, 'use a lowercase DNS subdomain, e.g. "gp3"'));
};

const kubernetesResources: MongoRule = (scope, s) => ([['memberResources', s.kubernetes.memberResources], ['routerResources', s.kubernetes.routerResources]] as const)
  .flatMap(([prop, r]) => r ? [
    ...numberAbove(scope, `kubernetes.${prop}.cpu`, r.cpu, 0, 64),
    ...(Number.isInteger(mebibytes(r.memory)) && mebibytes(r.memory) >= 256 ? [] : [invalidPropMessage(scope, `kubernetes.${prop}.memory`, 'is too small',
      `${mebibytes(r.memory)} MiB`, 'give mongod and mongos at least 256 whole MiB')]),
  ] : []);

const mebibytes = (size: Size) => size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });

/**
 * The backup target as Percona Backup for MongoDB uses it: every agent writes to the same directory,
 * so a volume is one existing ReadWriteMany claim, which the construct does not render (it would need
 * an RWX class it cannot check, and `kubectl delete -f` would delete it with the backups); S3 agents
 * stream to the bucket, with no scratch space.
 */
const backupTarget: MongoRule = (scope, s) => {
  const target = s.kubernetes.backupTarget;
  const volume = target?.volumeOptions;
  const problems: string[] = [];
  const unsupported = (prop: string, value: unknown, valid: string) =>
    problems.push(invalidPropMessage(scope, `kubernetes.backupTarget.${prop}`, 'is not used by MongoShardedCluster backups', value, valid));
  if (volume?.size !== undefined) {
    unsupported('size', `${volume.size.toGibibytes({ rounding: SizeRoundingBehavior.NONE })} GiB`,
      'the agents share an existing ReadWriteMany claim (claimName): size it where you create it');
  }
  if (volume?.storageClass !== undefined) {
    unsupported('storageClass', volume.storageClass, 'the agents share an existing ReadWriteMany claim (claimName): choose its class (NFS, CephFS, EFS…) where you create it');
  }
  if (volume?.claimName !== undefined && !DNS_SUBDOMAIN.test(volume.claimName)) {
    problems.push(invalidPropMessage(scope, 'kubernetes.backupTarget.claimName', 'is not a PersistentVolumeClaim name', volume.claimName,
      'use a lowercase DNS subdomain, e.g. "orders-db-backups"'));
  }
  const scratch = target?.s3Options?.scratchSize;
  if (scratch !== undefined) {
    unsupported('scratchSize', `${scratch.toGibibytes({ rounding: SizeRoundingBehavior.NONE })} GiB`,
      'Percona Backup for MongoDB streams each replica set\'s part straight to the bucket: remove scratchSize');
  }
  return problems;
};

/** Props of the fsyncLock backups that no longer mean anything. */
const removedBackupProps: MongoRule = (scope, s) => s.kubernetes.backupBlocksWrites === undefined ? [] : [invalidPropMessage(scope,
  'kubernetes.backupBlocksWrites', 'is no longer supported', s.kubernetes.backupBlocksWrites,
  'backups never lock writes now (Percona Backup for MongoDB snapshots the cluster while it takes writes): remove it')];

/** The oplog slice is the recovery point objective: whole minutes, at most a day, and only with PITR. */
const pointInTimeRecovery: MongoRule = (scope, s) => {
  const span = s.kubernetes.oplogSpan;
  if (span === undefined || span.isUnresolved()) return [];
  if (s.kubernetes.pointInTimeRecovery === false) {
    return [invalidPropMessage(scope, 'kubernetes.oplogSpan', 'is set while kubernetes.pointInTimeRecovery is false', span.toHumanString(),
      'turn pointInTimeRecovery on, or remove oplogSpan (without it the recovery point is the last snapshot)')];
  }
  const minutes = span.toMinutes({ integral: false });
  return Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440 ? [] : [invalidPropMessage(scope, 'kubernetes.oplogSpan', 'is out of range',
    span.toHumanString(), 'use whole minutes from Duration.minutes(1) to Duration.days(1)')];
};

const restore: MongoRule = (scope, s) => {
  const r = s.kubernetes.restore;
  if (!r) return [];
  const problems: string[] = [];
  if (r.backupName !== undefined && !BACKUP_NAME.test(r.backupName)) {
    problems.push(invalidPropMessage(scope, 'kubernetes.restore', 'names no backup', r.backupName,
      'use a backup name as `pbm list` shows it, e.g. "2026-12-01T03:00:21Z"'));
  }
  if (r.pointInTime !== undefined && (!POINT_IN_TIME.test(r.pointInTime) || Number.isNaN(Date.parse(`${r.pointInTime}Z`)))) {
    problems.push(invalidPropMessage(scope, 'kubernetes.restore', 'is not a point in time', r.pointInTime,
      'use UTC as YYYY-MM-DDTHH:MM:SS, e.g. "2026-12-01T14:30:00"'));
  }
  if (r.sourceClusterName !== undefined && !(isDnsLabel(r.sourceClusterName) && r.sourceClusterName.length <= 40)) {
    problems.push(invalidPropMessage(scope, 'kubernetes.restore.sourceClusterName', 'is not a cluster name', r.sourceClusterName,
      'use the clusterName of the cluster that took the backup (a DNS label of at most 40 characters)'));
  }
  return problems;
};

const s3Target: MongoRule = (scope, s) => {
  const s3 = s.kubernetes.backupTarget?.s3Options;
  if (!s3) return [];
  return [
    ...(BUCKET.test(s3.bucket) ? [] : [invalidPropMessage(scope, 'kubernetes.backupTarget.bucket', 'is not a bucket name', s3.bucket, 'use 3-63 lowercase letters, digits, "." and "-"')]),
    ...(s3.endpoint === undefined || /^https?:\/\/[^\s/]+\/?$/.test(s3.endpoint) ? [] : [invalidPropMessage(scope, 'kubernetes.backupTarget.endpoint',
      'is not an endpoint URL', s3.endpoint, 'use scheme://host[:port], e.g. "https://minio.storage.svc:9000"')]),
    ...(s3.prefix === undefined || /^([A-Za-z0-9!_.*'()-]+\/)*$/.test(s3.prefix) ? [] : [invalidPropMessage(scope, 'kubernetes.backupTarget.prefix',
      'is not a key prefix', s3.prefix, 'use path segments each ending with "/", e.g. "mongo/orders/"')]),
  ];
};

/** The backup alert needs a whole number of seconds, at least an hour (a snapshot takes time). */
const backupMaxAge: MongoRule = (scope, s) => {
  const age = s.kubernetes.backupMaxAge;
  if (age === undefined || age.isUnresolved()) return [];
  const seconds = age.toSeconds({ integral: false });
  return Number.isInteger(seconds) && seconds >= 3600 ? [] : [invalidPropMessage(scope, 'kubernetes.backupMaxAge', 'is too short',
    age.toHumanString(), 'use whole seconds, at least Duration.hours(1), above the interval of backup.schedule')];
};

/** Volumes grow in place and never shrink: the template keeps the size the cluster was created with. */
const volumeClaimTemplate: MongoRule = (scope, s) => {
  const size = s.kubernetes.volumeClaimTemplateSize;
  if (size === undefined || size.isUnresolved()) return [];
  const gib = size.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(gib) || gib < 1) {
    return [invalidPropMessage(scope, 'kubernetes.volumeClaimTemplateSize', 'is not a valid volume size', `${gib} GiB`, 'use whole gibibytes, at least 1')];
  }
  return gib <= s.storageGiB ? [] : [invalidPropMessage(scope, 'storageSize', 'is below kubernetes.volumeClaimTemplateSize', `${s.storageGiB} GiB`,
    `volumes cannot shrink: keep storageSize at ${gib} GiB or more, or restore into a new cluster (README: "Changing the topology")`)];
};

/** Draining shards are the last ones; at least one shard must keep the data. */
const drainingShards: MongoRule = (scope, s) => s.kubernetes.drainingShards === undefined || s.shards < 1 ? []
  : integerInRange(scope, 'kubernetes.drainingShards', s.kubernetes.drainingShards, 0, s.shards - 1);

export const KUBERNETES_RULES: MongoRule[] = [
  votingMembers, version, kubernetesStorage, kubernetesResources, backupTarget, removedBackupProps, s3Target, backupMaxAge, pointInTimeRecovery,
  restore, drainingShards, volumeClaimTemplate,
];
