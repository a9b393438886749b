import { Duration, Size, SizeRoundingBehavior } from 'aws-cdk-lib';
import { MongoShardedClusterProps } from './props';
import { MongoShardKey } from './shard-key';
import { MongoShardedClusterAwsOptions, MongoShardedClusterKubernetesOptions } from './target-options';
import { BackupTarget } from '../platform/backup-target';
import { PlatformProfile } from '../platform/profile';
import { PlatformSecret } from '../platform/secret';

/** A collection to shard, with its key. */
export interface ShardedCollectionSpec {
  readonly namespace: string;
  readonly database: string;
  readonly collection: string;
  readonly key: MongoShardKey;
}

/** MongoShardedClusterProps with every default applied: what both renderers read. */
export interface MongoShardedClusterSpec {
  readonly name: string;
  readonly shards: number;
  readonly membersPerShard: number;
  readonly arbitersPerShard: number;
  readonly configServers: number;
  readonly routers: number;
  readonly storageGiB: number;
  readonly storageClass?: string;
  readonly version: string;
  readonly adminUsername: string;
  /** Undefined when the renderer provides the default (generated on AWS, named Secret on Kubernetes). */
  readonly adminPassword?: PlatformSecret;
  readonly tls: boolean;
  readonly backup: { readonly schedule: string; readonly retentionDays: number };
  readonly collections: ShardedCollectionSpec[];
  /** Shard keys as given, to report keys for namespaces that are not listed. */
  readonly shardKeys: Record<string, MongoShardKey>;
  /** Portable props the caller set explicitly (AWS refuses some of them). */
  readonly explicitlySet: ReadonlySet<string>;
  /** The profile whose defaults applied; DEVELOPMENT turns the rejection of one-member replica sets and one router into warnings. */
  readonly profile?: PlatformProfile;
  readonly aws: MongoShardedClusterAwsOptions;
  readonly kubernetes: MongoShardedClusterKubernetesOptions;
}

export const MONGO_DEFAULTS = {
  shards: 3,
  membersPerShard: 3,
  configServers: 3,
  routers: 2,
  storage: Size.gibibytes(20),
  version: '7.0.28',
  adminUsername: 'clusteradmin',
  schedule: '0 3 * * *',
  retention: Duration.days(7),
  port: 27017,
  metricsPort: 9216,
};

/** Props AWS cannot honour when the caller sets them (defaults are fine). */
const TRACKED = ['configServers', 'routers', 'storageSize', 'storageClass', 'version'] as const;

/**
 * What the DEVELOPMENT profile changes: one member per replica set and one router (warnings say so),
 * 5 GiB volumes, smaller containers on Kubernetes. The shard count is a data layout, not a size: it stays.
 */
export const MONGO_DEVELOPMENT_DEFAULTS = {
  membersPerShard: 1,
  configServers: 1,
  routers: 1,
  storage: Size.gibibytes(5),
  kubernetes: {
    pointInTimeRecovery: false,
    memberResources: { cpu: 0.25, memory: Size.gibibytes(1) },
    routerResources: { cpu: 0.25, memory: Size.mebibytes(512) },
  } as MongoShardedClusterKubernetesOptions,
};

/** Applies defaults (the profile's, where the props leave a value unset). Pure: the same props always give the same spec. */
export function resolveMongoShardedClusterSpec(
  name: string, props: MongoShardedClusterProps, profile = PlatformProfile.PRODUCTION,
): MongoShardedClusterSpec {
  const development = profile === PlatformProfile.DEVELOPMENT;
  const d = development ? { ...MONGO_DEFAULTS, ...MONGO_DEVELOPMENT_DEFAULTS } : MONGO_DEFAULTS;
  const keys = { ...props.shardKeys };
  return {
    name,
    shards: props.shards ?? d.shards,
    membersPerShard: props.membersPerShard ?? d.membersPerShard,
    arbitersPerShard: props.arbitersPerShard ?? 0,
    configServers: props.configServers ?? d.configServers,
    routers: props.routers ?? d.routers,
    storageGiB: (props.storageSize ?? d.storage).toGibibytes({ rounding: SizeRoundingBehavior.NONE }) /* fractions are kept for validation */,
    storageClass: props.storageClass,
    version: props.version ?? d.version,
    adminUsername: props.adminUsername ?? d.adminUsername,
    adminPassword: props.adminPassword,
    tls: props.tls ?? true,
    backup: {
      schedule: (props.backup?.schedule ?? d.schedule).trim(),
      retentionDays: (props.backup?.retention ?? d.retention).toHours() / 24,
    },
    collections: (props.shardedCollections ?? []).map(namespace => {
      const dot = namespace.indexOf('.');
      return {
        namespace,
        database: dot < 0 ? namespace : namespace.slice(0, dot),
        collection: dot < 0 ? '' : namespace.slice(dot + 1),
        key: keys[namespace] ?? MongoShardKey.hashed('_id'),
      };
    }),
    shardKeys: keys,
    explicitlySet: new Set(TRACKED.filter(prop => props[prop] !== undefined)),
    profile,
    aws: { ...props.aws },
    kubernetes: { ...development ? MONGO_DEVELOPMENT_DEFAULTS.kubernetes : {}, ...props.kubernetes },
  };
}

/** The backup target, defaulting to a volume. */
export function backupTargetOf(spec: MongoShardedClusterSpec): BackupTarget {
  return spec.kubernetes.backupTarget ?? BackupTarget.volume();
}

/** The existing claim a volume target writes to, or undefined with an S3 target. */
export function backupClaimOf(spec: MongoShardedClusterSpec): string | undefined {
  const target = backupTargetOf(spec);
  return target.s3Options ? undefined : target.volumeOptions?.claimName ?? `${spec.name}-backups`;
}

/** Minutes of each oplog slice. */
export function oplogSpanMinutes(spec: MongoShardedClusterSpec): number {
  return spec.kubernetes.oplogSpan?.toMinutes({ integral: false }) ?? 10;
}
