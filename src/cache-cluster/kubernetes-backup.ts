import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { BACKUP_FILES, renderRecordScript, renderRestoreScript, renderSnapshotScript, SNAPSHOT_EXTENSION } from './backup-scripts';
import { CacheTopology, Json, podsPeer, resources, secretEnv, tcpPorts, tlsEnv, tlsMounts, tlsVolumes } from './kubernetes-pods';
import { CacheClusterSpec } from './spec';
import { BACKUP_AWS_CLI_IMAGE, backupDownloadScript, backupUploadScript, s3EgressRule } from '../platform/backup-s3';
import { BackupS3Options } from '../platform/backup-target';
import { kubeObject } from '../platform/kube-object';
import { FINISHED_JOB_TTL_SECONDS, jobName, scheduledJobSpec } from '../platform/kubernetes-job';
import { claimRetentionPolicy, restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../platform/kubernetes-pod';

const SCRIPTS_DIR = '/etc/cache-backup';
const BACKUP_DIR = '/backups';
const RESTORE_DIR = '/restore';
/** Bound on the restore's wait for the cache to come up. */
const RESTORE_WAIT_SECONDS = 1800;

/** The Kubernetes objects of a CacheCluster's backups and restore. */
export interface CacheBackupObjects {
  /** The scripts of the backup and restore pods. */
  readonly configMap: k8s.KubeConfigMap;
  /** NetworkPolicy of the backup and restore pods: egress to the Redis nodes and the bucket only. */
  readonly networkPolicy: k8s.KubeNetworkPolicy;
  /** The snapshot CronJob; undefined when backups are off. */
  readonly cronJob?: k8s.KubeCronJob;
  /** StatefulSet whose claim holds the snapshots (volume target), so `kubectl delete -f` keeps them. */
  readonly store?: k8s.KubeStatefulSet;
  /** NetworkPolicy of the store's pod: no traffic at all. */
  readonly storeNetworkPolicy?: k8s.KubeNetworkPolicy;
  /** The restore Job (`restoreFrom`). */
  readonly restoreJob?: k8s.KubeJob;
}

/** Names of the backup objects of one cache. */
export function backupNames(spec: CacheClusterSpec) {
  return {
    backup: `${spec.name}-backup`,
    restore: `${spec.name}-restore`,
    store: `${spec.name}-backups`,
    scripts: `${spec.name}-backup-scripts`,
    /** The claim the store's volumeClaimTemplate creates for its pod 0. */
    claim: `backups-${spec.name}-backups-0`,
  };
}

/** Default size of the snapshot volume: the data volume of one node per shard. */
function defaultSize(spec: CacheClusterSpec): string {
  return `${spec.kubernetes.storageMiB * spec.shards}Mi`;
}

/** Id of a restore: the same source gives the same id, so the marker key makes a second run a no-op. */
export function restoreIdOf(spec: CacheClusterSpec): string {
  const source = spec.restoreFrom!;
  const s3 = source.target?.s3Options;
  const where = s3 ? `s3://${s3.bucket}/${s3.prefix ?? ''}` : 'volume';
  return createHash('sha256').update(JSON.stringify([where, source.files])).digest('hex').slice(0, 16);
}

function env(name: string, value: string): Json {
  return { name, value };
}

/**
 * The snapshot CronJob (with the store of a volume target), the restore Job, their scripts and their
 * NetworkPolicy. `nodeIngress` receives the rule that admits them to the Redis nodes.
 */
export function renderBackupObjects(
  scope: Construct, topology: CacheTopology, password: { name: string; key: string }, nodeIngress: Json[],
): CacheBackupObjects | undefined {
  const { spec, platform } = topology;
  const b = spec.kubernetes.backup;
  const restore = spec.restoreFrom?.target ? spec.restoreFrom : undefined;
  if (!b.enabled && !restore) return undefined;
  const names = backupNames(spec);
  const s3 = b.target.s3Options;
  const restoreS3 = restore?.target?.s3Options;
  const files: Record<string, string> = {};
  if (b.enabled) {
    files[BACKUP_FILES.snapshot] = renderSnapshotScript(spec, {
      record: !s3, prune: !s3, retentionDays: b.retentionDays, maxSnapshots: b.maxSnapshots, maxAgeSeconds: b.maxAgeSeconds,
    });
    if (s3) {
      files[BACKUP_FILES.upload] = backupUploadScript({
        bucket: s3.bucket,
        prefix: prefixOf(spec, s3),
        endpoint: s3.endpoint,
        inputDir: BACKUP_DIR,
        extension: SNAPSHOT_EXTENSION,
        retentionDays: b.retentionDays,
        maxRuns: b.maxSnapshots,
      });
      files[BACKUP_FILES.record] = renderRecordScript(spec, b.maxAgeSeconds);
    }
  }
  if (restore) {
    files[BACKUP_FILES.restore] = renderRestoreScript(spec, restore.files, restoreIdOf(spec));
    if (restoreS3) {
      files[BACKUP_FILES.download] = backupDownloadScript({
        bucket: restoreS3.bucket, prefix: prefixOf(spec, restoreS3), endpoint: restoreS3.endpoint, outputDir: RESTORE_DIR, files: restore.files,
      });
    }
  }
  const configMap = kubeObject(k8s.KubeConfigMap, scope, 'BackupScripts', {
    metadata: platform.metadata(names.scripts, 'backup', scope), data: files,
  });

  const storeSelector = platform.selectorLabels(names.store, scope);
  const volumeTarget = b.enabled && !s3;
  const store = volumeTarget || (restore && !restoreS3) ? renderStore(scope, topology) : undefined;
  // RWO claim: the pods that mount it run on the store's node.
  const nextToStore: Json = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: storeSelector } }] } };

  const scriptsVolume: Json = { name: 'scripts', configMap: { name: names.scripts, defaultMode: 0o555 } };
  const redisEnv = [env('HOME', '/tmp'), env('REDIS_NODES', topology.redisNodes().join(' ')), secretEnv('REDISCLI_AUTH', password), ...tlsEnv(spec)];
  const container = (name: string, script: string, extraEnv: Json[], mounts: Json[], memoryMiB = 64): Json => ({
    name,
    image: spec.kubernetes.image,
    imagePullPolicy: 'IfNotPresent',
    command: ['sh', `${SCRIPTS_DIR}/${script}`],
    env: [...redisEnv, ...extraEnv],
    resources: resources(100, memoryMiB),
    securityContext: restrictedContainerSecurityContext(),
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'scripts', mountPath: SCRIPTS_DIR, readOnly: true }, ...tlsMounts(spec), ...mounts],
  });
  const awsContainer = (name: string, script: string, target: BackupS3Options, prop: string, mounts: Json[]): Json => ({
    name,
    image: BACKUP_AWS_CLI_IMAGE,
    imagePullPolicy: 'IfNotPresent',
    command: ['sh', `${SCRIPTS_DIR}/${script}`],
    env: [
      env('HOME', '/tmp'),
      env('AWS_DEFAULT_REGION', target.region ?? 'us-east-1'),
      secretEnv('AWS_ACCESS_KEY_ID', target.accessKeyId._toSecretKeyRef(scope, `${prop}.accessKeyId`)),
      secretEnv('AWS_SECRET_ACCESS_KEY', target.secretAccessKey._toSecretKeyRef(scope, `${prop}.secretAccessKey`)),
    ],
    resources: resources(100, 256),
    securityContext: restrictedContainerSecurityContext(),
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'scripts', mountPath: SCRIPTS_DIR, readOnly: true }, ...mounts],
  });
  const scratch = (size: string | undefined): Json => ({
    name: 'data',
    ephemeral: {
      volumeClaimTemplate: {
        metadata: { labels: platform.labelsFor(names.backup, 'backup', scope) },
        spec: {
          accessModes: ['ReadWriteOnce'], storageClassName: platform.storageClassName, resources: { requests: { storage: size ?? defaultSize(spec) } },
        },
      },
    },
  });
  const podSpec = (extra: Json): Json => ({
    serviceAccountName: spec.name,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: restrictedPodSecurityContext(spec.kubernetes.runAsUser),
    ...extra,
  });

  let cronJob: k8s.KubeCronJob | undefined;
  if (b.enabled) {
    const labels = platform.labelsFor(names.backup, 'backup', scope);
    const dataMount = (readOnly: boolean) => [{ name: 'data', mountPath: BACKUP_DIR, ...(readOnly ? { readOnly } : {}) }];
    const snapshot = container(s3 ? 'snapshot' : 'backup', BACKUP_FILES.snapshot, [env('BACKUP_DIR', BACKUP_DIR)], dataMount(false));
    const template: Json = {
      metadata: { labels },
      spec: podSpec(s3 ? {
        restartPolicy: 'Never',
        // Snapshot, then upload, then record the success (the alert reads the record).
        initContainers: [snapshot, awsContainer('upload', BACKUP_FILES.upload, s3, 'kubernetes.backup.target', dataMount(true))],
        containers: [container('record', BACKUP_FILES.record, [], [])],
        volumes: [tmpVolume(), scriptsVolume, ...tlsVolumes(spec, true), scratch(s3.scratchSize ? `${s3.scratchSize.toMebibytes()}Mi` : undefined)],
      } : {
        restartPolicy: 'Never',
        affinity: nextToStore,
        containers: [snapshot],
        volumes: [tmpVolume(), scriptsVolume, ...tlsVolumes(spec, true), { name: 'data', persistentVolumeClaim: { claimName: names.claim } }],
      }),
    };
    cronJob = kubeObject(k8s.KubeCronJob, scope, 'BackupCronJob', {
      metadata: platform.metadata(names.backup, 'backup', scope),
      spec: scheduledJobSpec(b.schedule, labels,
        { backoffLimit: 2, activeDeadlineSeconds: 6 * 3600, ttlSecondsAfterFinished: FINISHED_JOB_TTL_SECONDS, template }),
    });
  }

  let restoreJob: k8s.KubeJob | undefined;
  if (restore) {
    const labels = platform.labelsFor(names.restore, 'restore', scope);
    const restoreEnv = [env('RESTORE_DIR', RESTORE_DIR), env('WAIT_SECONDS', String(RESTORE_WAIT_SECONDS))];
    // The private restore server holds one shard's data in memory: as much as a node may.
    // Its private server's MIGRATE speaks TLS to the cache, and redis-server needs a certificate for
    // that: the certificate too, not only the CA.
    const restoreTls = tlsVolumes(spec, false);
    const copy = container('restore', BACKUP_FILES.restore, restoreEnv, [{ name: 'data', mountPath: RESTORE_DIR, readOnly: true }], spec.kubernetes.memoryMiB + 64);
    const template: Json = {
      metadata: { labels },
      spec: podSpec(restoreS3 ? {
        restartPolicy: 'OnFailure',
        initContainers: [awsContainer('download', BACKUP_FILES.download, restoreS3, 'restoreFrom', [{ name: 'data', mountPath: RESTORE_DIR }])],
        containers: [copy],
        volumes: [tmpVolume(), scriptsVolume, ...restoreTls, scratch(restoreS3.scratchSize ? `${restoreS3.scratchSize.toMebibytes()}Mi` : undefined)],
      } : {
        restartPolicy: 'OnFailure',
        affinity: nextToStore,
        containers: [copy],
        volumes: [tmpVolume(), scriptsVolume, ...restoreTls, { name: 'data', persistentVolumeClaim: { claimName: names.claim, readOnly: true } }],
      }),
    };
    restoreJob = kubeObject(k8s.KubeJob, scope, 'RestoreJob', {
      metadata: platform.metadata(jobName(names.restore, template, restoreFiles(files)), 'restore', scope),
      spec: { backoffLimit: 6, activeDeadlineSeconds: 12 * 3600, ttlSecondsAfterFinished: FINISHED_JOB_TTL_SECONDS, template },
    });
  }

  // Backup and restore pods accept no connections (Egress only): they reach the nodes and the bucket.
  const jobPods = {
    matchLabels: { 'app.kubernetes.io/part-of': platform.platformName, ...platform.ownerLabels(scope) },
    matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: [names.backup, names.restore] }],
  };
  const nodes = platform.selectorLabels(topology.nodes, scope);
  const buckets = [s3 && b.enabled ? s3 : undefined, restoreS3].filter((t): t is BackupS3Options => t !== undefined);
  const networkPolicy = kubeObject(k8s.KubeNetworkPolicy, scope, 'BackupNetworkPolicy', {
    metadata: platform.metadata(names.backup, 'backup', scope),
    spec: {
      podSelector: jobPods,
      policyTypes: ['Egress'],
      egress: [{ to: [podsPeer(nodes)], ports: tcpPorts(spec.port) }, ...buckets.map(s3EgressRule)],
    },
  });
  nodeIngress.push({ from: [{ podSelector: jobPods }], ports: tcpPorts(spec.port) });
  // The store's pod only holds the claim: nothing in, nothing out.
  const storeNetworkPolicy = store ? kubeObject(k8s.KubeNetworkPolicy, scope, 'BackupStoreNetworkPolicy', {
    metadata: platform.metadata(names.store, 'backup', scope),
    spec: { podSelector: { matchLabels: storeSelector }, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] },
  }) : undefined;
  return { configMap, networkPolicy, cronJob, store, storeNetworkPolicy, restoreJob };
}

