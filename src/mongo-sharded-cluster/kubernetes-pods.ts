/**
 * Containers and volumes shared by the mongod, mongos and Job pods.
 */
import { Size } from 'aws-cdk-lib';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { agentScript, PBM_IMAGE } from './mongo-backup';
import { MONITOR_USER } from './mongo-init';
import { PBM_FILESYSTEM_PATH } from './pbm-config';
import { MONGO_DEFAULTS, MongoShardedClusterSpec } from './spec';
import { MongoContainerResources } from './target-options';
import { MongoTopology, TLS_CA_FILE, tlsQuery } from './topology';
import { kubernetesExpansionLiteral } from '../platform/escape/kubernetes-expansion';
import { KubernetesPlatform } from '../platform/kubernetes-platform';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../platform/kubernetes-pod';

/** The official image's mongodb user and group. */
export const MONGO_UID = 999;
export const EXPORTER_IMAGE = 'percona/mongodb_exporter:0.43.1';
export const KEYFILE_SECRET_DIR = '/etc/mongodb/keyfile-secret';
export const KEYFILE = '/var/run/mongodb/keyfile/keyfile';
const TLS_SECRET_DIR = '/etc/mongodb/tls';
const SERVER_PEM = '/var/run/mongodb/tls/server.pem';
/** Keys of a kubernetes.io/tls Secret (cert-manager adds ca.crt). */
const TLS_CERT = 'tls.crt';
const TLS_KEY = 'tls.key';
const TLS_CA = 'ca.crt';
const DEFAULT_MEMBER: MongoContainerResources = { cpu: 1, memory: Size.gibibytes(2) };
// mongos is small, but the mongosh readiness probe runs in its container too.
const DEFAULT_ROUTER: MongoContainerResources = { cpu: 0.5, memory: Size.gibibytes(1) };

/** What every Kubernetes builder of the cluster reads. */
export interface MongoKubernetesContext {
  readonly scope: Construct;
  readonly platform: KubernetesPlatform;
  readonly spec: MongoShardedClusterSpec;
  readonly topology: MongoTopology;
  readonly image: string;
  readonly serviceAccountName: string;
  readonly keyFile: { readonly name: string; readonly key: string };
  readonly tlsSecretName: string;
  readonly adminPassword: k8s.SecretKeySelector;
  readonly monitorPassword: k8s.SecretKeySelector;
  readonly backupPassword: k8s.SecretKeySelector;
  /** The existing ReadWriteMany claim of a volume backup target; undefined with S3. */
  readonly backupClaimName?: string;
  /** The S3 target's credentials, for the agents; undefined with a volume. */
  readonly backupS3?: { readonly region: string; readonly accessKeyId: k8s.SecretKeySelector; readonly secretAccessKey: k8s.SecretKeySelector };
}

export const quantity = (value: string) => k8s.Quantity.fromString(value);

/** Requests and limits for `resources` (memory limited, CPU not: throttling a database hurts more than sharing). */
export function resourcesOf(resources: MongoContainerResources): k8s.ResourceRequirements {
  const memory = quantity(`${resources.memory.toMebibytes()}Mi`);
  return { requests: { cpu: quantity(`${Math.round(resources.cpu * 1000)}m`), memory }, limits: { memory } };
}

export function memberResources(spec: MongoShardedClusterSpec): MongoContainerResources {
  return spec.kubernetes.memberResources ?? DEFAULT_MEMBER;
}

export function routerResources(spec: MongoShardedClusterSpec): MongoContainerResources {
  return spec.kubernetes.routerResources ?? DEFAULT_ROUTER;
}

/** WiredTiger's cache: MongoDB's own rule, half of (memory - 1 GiB), at least 0.25 GiB, from the container limit. */
export function wiredTigerCacheGiB(resources: MongoContainerResources): number {
  return Math.max(0.25, Math.floor(((resources.memory.toMebibytes() / 1024 - 1) / 2) * 100) / 100);
}

/** mongod/mongos flags for internal authentication and (when on) TLS. */
export function securityArgs(tls: boolean): string[] {
  const args = ['--keyFile', KEYFILE];
  return tls ? [...args, '--tlsMode', 'requireTLS', '--tlsCertificateKeyFile', SERVER_PEM, '--tlsCAFile', TLS_CA_FILE,
    '--tlsAllowConnectionsWithoutCertificates'] : args;
}

/** Pod-level security: the image's uid 999, restricted profile, volumes group-owned by 999. */
export function podSecurityContext(): k8s.PodSecurityContext {
  return { ...restrictedPodSecurityContext(MONGO_UID), fsGroupChangePolicy: 'OnRootMismatch' };
}

