import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PROXY_HEALTH_PORT } from './haproxy-config';
import {
  Json,
  CacheTopology, COMMON_MOUNTS, CONFIG_DIR, commonVolumes, pingProbe, podBase, resources, secretEnv, tlsMounts, tlsVolumes, topologyEnv,
} from './kubernetes-pods';
import { SENTINEL_PORT } from './redis-config';
import { sentinelQuorum } from './spec';
import { probeTlsArgs } from './tls';
import { restrictedContainerSecurityContext } from '../platform/kubernetes-pod';

/** Sentinels: StatefulSet (stable names they announce), headless Service, PodDisruptionBudget. */
export interface SentinelObjects {
  readonly statefulSet: ApiObject;
  readonly service: ApiObject;
  readonly disruptionBudget: ApiObject;
}

/** The Sentinels that watch the primary and promote a replica when it fails. */
export function renderSentinels(
  scope: Construct, topology: CacheTopology, password: { name: string; key: string }, configChecksum: string,
): SentinelObjects {
  const { spec, platform } = topology;
  const selector = platform.selectorLabels(topology.sentinels, scope);
  const metadata = platform.metadata(topology.sentinels, 'sentinel', scope);
  const statefulSet = new ApiObject(scope, 'SentinelStatefulSet', {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata,
    spec: {
      serviceName: topology.sentinels,
      replicas: spec.kubernetes.sentinels,
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: platform.labelsFor(topology.sentinels, 'sentinel', scope), annotations: { 'cache.platform/config-checksum': configChecksum } },
        spec: {
          ...podBase(topology, selector),
          terminationGracePeriodSeconds: 10,
          containers: [{
            name: 'sentinel',
            image: spec.kubernetes.image,
            imagePullPolicy: 'IfNotPresent',
            command: ['sh', `${CONFIG_DIR}/start-sentinel.sh`],
            env: [...topologyEnv(topology, topology.sentinels, password), { name: 'SENTINEL_PORT', value: String(SENTINEL_PORT) }],
            ports: [{ name: 'sentinel', containerPort: SENTINEL_PORT, protocol: 'TCP' }],
            resources: resources(100, 128),
            securityContext: restrictedContainerSecurityContext(),
            readinessProbe: pingProbe(SENTINEL_PORT, 'PONG', 5, 3, probeTlsArgs(spec)),
            livenessProbe: pingProbe(SENTINEL_PORT, 'PONG', 10, 6, probeTlsArgs(spec)),
            volumeMounts: [...COMMON_MOUNTS, ...tlsMounts(spec)],
          }],
          volumes: [...commonVolumes(topology), ...tlsVolumes(spec, false)],
        },
      },
    },
  });
  const service = new ApiObject(scope, 'SentinelService', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector,
      ports: [{ name: 'sentinel', port: SENTINEL_PORT, targetPort: 'sentinel', protocol: 'TCP' }],
    },
  });
  // Failover needs a majority of the Sentinels: never let a drain take more than the rest.
  const disruptionBudget = new ApiObject(scope, 'SentinelDisruptionBudget', {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata,
    spec: {
      // Keep a quorum through voluntary evictions; a lone (development) Sentinel may still be drained.
      maxUnavailable: Math.max(1, spec.kubernetes.sentinels - sentinelQuorum(spec)),
      selector: { matchLabels: selector },
    },
  });
  return { statefulSet, service, disruptionBudget };
}

/** The primary proxy: Deployment, client Service, PodDisruptionBudget. */
export interface ProxyObjects {
  readonly deployment: ApiObject;
  readonly service: ApiObject;
  readonly disruptionBudget: ApiObject;
}

/**
 * HAProxy in front of the Redis nodes: the stable `<name>` Service always reaches the current
 * primary, for clients that do not speak Sentinel. It needs no Kubernetes API access at all.
 */
export function renderPrimaryProxy(
  scope: Construct, topology: CacheTopology, password: { name: string; key: string }, configChecksum: string,
): ProxyObjects {
  const { spec, platform } = topology;
  const selector = platform.selectorLabels(topology.proxy, scope);
  const metadata = platform.metadata(topology.proxy, 'proxy', scope);
  const health = (path: string, periodSeconds: number): Json => ({
    httpGet: { path, port: 'health' }, periodSeconds, timeoutSeconds: 2, failureThreshold: 3,
  });
  const deployment = new ApiObject(scope, 'ProxyDeployment', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas: spec.kubernetes.proxyReplicas,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: platform.labelsFor(topology.proxy, 'proxy', scope), annotations: { 'cache.platform/config-checksum': configChecksum } },
        spec: {
          ...podBase(topology, selector),
          terminationGracePeriodSeconds: 30,
          containers: [{
            name: 'haproxy',
            image: spec.kubernetes.proxyImage,
            imagePullPolicy: 'IfNotPresent',
            command: ['haproxy', '-W', '-db', '-f', `${CONFIG_DIR}/haproxy.cfg`],
            env: [secretEnv('REDIS_PASSWORD', password)],
            ports: [
              { name: 'redis', containerPort: spec.port, protocol: 'TCP' },
              { name: 'health', containerPort: PROXY_HEALTH_PORT, protocol: 'TCP' },
            ],
            resources: resources(100, 128),
            securityContext: restrictedContainerSecurityContext(),
            // Ready only while a primary is known: during a failover the Service sheds this proxy.
            readinessProbe: health('/ready', 2),
            livenessProbe: health('/healthz', 10),
            volumeMounts: [...COMMON_MOUNTS.filter(m => m.name !== 'run'), ...tlsMounts(spec)],
          }],
          // The proxy passes TLS through: it needs the CA for its checks, never the private key.
          volumes: [...commonVolumes(topology).filter(v => v.name !== 'run'), ...tlsVolumes(spec, true)],
        },
      },
    },
  });
  const service = new ApiObject(scope, 'Service', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: platform.metadata(spec.name, 'proxy', scope),
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: 'redis', port: spec.port, targetPort: 'redis', protocol: 'TCP' }],
    },
  });
  const disruptionBudget = new ApiObject(scope, 'ProxyDisruptionBudget', {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata,
    spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
  });
  return { deployment, service, disruptionBudget };
}
