import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CacheClusterMode } from './engine';
import {
  Json,
  CacheTopology, COMMON_MOUNTS, CONFIG_DIR, commonVolumes, exporterContainer, pingProbe, podBase, resources, tlsMounts, tlsVolumes, topologyEnv,
} from './kubernetes-pods';
import { CLUSTER_BUS_OFFSET, EXPORTER_PORT } from './redis-config';
import { nodeCount, usesSentinels } from './spec';
import { probeTlsArgs } from './tls';
import { kubeObject } from '../platform/kube-object';
import { claimRetentionPolicy, dataVolumeClaimTemplate, restrictedContainerSecurityContext } from '../platform/kubernetes-pod';

/** The Redis nodes: StatefulSet, headless Service, PodDisruptionBudget. */
export interface RedisNodeObjects {
  readonly statefulSet: k8s.KubeStatefulSet;
  readonly headlessService: k8s.KubeService;
  readonly disruptionBudget: k8s.KubePodDisruptionBudget;
  /** Environment of the Redis container, open to additions until synthesis (ACL users' passwords). */
  readonly redisEnv: Json[];
}

/**
 * Redis nodes as one StatefulSet: stable names (`<name>-<i>.<name>-nodes`) that Sentinel, HAProxy and
 * the cluster bus use, a PersistentVolumeClaim per node (AOF + RDB), the redis_exporter sidecar.
 */
export function renderRedisNodes(
  scope: Construct, topology: CacheTopology, password: { name: string; key: string }, configChecksum: string,
): RedisNodeObjects {
  const { spec, platform } = topology;
  const selector = platform.selectorLabels(topology.nodes, scope);
  const metadata = platform.metadata(topology.nodes, 'cache', scope);
  const cluster = spec.mode === CacheClusterMode.CLUSTER;
  const ports: Json[] = [{ name: 'redis', containerPort: spec.port, protocol: 'TCP' }];
  if (cluster) ports.push({ name: 'cluster-bus', containerPort: spec.port + CLUSTER_BUS_OFFSET, protocol: 'TCP' });
  const mib = spec.kubernetes.memoryMiB;

  const redisEnv: Json[] = [...topologyEnv(topology, topology.nodesService, password), { name: 'REDIS_PORT', value: String(spec.port) }];
  const redis: Json = {
    name: 'redis',
    image: spec.kubernetes.image,
    imagePullPolicy: 'IfNotPresent',
    command: ['sh', `${CONFIG_DIR}/start-redis.sh`],
    env: redisEnv,
    ports,
    resources: resources(Math.round(spec.kubernetes.cpu * 1000), mib),
    securityContext: restrictedContainerSecurityContext(),
    // Loading a large AOF can take minutes: LOADING counts as alive, and only PONG as ready.
    startupProbe: pingProbe(spec.port, 'PONG|LOADING', 5, 120, probeTlsArgs(spec)),
    livenessProbe: pingProbe(spec.port, 'PONG|LOADING|MASTERDOWN', 10, 6, probeTlsArgs(spec)),
    readinessProbe: pingProbe(spec.port, 'PONG', 5, 3, probeTlsArgs(spec)),
    lifecycle: usesSentinels(spec) ? { preStop: { exec: { command: ['sh', `${CONFIG_DIR}/prestop-redis.sh`] } } } : undefined,
    volumeMounts: [...COMMON_MOUNTS, { name: 'data', mountPath: '/data' }, ...tlsMounts(spec)],
  };

  const volumes = [...commonVolumes(topology), ...tlsVolumes(spec, false)];
  if (!spec.persistence) volumes.push({ name: 'data', emptyDir: { sizeLimit: `${spec.kubernetes.storageMiB}Mi` } });
  const claims: Json[] = spec.persistence
    ? [dataVolumeClaimTemplate(platform.labelsFor(topology.nodes, 'cache', scope), platform.storageClassName, spec.kubernetes.storageMiB)]
    : [];

  const statefulSet = kubeObject(k8s.KubeStatefulSet, scope, 'StatefulSet', {
    metadata,
    spec: {
      serviceName: topology.nodesService,
      replicas: nodeCount(spec),
      // Nodes find their role themselves (start script, setup Job): no need to start them one by one.
      podManagementPolicy: 'Parallel',
      updateStrategy: { type: 'RollingUpdate' },
      selector: { matchLabels: selector },
      persistentVolumeClaimRetentionPolicy: claimRetentionPolicy(spec.removalPolicy),
      template: {
        metadata: { labels: platform.labelsFor(topology.nodes, 'cache', scope), annotations: { 'cache.platform/config-checksum': configChecksum } },
        spec: {
          ...podBase(topology, selector),
          terminationGracePeriodSeconds: 30,
          containers: [redis, exporterContainer(spec, password, platform.serviceHost(topology.nodesService))],
          volumes,
        },
      },
      volumeClaimTemplates: claims.length > 0 ? claims.map(c => ({ metadata: c.metadata, spec: c.spec })) : undefined,
    },
  });

  const servicePorts: Json[] = [
    { name: 'redis', port: spec.port, targetPort: 'redis', protocol: 'TCP' },
    { name: 'metrics', port: EXPORTER_PORT, targetPort: 'metrics', protocol: 'TCP' },
  ];
  if (cluster) servicePorts.push({ name: 'cluster-bus', port: spec.port + CLUSTER_BUS_OFFSET, targetPort: 'cluster-bus', protocol: 'TCP' });
  const headlessService = kubeObject(k8s.KubeService, scope, 'NodesService', {
    metadata: platform.metadata(topology.nodesService, 'cache', scope),
    spec: {
      clusterIP: 'None',
      // Nodes must resolve each other while they start (before they are ready).
      publishNotReadyAddresses: true,
      selector,
      ports: servicePorts,
    },
  });

  const disruptionBudget = kubeObject(k8s.KubePodDisruptionBudget, scope, 'DisruptionBudget', {
    metadata,
    spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
  });
  return { statefulSet, headlessService, disruptionBudget, redisEnv };
}
