import { ApiObject } from 'cdk8s';
import { BACKUP_RECORD_KEY } from './backup-scripts';
import { EXPORTER_PORT, SENTINEL_PORT } from './redis-config';
import { CacheClusterSpec, nodeCount, usesSentinels } from './spec';
import { TLS_CA_ENV, TLS_DIR, TLS_KEYS } from './tls';
import { KubernetesPlatform } from '../platform/kubernetes-platform';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, spreadConstraints } from '../platform/kubernetes-pod';

export const CONFIG_DIR = '/etc/cache';

/**
 * A Kubernetes object fragment, in Kubernetes JSON: objects are built with `kubeObject`, which
 * renders them as written (see there).
 */
export type Json = { readonly [key: string]: any };

/** Names and addresses of every Kubernetes object of one cache. */
export class CacheTopology {
  public readonly nodes: string;
  public readonly nodesService: string;
  public readonly sentinels: string;
  public readonly proxy: string;
  public readonly setup: string;
  public readonly config: string;

  constructor(public readonly spec: CacheClusterSpec, public readonly platform: KubernetesPlatform) {
    this.nodes = spec.name;
    this.nodesService = `${spec.name}-nodes`;
    this.sentinels = `${spec.name}-sentinel`;
    this.proxy = `${spec.name}-proxy`;
    this.setup = `${spec.name}-setup`;
    this.config = `${spec.name}-config`;
  }

  /** `host:port` of every Redis node, in ordinal order (stable StatefulSet DNS names). */
  public redisNodes(): string[] {
    return Array.from({ length: nodeCount(this.spec) }, (_, i) => `${this.podHost(this.nodes, this.nodesService, i)}:${this.spec.port}`);
  }

  /** `host:port` of every Sentinel (none without automatic failover or in cluster mode). */
  public sentinelNodes(): string[] {
    if (!usesSentinels(this.spec)) return [];
    return Array.from({ length: this.spec.kubernetes.sentinels }, (_, i) => `${this.podHost(this.sentinels, this.sentinels, i)}:${SENTINEL_PORT}`);
  }

  /** DNS name of pod `ordinal` of StatefulSet `set` behind headless Service `service`. */
  public podHost(set: string, service: string, ordinal: number): string {
    return `${set}-${ordinal}.${this.platform.serviceHost(service)}`;
  }
}

/** Env var read from the cache's AUTH Secret. */
export function secretEnv(name: string, ref: { name: string; key: string }): Json {
  return { name, valueFrom: { secretKeyRef: ref } };
}

/** The env every Redis-image container reads: identity, topology and password. */
export function topologyEnv(topology: CacheTopology, service: string, password: { name: string; key: string }): Json[] {
  return [
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'SELF_HOST', value: `$(POD_NAME).${topology.platform.serviceHost(service)}` },
    { name: 'REDIS_NODES', value: topology.redisNodes().join(' ') },
    { name: 'SENTINELS', value: topology.sentinelNodes().join(' ') },
    secretEnv('REDIS_PASSWORD', password),
    // redis-cli in the probes authenticates with it.
    secretEnv('REDISCLI_AUTH', password),
    ...tlsEnv(topology.spec),
  ];
}

/** TLS_CA_FILE when the cache uses TLS: the scripts' redis-cli calls connect with TLS. */
export function tlsEnv(spec: CacheClusterSpec): Json[] {
  return spec.kubernetes.tls ? [{ name: TLS_CA_ENV, value: `${TLS_DIR}/${TLS_KEYS.ca}` }] : [];
}

/**
 * The TLS Secret as a volume: every key for Redis and Sentinel pods, only the CA for pods that
 * merely verify (the proxy, the setup Job).
 */
export function tlsVolumes(spec: CacheClusterSpec, caOnly: boolean): Json[] {
  if (!spec.kubernetes.tls) return [];
  const keys = caOnly ? [TLS_KEYS.ca] : [TLS_KEYS.ca, TLS_KEYS.cert, TLS_KEYS.key];
  return [{ name: 'tls', secret: { secretName: spec.kubernetes.tlsSecretName, items: keys.map(key => ({ key, path: key })), defaultMode: 0o440 } }];
}

/** The mount of {@link tlsVolumes}. */
export function tlsMounts(spec: CacheClusterSpec): Json[] {
  return spec.kubernetes.tls ? [{ name: 'tls', mountPath: TLS_DIR, readOnly: true }] : [];
}