export function tmpVolume(): k8s.Volume {
  return { name: 'tmp', emptyDir: { sizeLimit: quantity('256Mi') } };
}

/**
 * The keyfile and TLS Secrets, plus in-memory volumes for the files mongod reads. The TLS Secret is
 * projected twice: certificate and key for the init container that builds mongod's PEM file, and
 * the CA alone (`tls-ca`) for everything else (mongod, exporter, Jobs): none of them reads the key.
 */
export function secretVolumes(ctx: MongoKubernetesContext): k8s.Volume[] {
  const volumes: k8s.Volume[] = [
    // fsGroup makes the file 0440 root:999: readable by the init container, too open for mongod.
    { name: 'keyfile-secret', secret: { secretName: ctx.keyFile.name, items: [{ key: ctx.keyFile.key, path: 'keyfile' }], defaultMode: 0o400 } },
    { name: 'keyfile', emptyDir: { medium: 'Memory', sizeLimit: quantity('1Mi') } },
  ];
  if (ctx.spec.tls) {
    volumes.push(
      { name: 'tls-secret', secret: { secretName: ctx.tlsSecretName, items: [TLS_CERT, TLS_KEY].map(key => ({ key, path: key })), defaultMode: 0o400 } },
      tlsCaVolume(ctx),
      { name: 'tls', emptyDir: { medium: 'Memory', sizeLimit: quantity('1Mi') } },
    );
  }
  return volumes;
}

/** The CA certificate of the TLS Secret, and nothing else from it. */
export function tlsCaVolume(ctx: MongoKubernetesContext): k8s.Volume {
  return { name: 'tls-ca', secret: { secretName: ctx.tlsSecretName, items: [{ key: TLS_CA, path: TLS_CA }], defaultMode: 0o444 } };
}

/** Mounts of the files mongod/mongos read: the PEM file the init container built, and the CA. */
export function serverMounts(tls: boolean): k8s.VolumeMount[] {
  const mounts: k8s.VolumeMount[] = [{ name: 'tmp', mountPath: '/tmp' }, { name: 'keyfile', mountPath: '/var/run/mongodb/keyfile', readOnly: true }];
  return tls ? [...mounts, ...caMounts(tls), { name: 'tls', mountPath: '/var/run/mongodb/tls', readOnly: true }] : mounts;
}

/** The CA mount clients inside the cluster need (Jobs, exporters): never the private key. */
export function caMounts(tls: boolean): k8s.VolumeMount[] {
  return tls ? [{ name: 'tls-ca', mountPath: TLS_SECRET_DIR, readOnly: true }] : [];
}

/**
 * Copies the keyfile to an in-memory file owned by mongod with mode 0400 (mongod refuses a
 * group-readable keyfile) and joins certificate and key into the one PEM file mongod reads.
 */
export function prepareSecretsContainer(ctx: MongoKubernetesContext): k8s.Container {
  const steps = ['umask 077', `install -m 0400 ${KEYFILE_SECRET_DIR}/keyfile ${KEYFILE}`];
  if (ctx.spec.tls) steps.push(`cat ${TLS_SECRET_DIR}/tls.crt ${TLS_SECRET_DIR}/tls.key > ${SERVER_PEM}`, `chmod 0400 ${SERVER_PEM}`);
  const mounts: k8s.VolumeMount[] = [
    { name: 'keyfile-secret', mountPath: KEYFILE_SECRET_DIR, readOnly: true },
    { name: 'keyfile', mountPath: '/var/run/mongodb/keyfile' },
  ];
  if (ctx.spec.tls) mounts.push({ name: 'tls-secret', mountPath: TLS_SECRET_DIR, readOnly: true }, { name: 'tls', mountPath: '/var/run/mongodb/tls' });
  return {
    name: 'prepare-secrets',
    image: ctx.image,
    imagePullPolicy: 'IfNotPresent',
    command: ['/bin/sh', '-ec', steps.join('\n')],
    resources: resourcesOf({ cpu: 0.05, memory: Size.mebibytes(32) }),
    securityContext: restrictedContainerSecurityContext(),
    volumeMounts: mounts,
  };
}

/** mongosh over loopback (the certificate covers localhost): exits non-zero unless the server answers. */
export function pingProbe(tls: boolean): k8s.Probe {
  const uri = `mongodb://localhost:${MONGO_DEFAULTS.port}/?directConnection=true&serverSelectionTimeoutMS=3000${tlsQuery(tls)}`;
  return {
    exec: { command: ['mongosh', '--quiet', '--norc', uri, '--eval', 'db.adminCommand({ ping: 1 }).ok'] },
    periodSeconds: 10,
    timeoutSeconds: 10,
    failureThreshold: 3,
  };
}

