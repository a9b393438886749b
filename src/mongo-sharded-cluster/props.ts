import { Duration, Size } from 'aws-cdk-lib';
import { MongoShardKey } from './shard-key';
import { MongoShardedClusterAwsOptions, MongoShardedClusterKubernetesOptions } from './target-options';
import { PlatformSecret } from '../platform/secret';

/**
 * Automated backups.
 */
export interface MongoBackupOptions {
  /**
   * When backups run, as a five-field cron expression in UTC. DocumentDB Elastic takes one
   * snapshot a day, so on AWS this must be daily (`M H * * *`); it becomes the backup window.
   *
   * @default '0 3 * * *'
   */
  readonly schedule?: string;
  /**
   * How long backups are kept (whole days, at least 7).
   *
   * @default Duration.days(7)
   */
  readonly retention?: Duration;
}

/**
 * Props of a MongoShardedCluster: a sharded MongoDB-compatible database. The same props mean the
 * same thing on AWS (DocumentDB Elastic Clusters) and Kubernetes (mongod/mongos StatefulSets).
 */
export interface MongoShardedClusterProps {
  /**
   * Name of the cluster in DNS, object names and metrics (a DNS label of at most 40 characters).
   *
   * @default the construct id in kebab-case
   */
  readonly clusterName?: string;
  /**
   * Number of shards (1-32).
   *
   * @default 3
   */
  readonly shards?: number;
  /**
   * Data-bearing members of each shard's replica set: odd and at least 3, so a majority survives
   * the loss of a member (on AWS: the shard instance count).
   *
   * @default 3 (PlatformProfile.DEVELOPMENT: 1, which it allows with a warning)
   */
  readonly membersPerShard?: number;
  /**
   * Arbiters per shard. Always 0: an arbiter holds no data, so with one down member a shard
   * keeps accepting writes it cannot replicate to a majority. Use an odd membersPerShard instead.
   *
   * @default 0
   */
  readonly arbitersPerShard?: number;
  /**
   * Members of the config-server replica set (odd, at least 3). DocumentDB Elastic manages its
   * own metadata, so on AWS this stays 3.
   *
   * @default 3 (PlatformProfile.DEVELOPMENT: 1, which it allows with a warning)
   */
  readonly configServers?: number;
  /**
   * Query routers (mongos), at least 2. DocumentDB Elastic routes internally, so on AWS this stays 2.
   *
   * @default 2 (PlatformProfile.DEVELOPMENT: 1, which it allows with a warning)
   */
  readonly routers?: number;
  /**
   * Disk of each data-bearing member (whole GiB). DocumentDB Elastic storage grows by itself, so
   * this cannot be set on AWS.
   *
   * @default Size.gibibytes(20) on Kubernetes (PlatformProfile.DEVELOPMENT: 5 GiB)
   */
  readonly storageSize?: Size;
  /**
   * StorageClass of the members' volumes (Kubernetes only).
   *
   * @default the platform's storage class
   */
  readonly storageClass?: string;
  /**
   * MongoDB server version, pinned (`major.minor.patch`; 6.0, 7.0 or 8.0, the releases Percona Backup
   * for MongoDB backs up). DocumentDB Elastic chooses its own engine, so this cannot be set on AWS.
   *
   * @default '7.0.28' on Kubernetes
   */
  readonly version?: string;
  /**
   * Name of the administrator (letters and digits, starting with a letter).
   *
   * @default 'clusteradmin'
   */
  readonly adminUsername?: string;
  /**
   * The administrator's password. On AWS a Secrets Manager secret whose whole value is the
   * password (`PlatformSecret.fromSecretsManager(secret)`); on Kubernetes a Secret key.
   *
   * @default AWS: a generated Secrets Manager secret; Kubernetes: key `password` of the Secret `<clusterName>-admin`
   */
  readonly adminPassword?: PlatformSecret;
  /**
   * Encrypt client and member connections. DocumentDB Elastic always does.
   *
   * @default true
   */
  readonly tls?: boolean;
  /**
   * Automated backups: DocumentDB Elastic's daily snapshots on AWS; Percona Backup for MongoDB
   * snapshots (and, with `kubernetes.pointInTimeRecovery`, oplog slices) on Kubernetes.
   *
   * @default daily at 03:00 UTC, kept 7 days
   */
  readonly backup?: MongoBackupOptions;
  /**
   * Collections to shard, as `database.collection` namespaces.
   *
   * @default none
   */
  readonly shardedCollections?: string[];
  /**
   * Shard key per namespace of `shardedCollections`.
   *
   * @default MongoShardKey.hashed('_id') for each listed collection
   */
  readonly shardKeys?: { [namespace: string]: MongoShardKey };
  /**
   * AWS-only tuning.
   *
   * @default none
   */
  readonly aws?: MongoShardedClusterAwsOptions;
  /**
   * Kubernetes-only tuning.
   *
   * @default none
   */
  readonly kubernetes?: MongoShardedClusterKubernetesOptions;
}