/** The files a restore pod runs: its name changes with them, and with nothing else in the ConfigMap. */
function restoreFiles(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).filter(([name]) => name === BACKUP_FILES.restore || name === BACKUP_FILES.download));
}

function tmpVolume(): Json {
  return { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } };
}

/** An S3 target's key prefix: the one given, else `<cache name>/`. */
export function prefixOf(spec: CacheClusterSpec, s3: BackupS3Options): string {
  return s3.prefix ?? `${spec.name}/`;
}

/**
 * The snapshot volume's keeper: a StatefulSet whose claim template creates the claim and retains it
 * when the StatefulSet is deleted, so `kubectl delete -f` of the manifests leaves the snapshots (a
 * claim written in the manifests would be deleted with them). Its one pod only holds the claim.
 */
function renderStore(scope: Construct, topology: CacheTopology): k8s.KubeStatefulSet {
  const { spec, platform } = topology;
  const names = backupNames(spec);
  const selector = platform.selectorLabels(names.store, scope);
  const volume = spec.kubernetes.backup.target.volumeOptions;
  const labels = platform.labelsFor(names.store, 'backup', scope);
  const probe = (periodSeconds: number): Json => ({ exec: { command: ['test', '-w', BACKUP_DIR] }, periodSeconds, timeoutSeconds: 3 });
  return kubeObject(k8s.KubeStatefulSet, scope, 'BackupStore', {
    metadata: platform.metadata(names.store, 'backup', scope),
    spec: {
      serviceName: names.store,
      replicas: 1,
      selector: { matchLabels: selector },
      // The snapshots outlive the manifests unless the cache's removal policy is DESTROY.
      persistentVolumeClaimRetentionPolicy: claimRetentionPolicy(spec.removalPolicy),
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: spec.name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: restrictedPodSecurityContext(spec.kubernetes.runAsUser),
          terminationGracePeriodSeconds: 5,
          containers: [{
            name: 'store',
            image: spec.kubernetes.image,
            imagePullPolicy: 'IfNotPresent',
            command: ['sh', '-c', 'trap "exit 0" TERM INT; while :; do sleep 3600 & wait $!; done'],
            resources: resources(10, 16),
            securityContext: restrictedContainerSecurityContext(),
            readinessProbe: probe(30),
            livenessProbe: probe(60),
            volumeMounts: [{ name: 'backups', mountPath: BACKUP_DIR }],
          }],
        },
      },
      volumeClaimTemplates: [{
        metadata: { name: 'backups', labels },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: volume?.storageClass ?? platform.storageClassName,
          resources: { requests: { storage: volume?.size ? `${volume.size.toMebibytes()}Mi` : defaultSize(spec) } },
        },
      }],
    },
  });
}
