import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CacheKubernetesBackupOptions, CacheRestoreSource } from './backup-options';
import { CacheClusterMode, CacheEngine, EvictionPolicy } from './engine';
import { PlatformSecret } from '../platform/secret';

/**
 * AWS-only tuning of a CacheCluster; read only when rendering to AWS.
 */
export interface CacheClusterAwsOptions {
  /**
   * ElastiCache node type of every node.
   *
   * @default 'cache.r7g.large' (PlatformProfile.DEVELOPMENT: 'cache.t4g.micro')
   */
  readonly nodeType?: string;
  /**
   * ElastiCache engine version, within the engine's major version (e.g. '7.0' for Redis 7).
   *
   * @default the engine's default ('7.1' for Redis 7, '8.0' for Valkey 8)
   */
  readonly engineVersion?: string;
  /**
   * Days ElastiCache keeps automatic snapshots (1-35); 0 only when `persistence` is false.
   *
   * @default 7 (PlatformProfile.DEVELOPMENT: 1)
   */
  readonly snapshotRetentionDays?: number;
  /**
   * Daily UTC window of automatic snapshots, `hh:mm-hh:mm`, at least 60 minutes.
   *
   * @default '03:00-05:00'
   */
  readonly snapshotWindow?: string;
  /**
   * Weekly UTC maintenance window, `ddd:hh:mm-ddd:hh:mm`, at least 60 minutes, apart from the snapshot window.
   *
   * @default 'sun:05:30-sun:07:30'
   */
  readonly maintenanceWindow?: string;
  /**
   * An existing ElastiCache RBAC user group to authenticate with instead of an AUTH token.
   * Clients then use their RBAC user's name and password; `redisPassword` is undefined.
   *
   * @default AUTH token authentication
   */
  readonly userGroupId?: string;
  /**
   * Retention of the slow-log and engine-log log groups.
   *
   * @default the platform's log retention
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Kubernetes-only tuning of a CacheCluster; read only when rendering to Kubernetes.
 */
export interface CacheClusterKubernetesOptions {
  /**
   * Redis image (pinned by tag or digest), used by Redis, Sentinel and the cluster-setup Job.
   *
   * @default 'redis:7.4.2'
   */
  readonly image?: string;
  /**
   * redis_exporter image of the metrics sidecar.
   *
   * @default 'oliver006/redis_exporter:v1.66.0'
   */
  readonly exporterImage?: string;
  /**
   * HAProxy image of the primary proxy (replication mode).
   *
   * @default 'haproxy:3.0.5'
   */
  readonly proxyImage?: string;
  /**
   * Sentinels watching the primary (replication mode with automatic failover): odd, at least 3.
   * Quorum and failover authorisation need a majority of them.
   *
   * @default 3 (PlatformProfile.DEVELOPMENT: 1, which it allows with a warning)
   */
  readonly sentinels?: number;
  /**
   * Replicas of the HAProxy Deployment behind the stable primary Service (replication mode).
   *
   * @default 2 (PlatformProfile.DEVELOPMENT: 1, with a warning)
   */
  readonly proxyReplicas?: number;
  /**
   * How long a node may be unreachable before it is considered failed (Sentinel
   * `down-after-milliseconds`, Redis Cluster `cluster-node-timeout`).
   *
   * @default Duration.seconds(5)
   */
  readonly failureDetection?: Duration;
  /**
   * vCPUs requested by each Redis container.
   *
   * @default 0.5
   */
  readonly cpu?: number;
  /**
   * Memory of each Redis container; Redis may use 75 % of it for data (`maxmemory`), the rest
   * covers copy-on-write during AOF rewrites and snapshots.
   *
   * @default Size.gibibytes(1) (PlatformProfile.DEVELOPMENT: 256 MiB)
   */
  readonly memory?: Size;
  /**
   * Size of each Redis node's PersistentVolumeClaim.
   *
   * @default Size.gibibytes(10) (PlatformProfile.DEVELOPMENT: 1 GiB)
   */
  readonly storage?: Size;
  /**
   * Numeric user (and group) id of every container (the redis image's `redis` user).
   *
   * @default 999
   */
  readonly runAsUser?: number;
  /**
   * Scheduled RDB snapshots, from a replica of each shard, to a volume or an S3-compatible bucket.
   *
   * @default daily at 03:00 UTC to a retained volume, kept 7 days (PlatformProfile.DEVELOPMENT: 1 day), while `persistence` is on
   */
  readonly backup?: CacheKubernetesBackupOptions;
  /**
   * TLS for clients, replication, the cluster bus, Sentinels, the proxy's health checks and the
   * exporter. Clients connect with TLS through the proxy, which passes it through to the primary
   * (it never holds the private key); they verify the certificate with the CA that `connect` mounts.
   *
   * @default true (PlatformProfile.DEVELOPMENT: false)
   */
  readonly tls?: boolean;
  /**
   * The `kubernetes.io/tls` Secret with `ca.crt`, `tls.crt` and `tls.key`: one certificate for every
   * node and Sentinel, carrying the DNS names in `tlsDnsNames` of the Kubernetes resources (a
   * certificate provisioner such as cert-manager issues it). Only with `tls`.
   *
   * @default '<cacheName>-tls'
   */
  readonly tlsSecretName?: string;
}

/**
 * Props of a CacheCluster: Redis with replicas and automatic failover, or sharded cluster mode.
 * The same props mean the same thing on AWS and on Kubernetes.
 */
export interface CacheClusterProps {
  /**
   * Name of the cache in DNS and metrics (a DNS label of at most 40 characters).
   *
   * @default the construct id in kebab-case
   */
  readonly cacheName?: string;
  /**
   * Replication (one primary, N replicas) or cluster mode (shards over the 16384 hash slots).
   *
   * @default CacheClusterMode.REPLICATION
   */
  readonly mode?: CacheClusterMode;
  /**
   * Replicas of each primary (replication mode) or of each shard's primary (cluster mode), 0-5.
   *
   * On both targets one replica being down never stops writes. With two or more on Kubernetes, a
   * primary that has lost every replica refuses writes (`min-replicas-to-write 1`), which
   * ElastiCache does not.
   *
   * @default 2 (PlatformProfile.DEVELOPMENT: 1)
   */
  readonly replicas?: number;
  /**
   * Shards (node groups) in cluster mode, 1-500 (at least 3 on Kubernetes). Not allowed in replication mode.
   *
   * @default 3 in cluster mode
   */
  readonly shards?: number;
  /**
   * Engine and major version.
   *
   * @default CacheEngine.REDIS_7
   */
  readonly engine?: CacheEngine;
  /**
   * Promote a replica automatically when a primary fails (Multi-AZ on AWS, Sentinels on
   * Kubernetes). Needs at least one replica and persistence; cluster mode always fails over.
   *
   * @default true
   */
  readonly automaticFailover?: boolean;
  /**
   * Keep data across restarts: snapshots on AWS; AOF (`appendfsync everysec`) plus RDB on
   * PersistentVolumeClaims on Kubernetes.
   *
   * @default true
   */
  readonly persistence?: boolean;
  /**
   * What Redis evicts when memory is full.
   *
   * @default EvictionPolicy.VOLATILE_LRU
   */
  readonly evictionPolicy?: EvictionPolicy;
  /**
   * Port clients connect to.
   *
   * @default 6380 on AWS (cdk-nag AwsSolutions-AEC5 asks for a non-default port), 6379 on Kubernetes
   */
  readonly port?: number;
  /**
   * Where the AUTH password lives. Never a value: the construct passes a reference.
   * It must be printable ASCII without whitespace, quotes, `/`, `@` or `\` (ElastiCache's AUTH token rules).
   *
   * @default AWS: a token generated in Secrets Manager; Kubernetes: key `password` of the Secret
   * `<cacheName>-auth`, which the user or External Secrets creates
   */
  readonly auth?: PlatformSecret;
  /**
   * What happens to the data when the cache is removed from the app: SNAPSHOT (AWS final
   * snapshot) or RETAIN keep it; on Kubernetes both retain the PersistentVolumeClaims, DESTROY deletes them.
   *
   * @default RemovalPolicy.SNAPSHOT
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * A backup the new cache starts from: RDB files in S3 (both targets), files on this cache's backup
   * volume (Kubernetes) or an ElastiCache snapshot (AWS). On AWS it seeds the replication group when
   * it is created; on Kubernetes a Job copies the keys in once the cache runs.
   *
   * @default an empty cache
   */
  readonly restoreFrom?: CacheRestoreSource;
  /**
   * AWS-only tuning.
   *
   * @default none
   */
  readonly aws?: CacheClusterAwsOptions;
  /**
   * Kubernetes-only tuning.
   *
   * @default none
   */
  readonly kubernetes?: CacheClusterKubernetesOptions;
}
