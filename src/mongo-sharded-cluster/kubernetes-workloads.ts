/**
 * The long-running workloads: one StatefulSet per replica set, and the mongos Deployment.
 */
import { SizeRoundingBehavior } from 'aws-cdk-lib';
import { k8s } from 'cdk8s-plus-27';
import {
  backupAgentContainer, exporterContainer, memberResources, MongoKubernetesContext, podSecurityContext, prepareSecretsContainer, quantity,
  routerResources, secretVolumes, serverContainer, tmpVolume, wiredTigerCacheGiB,
} from './kubernetes-pods';
import { MongoReplicaSetObjects } from './resources';
import { MONGO_DEFAULTS } from './spec';
import { ReplicaSetTopology } from './topology';
import { typedKubeObject } from '../platform/kube-object';
import { spreadConstraints } from '../platform/kubernetes-pod';

/** Components, as in `app.kubernetes.io/component`. */
export const COMPONENTS = { configServer: 'config-server', shard: 'shard', router: 'router', init: 'init', backup: 'backup', restore: 'restore' } as const;

/** Labels of the cluster's long-running pods (members and routers), which carry an exporter. */
export function instanceLabels(ctx: MongoKubernetesContext): Record<string, string> {
  return { 'app.kubernetes.io/instance': ctx.spec.name, 'app.kubernetes.io/part-of': ctx.platform.platformName, ...ctx.platform.ownerLabels(ctx.scope) };
}

function workloadLabels(ctx: MongoKubernetesContext, name: string, component: string): Record<string, string> {
  return { ...ctx.platform.labelsFor(name, component, ctx.scope), ...instanceLabels(ctx) };
}

function podSpec(
  ctx: MongoKubernetesContext, selector: Record<string, string>, containers: k8s.Container[], extraVolumes: k8s.Volume[] = [],
): k8s.PodSpec {
  return {
    serviceAccountName: ctx.serviceAccountName,
    automountServiceAccountToken: false,
    securityContext: podSecurityContext(),
    topologySpreadConstraints: spreadConstraints(selector),
    // mongod flushes and steps down cleanly on SIGTERM given the time.
    terminationGracePeriodSeconds: 60,
    initContainers: [prepareSecretsContainer(ctx)],
    containers,
    volumes: [tmpVolume(), ...secretVolumes(ctx), ...extraVolumes],
  };
}

function disruptionBudget(ctx: MongoKubernetesContext, id: string, name: string, component: string, selector: Record<string, string>) {
  return typedKubeObject(k8s.KubePodDisruptionBudget, ctx.scope, id, {
    metadata: { ...ctx.platform.metadata(name, component, ctx.scope), labels: workloadLabels(ctx, name, component) },
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
  });
}

/** The shared claim of a volume backup target, mounted by every agent. */
function backupVolumes(ctx: MongoKubernetesContext): k8s.Volume[] {
  return ctx.backupClaimName ? [{ name: 'backups', persistentVolumeClaim: { claimName: ctx.backupClaimName } }] : [];
}

/** The size of the volume claim templates, in GiB: fixed once the cluster exists (see volumeClaimTemplateSize). */
export function volumeClaimTemplateGiB(ctx: MongoKubernetesContext): number {
  const size = ctx.spec.kubernetes.volumeClaimTemplateSize;
  return size ? size.toGibibytes({ rounding: SizeRoundingBehavior.NONE }) : ctx.spec.storageGiB;
}

