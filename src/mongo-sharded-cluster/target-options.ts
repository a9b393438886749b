import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { MongoRestore } from './restore';
import { BackupTarget } from '../platform/backup-target';
import { PlatformSecret } from '../platform/secret';

/**
 * AWS-only tuning of a MongoShardedCluster; ignored when rendering to Kubernetes.
 */
export interface MongoShardedClusterAwsOptions {
  /**
   * vCPUs of each shard instance: 2, 4, 8, 16, 32 or 64.
   *
   * @default 2
   */
  readonly shardCapacity?: number;
  /**
   * Weekly maintenance window in UTC, `ddd:hh24:mi-ddd:hh24:mi`, at least 30 minutes, outside
   * the backup window.
   *
   * @default 'sun:05:00-sun:05:30'
   */
  readonly preferredMaintenanceWindow?: string;
  /**
   * What happens to the cluster when it leaves the stack: RETAIN or DESTROY. CloudFormation
   * cannot snapshot an Elastic cluster on deletion, so SNAPSHOT is refused.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Key encrypting the cluster's storage and the generated admin secret.
   *
   * @default the platform's encryption key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * How often the sharding task re-applies `shardedCollections` (it is idempotent; the first run
   * follows the deployment by at most this long).
   *
   * @default Duration.hours(1)
   */
  readonly shardingInterval?: Duration;
  /**
   * Checks every hour how old the cluster's newest available snapshot is (a small Lambda function;
   * DocumentDB Elastic publishes no backup metric or event to alarm on) and publishes it as the
   * CloudWatch metric `HoursSinceLastBackup` (namespace `CdkPortablePlatform/Backups`, dimension
   * `ClusterName`), on which the ObservabilityStack raises `MongoBackupMissing` past 26 hours or when
   * the check stops reporting. Turn it off only if you watch the snapshots another way: nothing
   * then alerts on a missed backup.
   *
   * @default true
   */
  readonly backupAgeCheck?: boolean;
}

/**
 * CPU and memory of one container.
 */
export interface MongoContainerResources {
  /** vCPUs requested. */
  readonly cpu: number;
  /** Memory requested and limited. */
  readonly memory: Size;
}

/**
 * Kubernetes-only tuning of a MongoShardedCluster; ignored when rendering to AWS.
 */
export interface MongoShardedClusterKubernetesOptions {
  /**
   * Resources of every mongod (config servers and shard members).
   *
   * @default { cpu: 1, memory: Size.gibibytes(2) } (PlatformProfile.DEVELOPMENT: 0.25 vCPU, 1 GiB)
   */
  readonly memberResources?: MongoContainerResources;
  /**
   * Resources of every mongos.
   *
   * @default { cpu: 0.5, memory: Size.gibibytes(1) } (PlatformProfile.DEVELOPMENT: 0.25 vCPU, 512 MiB)
   */
  readonly routerResources?: MongoContainerResources;
  /**
   * The internal-authentication key shared by every member (6-1024 base64 characters, e.g.
   * `openssl rand -base64 756`), mounted as a file.
   *
   * @default key `keyfile` of the Secret `<clusterName>-keyfile`
   */
  readonly keyFile?: PlatformSecret;
  /**
   * Secret (type kubernetes.io/tls, with `ca.crt`) holding the members' certificate; its names
   * must cover `tlsDnsNames` of the rendered objects. Used when `tls` is true.
   *
   * @default '<clusterName>-tls'
   */
  readonly tlsSecretName?: string;
  /**
   * Password of the `metrics` user the exporters log in with (clusterMonitor role).
   *
   * @default key `monitor-password` of the admin Secret
   */
  readonly monitorPassword?: PlatformSecret;
  /**
   * Password of the `pbm` user the Percona Backup for MongoDB agents and the backup Jobs log in with.
   *
   * @default key `password` of the Secret `<clusterName>-pbm`
   */
  readonly backupPassword?: PlatformSecret;
  /**
   * Where Percona Backup for MongoDB writes snapshots and oplog slices. Every agent writes its own
   * replica set's part, so a volume must be one ReadWriteMany claim that exists before the cluster
   * (see `BackupVolumeOptions.claimName`); an S3-compatible bucket needs none.
   *
   * @default BackupTarget.volume(): the existing ReadWriteMany claim `<clusterName>-backups`
   */
  readonly backupTarget?: BackupTarget;
  /**
   * Removed: backups no longer lock writes (Percona Backup for MongoDB takes consistent snapshots
   * while writes continue). Setting it fails synthesis with a message saying so.
   *
   * @default undefined
   * @deprecated remove it: no backup locks writes
   */
  readonly backupBlocksWrites?: boolean;
  /**
   * Age of the last successful backup past which the ObservabilityStack's `MongoBackupMissing`
   * alert fires. Each successful backup is recorded in the `platform_backups` database with a TTL
   * of this age, which the exporters report. Set it above the interval of `backup.schedule`.
   *
   * @default Duration.hours(26) (a daily schedule, plus two hours)
   */
  readonly backupMaxAge?: Duration;
  /**
   * Point-in-time recovery: the agents save the oplog in slices of `oplogSpan` between snapshots,
   * so a restore can reach any second of the retention, and at most `oplogSpan` of writes is lost.
   *
   * @default true (PlatformProfile.DEVELOPMENT: false)
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * Length of each oplog slice of point-in-time recovery: the recovery point objective.
   *
   * @default Duration.minutes(10)
   */
  readonly oplogSpan?: Duration;
  /**
   * Renders a Job that restores this cluster (`pbm restore`), once per distinct restore. Remove it
   * once the restore has succeeded: the Job's record stays and is never run again under its name.
   *
   * @default no restore
   */
  readonly restore?: MongoRestore;
  /**
   * How many of the last shards to drain: the init Job runs `removeShard` on them (moving their
   * chunks and database primaries to the other shards) and waits until MongoDB has removed them,
   * while their StatefulSets keep running. Once it has succeeded, lower `shards` by as many and set
   * this back to 0. Lowering `shards` directly would delete a shard that still owns data: the init
   * Job refuses to continue while a registered shard is no longer declared.
   *
   * @default 0
   */
  readonly drainingShards?: number;
  /**
   * The size the StatefulSets' volume claim templates were created with. The API server refuses
   * any change to a StatefulSet's volumeClaimTemplates, so to grow `storageSize` keep this at the
   * size the cluster was created with: each member's claim is then declared at `storageSize` as its
   * own PersistentVolumeClaim, which Kubernetes expands in place (the StorageClass must set
   * `allowVolumeExpansion`). Volumes cannot shrink.
   *
   * @default storageSize
   */
  readonly volumeClaimTemplateSize?: Size;
}
