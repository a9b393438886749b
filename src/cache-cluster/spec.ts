import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CacheRestoreSource } from './backup-options';
import { CacheClusterMode, CacheEngine } from './engine';
import { CacheClusterProps } from './props';
import { BackupTarget } from '../platform/backup-target';
import { PlatformProfile } from '../platform/profile';
import { PlatformSecret } from '../platform/secret';
import { PlatformTarget } from '../platform/target';

/** CacheClusterProps with every default applied: what both renderers and the config functions read. */
export interface CacheClusterSpec {
  readonly name: string;
  readonly mode: CacheClusterMode;
  readonly replicas: number;
  /** Shards in cluster mode; 1 in replication mode. */
  readonly shards: number;
  /** `shards` as the caller set it (an error in replication mode). */
  readonly requestedShards?: number;
  readonly engine: CacheEngine;
  readonly automaticFailover: boolean;
  readonly persistence: boolean;
  readonly evictionPolicy: string;
  readonly port: number;
  /** The AUTH password reference; undefined on AWS means "generate one". */
  readonly auth?: PlatformSecret;
  readonly removalPolicy: RemovalPolicy;
  readonly restoreFrom?: CacheRestoreSource;
  /** The profile whose defaults applied; DEVELOPMENT turns the Sentinel-count rule's rejection of 1 into a warning. */
  readonly profile?: PlatformProfile;
  readonly aws: {
    readonly nodeType: string;
    readonly engineVersion: string;
    readonly snapshotRetentionDays: number;
    readonly snapshotWindow: string;
    readonly maintenanceWindow: string;
    readonly userGroupId?: string;
    readonly logRetention?: logs.RetentionDays;
  };
  readonly kubernetes: {
    readonly image: string;
    readonly exporterImage: string;
    readonly proxyImage: string;
    readonly sentinels: number;
    /** Whether `sentinels` was set (it is an error where no Sentinels run). */
    readonly sentinelsSet: boolean;
    readonly proxyReplicas: number;
    readonly failureDetectionMs: number;
    readonly cpu: number;
    readonly memoryMiB: number;
    readonly storageMiB: number;
    readonly runAsUser: number;
    readonly backup: CacheBackupSpec;
    /** TLS everywhere (clients, replication, cluster bus, Sentinels, proxy checks, exporter). */
    readonly tls: boolean;
    /** The TLS Secret (ca.crt, tls.crt, tls.key). */
    readonly tlsSecretName: string;
    /** Whether `tlsSecretName` was set (an error without TLS). */
    readonly tlsSecretNameSet: boolean;
  };
}

/** Kubernetes backups with every default applied. */
export interface CacheBackupSpec {
  readonly enabled: boolean;
  readonly schedule: string;
  readonly retentionDays: number;
  /** 0: no limit. */
  readonly maxSnapshots: number;
  readonly target: BackupTarget;
  readonly maxAgeSeconds: number;
}

export const CACHE_DEFAULTS = {
  replicas: 2,
  shards: 3,
  awsPort: 6380,
  kubernetesPort: 6379,
  nodeType: 'cache.r7g.large',
  snapshotRetentionDays: 7,
  snapshotWindow: '03:00-05:00',
  maintenanceWindow: 'sun:05:30-sun:07:30',
  image: 'redis:7.4.2',
  exporterImage: 'oliver006/redis_exporter:v1.66.0',
  proxyImage: 'haproxy:3.0.5',
  sentinels: 3,
  proxyReplicas: 2,
  failureDetection: Duration.seconds(5),
  cpu: 0.5,
  memory: Size.gibibytes(1),
  storage: Size.gibibytes(10),
  runAsUser: 999,
  backupSchedule: '0 3 * * *',
  backupRetention: Duration.days(7),
  backupMaxAge: Duration.hours(26),
  tls: true,
};

/**
 * What the DEVELOPMENT profile changes: one replica watched by one Sentinel (a warning says so),
 * one proxy, small nodes and volumes, one day of snapshots.
 */
