import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CacheTopology, COMMON_MOUNTS, CONFIG_DIR, commonVolumes, podBase, resources, secretEnv, tlsEnv, tlsMounts, tlsVolumes } from './kubernetes-pods';
import { FINISHED_JOB_TTL_SECONDS, jobName } from '../platform/kubernetes-job';
import { restrictedContainerSecurityContext } from '../platform/kubernetes-pod';

/** Cluster mode: the client entry Service and the setup Job. */
export interface ClusterModeObjects {
  readonly service: ApiObject;
  readonly setupJob: ApiObject;
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
  const service = new ApiObject(scope, 'Service', {
    apiVersion: 'v1',
    kind: 'Service',
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
  const setupJob = new ApiObject(scope, 'SetupJob', {
    apiVersion: 'batch/v1',
    kind: 'Job',
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
