import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  CacheTopology, COMMON_MOUNTS, CONFIG_DIR, commonVolumes, pingProbe, podBase, podsPeer, PolicyFactory, PolicyRules, resources,
  tcpPorts, tlsMounts, tlsVolumes, topologyEnv,
} from './kubernetes-pods';
import { renderSentinelConf, renderSentinelPrimaryOptions, SENTINEL_PORT } from './redis-config';
import { CacheClusterSpec, sentinelQuorum, usesSentinels } from './spec';
import { renderRedisPreStopScript, renderSentinelStartScript } from './start-scripts';
import { probeTlsArgs } from './tls';
import { invalidPropMessage } from '../platform/errors';
import { kubeObject } from '../platform/kube-object';
import { restrictedContainerSecurityContext } from '../platform/kubernetes-pod';
import { Rule } from '../platform/validation';
import { ProfileWarning, reducedAvailabilityWarning } from '../platform/warnings';

/*
 * Replication mode with automatic failover: Sentinels watch the primary and promote a replica when
 * it fails. On Kubernetes the cache runs them itself; on AWS ElastiCache fails over on its own.
 */

/** Sentinels decide by majority: an odd count from 3 to 9 (one in development, with a warning). */
export const sentinelCount: Rule<CacheClusterSpec> = (scope, s) => {
  const n = s.kubernetes.sentinels;
  if (!usesSentinels(s)) {
    return s.kubernetes.sentinelsSet ? [invalidPropMessage(scope, 'kubernetes.sentinels', 'is only used in replication mode with automatic failover', n,
      'remove it: cluster mode and automaticFailover: false run no Sentinels')] : [];
  }
  if (Number.isInteger(n) && n >= 3 && n <= 9 && n % 2 === 1) return [];
  if (n === 1 && s.profile?.allowsReducedAvailability) return []; // a warning instead (cacheClusterWarnings)
  return [invalidPropMessage(scope, 'kubernetes.sentinels', 'must be an odd number from 3 to 9', n,
    'failover needs a majority of Sentinels: with fewer than 3 one failure blocks it, and an even count tolerates no more failures than the odd count below it')];
};

/** A lone Sentinel, which the development profile allows: no failover while it is down. */
export function sentinelWarnings(spec: CacheClusterSpec): ProfileWarning[] {
  return spec.kubernetes.sentinels === 1 ? [reducedAvailabilityWarning('cache-cluster', 'kubernetes.sentinels', 1,
    'no failover happens while the only Sentinel is down or rescheduled', 'an odd number from 3 to 9 (a majority decides)')] : [];
}

/** The Sentinels' files in the cache's ConfigMap, and the nodes' pre-stop script that hands the primary role over first. */
export function sentinelFiles(spec: CacheClusterSpec): Record<string, string> {
  return {
    'sentinel.conf': renderSentinelConf(spec),
    'sentinel-primary.conf': renderSentinelPrimaryOptions(spec),
    'start-sentinel.sh': renderSentinelStartScript(spec),
    'prestop-redis.sh': renderRedisPreStopScript(spec),
  };
}

/** Sentinels: StatefulSet (stable names they announce), headless Service, PodDisruptionBudget. */
export interface SentinelObjects {
  readonly statefulSet: k8s.KubeStatefulSet;
  readonly service: k8s.KubeService;
  readonly disruptionBudget: k8s.KubePodDisruptionBudget;
}

/** The Sentinels that watch the primary and promote a replica when it fails. */
export function renderSentinels(
  scope: Construct, topology: CacheTopology, password: { name: string; key: string }, configChecksum: string,
): SentinelObjects {
  const { spec, platform } = topology;
  const selector = platform.selectorLabels(topology.sentinels, scope);
  const metadata = platform.metadata(topology.sentinels, 'sentinel', scope);
  const statefulSet = kubeObject(k8s.KubeStatefulSet, scope, 'SentinelStatefulSet', {
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
  const service = kubeObject(k8s.KubeService, scope, 'SentinelService', {
    metadata,
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector,
      ports: [{ name: 'sentinel', port: SENTINEL_PORT, targetPort: 'sentinel', protocol: 'TCP' }],
    },
  });
  // Failover needs a majority of the Sentinels: never let a drain take more than the rest.
  const disruptionBudget = kubeObject(k8s.KubePodDisruptionBudget, scope, 'SentinelDisruptionBudget', {
    metadata,
    spec: {
      // Keep a quorum through voluntary evictions; a lone (development) Sentinel may still be drained.
      maxUnavailable: Math.max(1, spec.kubernetes.sentinels - sentinelQuorum(spec)),
      selector: { matchLabels: selector },
    },
  });
  return { statefulSet, service, disruptionBudget };
}

/**
 * The Sentinels' NetworkPolicy: they talk to each other and to the nodes, whose start script asks
 * them for the current primary. Adds the nodes' side of both paths to `nodes`.
 */
export function sentinelNetworkPolicy(topology: CacheTopology, nodes: PolicyRules,
  labels: { nodes: Record<string, string>; sentinels: Record<string, string> }, policy: PolicyFactory): PolicyRules {
  const { spec } = topology;
  nodes.ingress.push({ from: [podsPeer(labels.sentinels)], ports: tcpPorts(spec.port) });
  nodes.egress.push({ to: [podsPeer(labels.sentinels)], ports: tcpPorts(SENTINEL_PORT) });
  const sentinels = policy('SentinelNetworkPolicy', topology.sentinels, 'sentinel', labels.sentinels);
  sentinels.ingress.push({ from: [podsPeer(labels.sentinels), podsPeer(labels.nodes)], ports: tcpPorts(SENTINEL_PORT) });
  sentinels.egress.push(
    { to: [podsPeer(labels.nodes)], ports: tcpPorts(spec.port) },
    { to: [podsPeer(labels.sentinels)], ports: tcpPorts(SENTINEL_PORT) },
  );
  return sentinels;
}