/** cpu/memory requests and a memory limit. */
export function resources(cpuMillis: number, memoryMiB: number): Json {
  return {
    requests: { cpu: `${cpuMillis}m`, memory: `${memoryMiB}Mi` },
    limits: { memory: `${memoryMiB}Mi` },
  };
}

/** An exec probe running `redis-cli ping` against `port` and accepting `replies` (a grep -E pattern). */
export function pingProbe(port: number, replies: string, periodSeconds: number, failureThreshold: number, tlsArgs = ''): Json {
  return {
    exec: { command: ['sh', '-c', `redis-cli --no-auth-warning ${tlsArgs}-p ${port} ping | grep -Eq '${replies}'`] },
    periodSeconds,
    timeoutSeconds: 5,
    failureThreshold,
  };
}

/** Volumes shared by Redis-image pods: the generated config, a memory-backed run dir (runtime config with the password) and /tmp. */
export function commonVolumes(topology: CacheTopology): Json[] {
  return [
    { name: 'config', configMap: { name: topology.config, defaultMode: 0o555 } },
    { name: 'run', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
    { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
  ];
}

export const COMMON_MOUNTS: Json[] = [
  { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
  { name: 'run', mountPath: '/run/cache' },
  { name: 'tmp', mountPath: '/tmp' },
];

/** The redis_exporter sidecar: Prometheus metrics of the Redis node next to it. */
export function exporterContainer(spec: CacheClusterSpec, password: { name: string; key: string }, nodesHost: string): Json {
  return {
    name: 'exporter',
    image: spec.kubernetes.exporterImage,
    imagePullPolicy: 'IfNotPresent',
    env: [
      ...spec.kubernetes.tls ? [
        // The certificate names the pods, not localhost: connect by the pod's own name and verify it.
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'REDIS_ADDR', value: `rediss://$(POD_NAME).${nodesHost}:${spec.port}` },
        { name: 'REDIS_EXPORTER_TLS_CA_CERT_FILE', value: `${TLS_DIR}/${TLS_KEYS.ca}` },
      ] : [
        { name: 'REDIS_ADDR', value: `redis://localhost:${spec.port}` },
      ],
      secretEnv('REDIS_PASSWORD', password),
      // The size of the snapshot record (0 once it expired), for the CacheSnapshotFailed alert.
      ...(spec.kubernetes.backup.enabled ? [{ name: 'REDIS_EXPORTER_CHECK_SINGLE_KEYS', value: `db0=${BACKUP_RECORD_KEY}` }] : []),
    ],
    ports: [{ name: 'metrics', containerPort: EXPORTER_PORT, protocol: 'TCP' }],
    resources: resources(50, 64),
    securityContext: restrictedContainerSecurityContext(),
    readinessProbe: { tcpSocket: { port: 'metrics' }, periodSeconds: 10, timeoutSeconds: 3 },
    livenessProbe: { tcpSocket: { port: 'metrics' }, periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 3 },
    volumeMounts: tlsMounts(spec).length > 0 ? tlsMounts(spec) : undefined,
  };
}

/** Pod settings every cache pod shares: restricted, no token, no service links, spread over zones and nodes. */
export function podBase(topology: CacheTopology, selector: Record<string, string>): Json {
  return {
    serviceAccountName: topology.spec.name,
    automountServiceAccountToken: false,
    // Service links would inject e.g. REDIS_PORT=tcp://… for a Service named "redis".
    enableServiceLinks: false,
    securityContext: restrictedPodSecurityContext(topology.spec.kubernetes.runAsUser),
    topologySpreadConstraints: spreadConstraints(selector),
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          weight: 100,
          podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } },
        }],
      },
    },
  };
}

/** A NetworkPolicy peer: pods of this cache selected by `labels` (same namespace). */
export function podsPeer(labels: Record<string, string>): Json {
  return { podSelector: { matchLabels: labels } };
}

/** TCP ports of a NetworkPolicy rule. */
export function tcpPorts(...ports: number[]): Json[] {
  return ports.map(port => ({ protocol: 'TCP', port: port }));
}

/** A NetworkPolicy and its rules, which stay open until synthesis: connected clients are admitted later. */
export interface PolicyRules {
  readonly object: ApiObject;
  readonly ingress: Json[];
  readonly egress: Json[];
}

/** Creates a cache NetworkPolicy selecting `selector`, with empty rules. */
export type PolicyFactory = (id: string, name: string, component: string, selector: Record<string, string>) => PolicyRules;
