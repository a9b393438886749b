import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { MessageQueue } from './message-queue';
import { WorkerHandle } from './worker-handle';
import { QueueWorkerKubernetesResources } from './worker-resources';
import { QueueWorkerSpec } from './worker-spec';
import { kubeObject } from '../platform/kube-object';
import { KubernetesPlatform } from '../platform/kubernetes-platform';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, spreadConstraints } from '../platform/kubernetes-pod';
import { NetworkPeer } from '../platform/network';
import { PlatformSecret } from '../platform/secret';
import { podsIn } from '../platform/workload-peer';

/** The Secret KEDA reads the broker URI from: keys `host` (amqps://user:password@host:5671/vhost) and `tls` (`enable`). */
export function kedaConnectionSecretName(queue: MessageQueue, worker: string): string {
  return `${queue.queueName}-keda-${worker}`;
}

/**
 * Renders a worker as a Deployment without a Service, scaled on queue depth by a KEDA ScaledObject
 * (one RabbitMQ trigger per work queue), or by a CPU HorizontalPodAutoscaler on clusters without KEDA.
 */
export function renderQueueWorkerOnKubernetes(
  scope: Construct, spec: QueueWorkerSpec, queue: MessageQueue,
): WorkerHandle<QueueWorkerKubernetesResources> {
  const platform = KubernetesPlatform.of(scope);
  platform._orderAfter(scope);
  const selector = platform.selectorLabels(spec.name, scope);
  const metadata = platform.metadata(spec.name, 'worker', scope);
  const secretEnv = (name: string, secret: PlatformSecret) => ({ name, valueFrom: { secretKeyRef: secret._toSecretKeyRef(scope, `secrets.${name}`) } });
  const env: object[] = [
    ...Object.entries(spec.environment).map(([name, value]) => ({ name, value })),
    ...Object.entries(spec.secrets).map(([name, secret]) => secretEnv(name, secret)),
  ];
  const egress: object[] = [];

  const serviceAccount = kubeObject(k8s.KubeServiceAccount, scope, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
  const probe = (periodSeconds: number) => ({ exec: { command: spec.healthCheckCommand }, periodSeconds, timeoutSeconds: 10, failureThreshold: 3 });
  const deployment = kubeObject(k8s.KubeDeployment, scope, 'Deployment', {
    metadata,
    spec: {
      // The autoscaler owns the replica count.
      revisionHistoryLimit: 10,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      template: {
        metadata: { labels: platform.labelsFor(spec.name, 'worker', scope) },
        spec: {
          serviceAccountName: spec.name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          // SIGTERM, then this long to finish the messages in flight before SIGKILL.
          terminationGracePeriodSeconds: spec.shutdownGraceSeconds,
          securityContext: restrictedPodSecurityContext(spec.runAsUser),
          topologySpreadConstraints: spreadConstraints(selector),
          containers: [{
            name: 'worker',
            image: spec.image,
            imagePullPolicy: 'IfNotPresent',
            command: spec.command,
            env,
            resources: {
              requests: { cpu: `${Math.round(spec.cpu * 1000)}m`, memory: `${spec.memoryMiB}Mi` },
              limits: { memory: `${spec.memoryMiB}Mi` },
            },
            securityContext: restrictedContainerSecurityContext(),
            startupProbe: { ...probe(5), failureThreshold: 24 },
            readinessProbe: probe(15),
            livenessProbe: probe(30),
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          }],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }],
        },
      },
    },
  });
  const disruptionBudget = kubeObject(k8s.KubePodDisruptionBudget, scope, 'DisruptionBudget', {
    metadata, spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
  });
  const networkPolicy = kubeObject(k8s.KubeNetworkPolicy, scope, 'NetworkPolicy', {
    metadata,
    spec: { podSelector: { matchLabels: selector }, policyTypes: ['Ingress', 'Egress'], ingress: [], egress },
  });

  const scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: spec.name };
  let scaledObject: ApiObject | undefined;
  let triggerAuthentication: ApiObject | undefined;
  let autoscaler: k8s.KubeHorizontalPodAutoscalerV2 | undefined;
  if (spec.keda) {
    const connection = kedaConnectionSecretName(queue, spec.name);
    triggerAuthentication = new ApiObject(scope, 'TriggerAuthentication', {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata,
      spec: {
        secretTargetRef: [
          { parameter: 'host', name: connection, key: 'host' },
          { parameter: 'tls', name: connection, key: 'tls' },
          { parameter: 'ca', name: queue.kubernetesTlsSecretName, key: 'ca.crt' },
        ],
      },
    });
    scaledObject = new ApiObject(scope, 'ScaledObject', {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata,
      spec: {
        scaleTargetRef,
        minReplicaCount: spec.minReplicas,
        maxReplicaCount: spec.maxReplicas,
        pollingInterval: 15,
        cooldownPeriod: 300,
        // KEDA scales on the largest of its triggers: each priority level's backlog per replica.
        triggers: queue.workQueueNames.map(queueName => ({
          type: 'rabbitmq',
          metadata: { protocol: 'amqp', queueName, vhostName: '/', mode: 'QueueLength', value: String(spec.targetBacklogPerReplica) },
          authenticationRef: { name: spec.name },
        })),
      },
    });
    // KEDA's operator reads the queue depth over AMQPS.
    queue.allowFrom(NetworkPeer.fromPodLabels({ app: 'keda-operator' }, spec.kedaNamespace));
  } else {
    autoscaler = kubeObject(k8s.KubeHorizontalPodAutoscalerV2, scope, 'Autoscaler', {
      metadata,
      spec: {
        scaleTargetRef,
        minReplicas: spec.minReplicas,
        maxReplicas: spec.maxReplicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCpuUtilization } } }],
      },
    });
  }

  return {
    resources: { deployment, serviceAccount, disruptionBudget, networkPolicy, scaledObject, triggerAuthentication, autoscaler },
    networkIdentity: NetworkPeer._workload({
      podLabels: selector,
      namespace: platform.namespace,
      allowEgress: grant => egress.push({ to: [podsIn(grant.podLabels, grant.namespace)], ports: [{ protocol: 'TCP', port: grant.port }] }),
    }),
    addEnvironment: (name, value) => env.push({ name, value }),
    addSecret: (name, secret) => env.push(secretEnv(name, secret)),
  };
}
