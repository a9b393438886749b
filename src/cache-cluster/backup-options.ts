import { Duration } from 'aws-cdk-lib';
import { BackupTarget } from '../platform/backup-target';

/**
 * Scheduled RDB snapshots of a CacheCluster on Kubernetes. On AWS ElastiCache takes the daily
 * snapshots itself (`aws.snapshotRetentionDays`, `aws.snapshotWindow`).
 */
export interface CacheKubernetesBackupOptions {
  /**
   * Whether the backup CronJob runs.
   *
   * @default true while `persistence` is on (in both profiles: a development cache keeps its last
   * day too, as ElastiCache keeps one day of snapshots there); false for a throwaway cache
   */
  readonly enabled?: boolean;
  /**
   * When snapshots are taken: a five-field cron expression in UTC. Its interval is the recovery
   * point objective of a lost cache (the AOF on the volumes covers a lost node).
   *
   * @default '0 3 * * *' (daily, at the start of the default ElastiCache snapshot window)
   */
  readonly schedule?: string;
  /**
   * Snapshots older than this are deleted (whole days).
   *
   * @default Duration.days(7) (PlatformProfile.DEVELOPMENT: Duration.days(1)), as ElastiCache's snapshotRetentionDays
   */
  readonly retention?: Duration;
  /**
   * At most this many snapshot runs are kept, the newest ones, whatever their age.
   *
   * @default no limit: `retention` alone decides
   */
  readonly maxSnapshots?: number;
  /**
   * Where the snapshots go. A volume target is a PersistentVolumeClaim that `kubectl delete -f`
   * of the manifests does not remove.
   *
   * @default BackupTarget.volume() sized storage × shards
   */
  readonly target?: BackupTarget;
  /**
   * Age of the last successful snapshot past which the ObservabilityStack's `CacheSnapshotFailed`
   * alert fires. Each success sets the key `platform:backup:succeeded` with this time to live,
   * which redis_exporter reports. Set it above the interval of `schedule`.
   *
   * @default Duration.hours(26): a daily schedule plus two hours
   */
  readonly maxAge?: Duration;
}

/**
 * What a new CacheCluster starts from. The same backup means the same thing on both targets: on
 * AWS ElastiCache seeds the replication group from the RDB files in S3 (`SnapshotArns`); on
 * Kubernetes a restore Job copies every key, with its time to live, into the cache once it runs.
 */
export class CacheRestoreSource {
  /**
   * RDB files written by CacheCluster backups (one per shard in cluster mode), named relative to
   * the target (an S3 target's prefix applies). Kubernetes reads an S3 or a volume target; AWS
   * reads an S3 target (the bucket must let ElastiCache read the files).
   */
  public static fromBackup(target: BackupTarget, files: string[]): CacheRestoreSource {
    return new CacheRestoreSource(target, [...files], undefined);
  }

  /** An ElastiCache snapshot by name (AWS only: Kubernetes cannot read ElastiCache snapshots). */
  public static fromElastiCacheSnapshot(snapshotName: string): CacheRestoreSource {
    return new CacheRestoreSource(undefined, [], snapshotName);
  }

  private constructor(
    /** Where the backup files are; undefined for an ElastiCache snapshot. */
    public readonly target: BackupTarget | undefined,
    /** The RDB files, relative to the target. */
    public readonly files: string[],
    /** Name of an ElastiCache snapshot. */
    public readonly snapshotName: string | undefined,
  ) {}
}