export function tcpProbe(port: string, periodSeconds: number, failureThreshold: number): k8s.Probe {
  return { tcpSocket: { port: k8s.IntOrString.fromString(port) }, periodSeconds, timeoutSeconds: 5, failureThreshold };
}

/** The mongod or mongos container. */
export function serverContainer(
  ctx: MongoKubernetesContext, name: string, args: string[], resources: MongoContainerResources, extraMounts: k8s.VolumeMount[],
): k8s.Container {
  return {
    name,
    image: ctx.image,
    imagePullPolicy: 'IfNotPresent',
    command: [name],
    args: [...args, '--port', String(MONGO_DEFAULTS.port), '--bind_ip_all', ...securityArgs(ctx.spec.tls)],
    env: [{ name: 'HOME', value: '/tmp' }],
    ports: [{ name: 'mongodb', containerPort: MONGO_DEFAULTS.port, protocol: 'TCP' }],
    resources: resourcesOf(resources),
    securityContext: restrictedContainerSecurityContext(),
    // Recovery after an unclean shutdown may take minutes before the port opens.
    startupProbe: tcpProbe('mongodb', 10, 60),
    readinessProbe: pingProbe(ctx.spec.tls),
    livenessProbe: tcpProbe('mongodb', 20, 6),
    volumeMounts: [...serverMounts(ctx.spec.tls), ...extraMounts],
  };
}

/** percona/mongodb_exporter next to every mongod and mongos, logging in as the metrics user. */
export function exporterContainer(ctx: MongoKubernetesContext): k8s.Container {
  const uri = `mongodb://localhost:${MONGO_DEFAULTS.port}/admin?directConnection=true${tlsQuery(ctx.spec.tls)}`;
  return {
    name: 'exporter',
    image: EXPORTER_IMAGE,
    imagePullPolicy: 'IfNotPresent',
    args: [`--mongodb.uri=${uri}`, '--collect-all', '--compatible-mode', '--collector.collstats-limit=200',
      `--web.listen-address=:${MONGO_DEFAULTS.metricsPort}`],
    env: [
      { name: 'MONGODB_USER', value: MONITOR_USER },
      { name: 'MONGODB_PASSWORD', valueFrom: { secretKeyRef: ctx.monitorPassword } },
    ],
    ports: [{ name: 'metrics', containerPort: MONGO_DEFAULTS.metricsPort, protocol: 'TCP' }],
    resources: resourcesOf({ cpu: 0.05, memory: Size.mebibytes(128) }),
    securityContext: restrictedContainerSecurityContext(),
    readinessProbe: tcpProbe('metrics', 10, 3),
    livenessProbe: tcpProbe('metrics', 20, 3),
    volumeMounts: caMounts(ctx.spec.tls),
  };
}

/**
 * Percona Backup for MongoDB's agent beside a mongod: it takes its replica set's part of every snapshot
 * and, with point-in-time recovery, saves the oplog in slices, writing straight to the backup target
 * (the shared claim at the same path in every agent, or the bucket).
 */
export function backupAgentContainer(ctx: MongoKubernetesContext): k8s.Container {
  const s3 = ctx.backupS3;
  return {
    name: 'backup-agent',
    image: PBM_IMAGE,
    imagePullPolicy: 'IfNotPresent',
    // Kubernetes would read $(…) and $$ in a command: every $ doubled, the shell gets the script as written.
    command: ['/bin/sh', '-c', kubernetesExpansionLiteral(agentScript(ctx.spec.tls))],
    env: [
      { name: 'HOME', value: '/tmp' },
      { name: 'MONGO_BACKUP_PASSWORD', valueFrom: { secretKeyRef: ctx.backupPassword } },
      ...s3 ? [
        { name: 'AWS_REGION', value: s3.region },
        { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: s3.accessKeyId } },
        { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: s3.secretAccessKey } },
      ] : [],
    ],
    resources: resourcesOf({ cpu: 0.1, memory: Size.mebibytes(512) }),
    securityContext: restrictedContainerSecurityContext(),
    // The agent listens on no port: the probes check that its binary answers. A failing agent shows in
    // `pbm status` and, through a missed backup, in MongoBackupMissing, never in the mongod pod's readiness.
    readinessProbe: agentProbe(),
    livenessProbe: agentProbe(),
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      ...caMounts(ctx.spec.tls),
      ...ctx.backupClaimName ? [{ name: 'backups', mountPath: PBM_FILESYSTEM_PATH }] : [],
    ],
  };
}

function agentProbe(): k8s.Probe {
  return { exec: { command: ['pbm-agent', 'version'] }, periodSeconds: 60, timeoutSeconds: 10, failureThreshold: 3 };
}
