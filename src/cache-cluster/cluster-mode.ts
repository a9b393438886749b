import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { renderClusterSetupScript } from './cluster-setup-script';
import { CacheClusterMode } from './engine';
import {
  CacheTopology, COMMON_MOUNTS, CONFIG_DIR, commonVolumes, podBase, podsPeer, PolicyFactory, PolicyRules, resources, secretEnv, tcpPorts,
  tlsEnv, tlsMounts, tlsVolumes,
} from './kubernetes-pods';
import { CLUSTER_BUS_OFFSET } from './redis-config';
import { CacheClusterSpec } from './spec';
import { invalidPropMessage } from '../platform/errors';
import { kubeObject } from '../platform/kube-object';
import { FINISHED_JOB_TTL_SECONDS, jobName } from '../platform/kubernetes-job';
import { restrictedContainerSecurityContext } from '../platform/kubernetes-pod';
import { PlatformTarget } from '../platform/target';
import { Rule } from '../platform/validation';

/*
 * Cluster mode: the keyspace sharded over several primaries, each with replicas, that fail over by
 * the votes of the other primaries. On AWS ElastiCache runs the cluster; on Kubernetes the cache
 * runs the nodes and a Job that creates (or grows) the cluster.
 */

/** Failover needs a majority of primaries, so a Kubernetes cluster needs three shards (ElastiCache has no such limit). */
export const clusterModeShards: Rule<CacheClusterSpec> = (scope, s) =>
  s.mode === CacheClusterMode.CLUSTER && Number.isInteger(s.shards) && s.shards < 3 ? [
    invalidPropMessage(scope, 'shards', `must be at least 3 in cluster mode on ${PlatformTarget.KUBERNETES}`, s.shards,
      'Redis Cluster promotes a replica only with the votes of a majority of primaries; ElastiCache (aws) has no such limit'),
  ] : [];

/** Ports the nodes reach each other on: the data port, and the cluster bus in cluster mode. */
export function nodePeerPorts(spec: CacheClusterSpec): number[] {
  return spec.mode === CacheClusterMode.CLUSTER ? [spec.port, spec.port + CLUSTER_BUS_OFFSET] : [spec.port];
}

/** The setup Job's script in the cache's ConfigMap. */
export function clusterModeFiles(spec: CacheClusterSpec): Record<string, string> {
  return { 'cluster-setup.sh': renderClusterSetupScript(spec) };
}

/** Cluster mode: the client entry Service and the setup Job. */
export interface ClusterModeObjects {
  readonly service: k8s.KubeService;
  readonly setupJob: k8s.KubeJob;
}

/** Bound on the setup Job's waits (nodes starting, gossip settling, replicas syncing). */
const SETUP_WAIT_SECONDS = 900;

/**
 * The entry Service (any node answers and redirects with MOVED) and the Job that creates the
 * cluster or, after the shard count grows, joins the new nodes and rebalances the slots. The Job's
 * name hashes its pod template and script, so any change (shard count, image, Secret…) runs a new
 * Job rather than failing to apply over the immutable old one; the script is idempotent.
 */
export function renderClusterMode(
  scope: Construct, topology: CacheTopology, password: { name: string; key: string }, setupScript: string,
): ClusterModeObjects {
  const { spec, platform } = topology;
  const service = kubeObject(k8s.KubeService, scope, 'Service', {
    metadata: platform.metadata(spec.name, 'cache', scope),
    spec: {
      type: 'ClusterIP',
      selector: platform.selectorLabels(topology.nodes, scope),
      ports: [{ name: 'redis', port: spec.port, targetPort: 'redis', protocol: 'TCP' }],
    },
  });

  const selector = platform.selectorLabels(topology.setup, scope);
  const template = {
    metadata: { labels: platform.labelsFor(topology.setup, 'cluster-setup', scope) },
    spec: {
      ...podBase(topology, selector),
      restartPolicy: 'OnFailure',
      containers: [{
        name: 'setup',
        image: spec.kubernetes.image,
        imagePullPolicy: 'IfNotPresent',
        command: ['sh', `${CONFIG_DIR}/cluster-setup.sh`],
        env: [
          { name: 'REDIS_NODES', value: topology.redisNodes().join(' ') },
          { name: 'REPLICAS_PER_SHARD', value: String(spec.replicas) },
          { name: 'WAIT_SECONDS', value: String(SETUP_WAIT_SECONDS) },
          secretEnv('REDISCLI_AUTH', password),
          ...tlsEnv(spec),
        ],
        resources: resources(100, 64),
        securityContext: restrictedContainerSecurityContext(),
        volumeMounts: [...COMMON_MOUNTS.filter(m => m.name !== 'run'), ...tlsMounts(spec)],
      }],
      volumes: [...commonVolumes(topology).filter(v => v.name !== 'run'), ...tlsVolumes(spec, true)],
    },
  };
  const setupJob = kubeObject(k8s.KubeJob, scope, 'SetupJob', {
    metadata: platform.metadata(jobName(topology.setup, template, { 'cluster-setup.sh': setupScript }), 'cluster-setup', scope),
    spec: {
      backoffLimit: 6,
      activeDeadlineSeconds: SETUP_WAIT_SECONDS * 2,
      ttlSecondsAfterFinished: FINISHED_JOB_TTL_SECONDS,
      template,
    },
  });
  return { service, setupJob };
}

/** The setup Job's NetworkPolicy: it reaches the nodes' data port, which admit it. */
export function clusterSetupNetworkPolicy(topology: CacheTopology, nodes: PolicyRules,
  labels: { nodes: Record<string, string>; setup: Record<string, string> }, policy: PolicyFactory): PolicyRules {
  const { spec } = topology;
  nodes.ingress.push({ from: [podsPeer(labels.setup)], ports: tcpPorts(spec.port) });
  const setup = policy('SetupNetworkPolicy', topology.setup, 'cluster-setup', labels.setup);
  setup.egress.push({ to: [podsPeer(labels.nodes)], ports: tcpPorts(spec.port) });
  return setup;
}