/** One replica set: a StatefulSet of `mongod --configsvr|--shardsvr --replSet`, its headless Service and PDB. */
export function renderReplicaSet(ctx: MongoKubernetesContext, id: string, replicaSet: ReplicaSetTopology): MongoReplicaSetObjects {
  const { name } = replicaSet;
  const component = replicaSet.role === 'configsvr' ? COMPONENTS.configServer : COMPONENTS.shard;
  const labels = workloadLabels(ctx, name, component);
  const selector = ctx.platform.selectorLabels(name, ctx.scope);
  const metadata = { ...ctx.platform.metadata(name, component, ctx.scope), labels };
  const resources = memberResources(ctx.spec);
  const templateGiB = volumeClaimTemplateGiB(ctx);
  const claimSpec = (gib: number): k8s.PersistentVolumeClaimSpec => ({
    accessModes: ['ReadWriteOnce'],
    storageClassName: ctx.spec.storageClass ?? ctx.platform.storageClassName,
    resources: { requests: { storage: quantity(`${gib}Gi`) } },
  });
  const mongod = serverContainer(ctx, 'mongod', [
    `--${replicaSet.role}`, '--replSet', name, '--dbpath', '/data/db',
    '--wiredTigerCacheSizeGB', String(wiredTigerCacheGiB(resources)),
  ], resources, [{ name: 'data', mountPath: '/data/db' }]);

  const headlessService = typedKubeObject(k8s.KubeService, ctx.scope, `${id}Members`, {
    metadata,
    spec: {
      clusterIp: 'None',
      // Members must resolve each other before they are ready, to form the replica set.
      publishNotReadyAddresses: true,
      selector,
      ports: [{ name: 'mongodb', port: MONGO_DEFAULTS.port, targetPort: k8s.IntOrString.fromString('mongodb'), protocol: 'TCP' }],
    },
  });
  const statefulSet = typedKubeObject(k8s.KubeStatefulSet, ctx.scope, id, {
    metadata,
    spec: {
      serviceName: name,
      replicas: replicaSet.members.length,
      // The init Job forms the replica set, so members may start together.
      podManagementPolicy: 'Parallel',
      updateStrategy: { type: 'RollingUpdate' },
      selector: { matchLabels: selector },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      // The backup agent writes its replica set's part of every backup, and the oplog slices.
      template: {
        metadata: { labels },
        spec: podSpec(ctx, selector, [mongod, exporterContainer(ctx), backupAgentContainer(ctx)], backupVolumes(ctx)),
      },
      volumeClaimTemplates: [{ metadata: { name: 'data', labels }, spec: claimSpec(templateGiB) }],
    },
  });
  // Claims are named <template>-<StatefulSet>-<ordinal>: declaring them at the new size expands them.
  const expandedVolumeClaims = ctx.spec.storageGiB > templateGiB ? replicaSet.members.map((_, i) =>
    typedKubeObject(k8s.KubePersistentVolumeClaim, ctx.scope, `${id}Data${i}`, {
      metadata: { ...ctx.platform.metadata(`data-${name}-${i}`, component), labels },
      spec: claimSpec(ctx.spec.storageGiB),
    })) : [];
  return {
    replicaSetName: name,
    statefulSet,
    headlessService,
    expandedVolumeClaims,
    disruptionBudget: disruptionBudget(ctx, `${id}DisruptionBudget`, name, component, selector),
  };
}

/** The mongos Deployment, its Service (the cluster's endpoint) and PDB. */
export function renderRouters(ctx: MongoKubernetesContext) {
  const name = ctx.topology.routerDeployment;
  const labels = workloadLabels(ctx, name, COMPONENTS.router);
  const selector = ctx.platform.selectorLabels(name, ctx.scope);
  const config = ctx.topology.configServers;
  const mongos = serverContainer(ctx, 'mongos', ['--configdb', `${config.name}/${config.members.join(',')}`], routerResources(ctx.spec), []);
  const routers = typedKubeObject(k8s.KubeDeployment, ctx.scope, 'Routers', {
    metadata: { ...ctx.platform.metadata(name, COMPONENTS.router, ctx.scope), labels },
    spec: {
      replicas: ctx.spec.routers,
      revisionHistoryLimit: 10,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
      template: { metadata: { labels }, spec: podSpec(ctx, selector, [mongos, exporterContainer(ctx)]) },
    },
  });
  const routerService = typedKubeObject(k8s.KubeService, ctx.scope, 'RouterService', {
    metadata: {
      ...ctx.platform.metadata(ctx.spec.name, COMPONENTS.router, ctx.scope),
      labels: workloadLabels(ctx, ctx.spec.name, COMPONENTS.router),
    },
    spec: {
      selector,
      ports: [{ name: 'mongodb', port: MONGO_DEFAULTS.port, targetPort: k8s.IntOrString.fromString('mongodb'), protocol: 'TCP' }],
    },
  });
  const routerDisruptionBudget = disruptionBudget(ctx, 'RouterDisruptionBudget', name, COMPONENTS.router, selector);
  return { routers, routerService, routerDisruptionBudget, selector };
}

/** Headless Service over every exporter (members and routers), for Prometheus discovery. */
export function renderMetricsService(ctx: MongoKubernetesContext): k8s.KubeService {
  const name = `${ctx.spec.name}-metrics`;
  return typedKubeObject(k8s.KubeService, ctx.scope, 'MetricsService', {
    metadata: { ...ctx.platform.metadata(name, 'metrics', ctx.scope), labels: { ...ctx.platform.labelsFor(name, 'metrics', ctx.scope), ...instanceLabels(ctx) } },
    spec: {
      clusterIp: 'None',
      selector: instanceLabels(ctx),
      ports: [{ name: 'metrics', port: MONGO_DEFAULTS.metricsPort, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' }],
    },
  });
}