export const CACHE_DEVELOPMENT_DEFAULTS = {
  replicas: 1,
  sentinels: 1,
  proxyReplicas: 1,
  nodeType: 'cache.t4g.micro',
  snapshotRetentionDays: 1,
  memory: Size.mebibytes(256),
  storage: Size.gibibytes(1),
  backupRetention: Duration.days(1),
  tls: false,
};

/** Applies defaults (the profile's, where the props leave a value unset). Pure: the same props and target always give the same spec. */
export function resolveCacheClusterSpec(
  name: string, props: CacheClusterProps, target: PlatformTarget, profile = PlatformProfile.PRODUCTION,
): CacheClusterSpec {
  const d = profile === PlatformProfile.DEVELOPMENT ? { ...CACHE_DEFAULTS, ...CACHE_DEVELOPMENT_DEFAULTS } : CACHE_DEFAULTS;
  const mode = props.mode ?? CacheClusterMode.REPLICATION;
  const engine = props.engine ?? CacheEngine.REDIS_7;
  const persistence = props.persistence ?? true;
  const a = props.aws ?? {};
  const k = props.kubernetes ?? {};
  return {
    name,
    mode,
    replicas: props.replicas ?? d.replicas,
    shards: mode === CacheClusterMode.CLUSTER ? props.shards ?? d.shards : 1,
    requestedShards: props.shards,
    engine,
    automaticFailover: props.automaticFailover ?? true,
    persistence,
    evictionPolicy: (props.evictionPolicy?.policyName ?? 'volatile-lru'),
    port: props.port ?? (target === PlatformTarget.AWS ? d.awsPort : d.kubernetesPort),
    auth: props.auth,
    restoreFrom: props.restoreFrom,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.SNAPSHOT,
    profile,
    aws: {
      nodeType: a.nodeType ?? d.nodeType,
      engineVersion: a.engineVersion ?? engine.defaultAwsVersion,
      snapshotRetentionDays: a.snapshotRetentionDays ?? (persistence ? d.snapshotRetentionDays : 0),
      snapshotWindow: a.snapshotWindow ?? d.snapshotWindow,
      maintenanceWindow: a.maintenanceWindow ?? d.maintenanceWindow,
      userGroupId: a.userGroupId,
      logRetention: a.logRetention,
    },
    kubernetes: {
      image: k.image ?? d.image,
      exporterImage: k.exporterImage ?? d.exporterImage,
      proxyImage: k.proxyImage ?? d.proxyImage,
      sentinels: k.sentinels ?? d.sentinels,
      sentinelsSet: k.sentinels !== undefined,
      proxyReplicas: k.proxyReplicas ?? d.proxyReplicas,
      failureDetectionMs: (k.failureDetection ?? d.failureDetection).toMilliseconds(),
      cpu: k.cpu ?? d.cpu,
      memoryMiB: (k.memory ?? d.memory).toMebibytes(),
      storageMiB: (k.storage ?? d.storage).toMebibytes(),
      runAsUser: k.runAsUser ?? d.runAsUser,
      backup: {
        enabled: k.backup?.enabled ?? persistence,
        schedule: (k.backup?.schedule ?? d.backupSchedule).trim(),
        retentionDays: (k.backup?.retention ?? d.backupRetention).toSeconds() / 86400,
        maxSnapshots: k.backup?.maxSnapshots ?? 0,
        target: k.backup?.target ?? BackupTarget.volume(),
        maxAgeSeconds: (k.backup?.maxAge ?? d.backupMaxAge).toSeconds(),
      },
      tls: k.tls ?? d.tls,
      tlsSecretName: k.tlsSecretName ?? `${name}-tls`,
      tlsSecretNameSet: k.tlsSecretName !== undefined,
    },
  };
}

/** Whether Sentinels watch the primary: replication mode with automatic failover. */
export function usesSentinels(spec: CacheClusterSpec): boolean {
  return spec.mode === CacheClusterMode.REPLICATION && spec.automaticFailover;
}

/** Redis nodes in total: shards × (1 + replicas). */
export function nodeCount(spec: CacheClusterSpec): number {
  return spec.shards * (1 + spec.replicas);
}

/** Sentinels that must agree a primary is down: a majority. */
export function sentinelQuorum(spec: CacheClusterSpec): number {
  return Math.floor(spec.kubernetes.sentinels / 2) + 1;
}
