import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { validateKedaObjects } from './keda-schema';
import { MessageQueue, QueueWorker, QueueWorkerKubernetesResources, QueueWorkerProps } from '../../src/message-queue';
import { ServiceCluster } from '../../src/service-cluster';
import { expectAwsConformance } from '../conformance/aws';
import { checkKubernetesManifests, expectKubernetesConformance } from '../conformance/kubernetes';
import { awsStack, expectKubeClasses, findObject, kubernetesChart, manifestsOf } from '../util';

const HEALTH = ['/app/worker', 'healthcheck'];
function build(scope: Construct, props: Partial<QueueWorkerProps> = {}) {
  const queue = new MessageQueue(scope, 'Orders', { priorityLevels: 2, visibilityTimeout: Duration.minutes(5) });
  const api = new ServiceCluster(scope, 'OrdersApi', { image: 'ghcr.io/acme/orders:1.0.0' });
  queue.grantSend(api);
  const worker = new QueueWorker(scope, 'Fulfilment', { image: 'ghcr.io/acme/fulfilment:1.0.0', queue, healthCheckCommand: HEALTH, ...props });
  return { queue, worker };
}

describe('QueueWorker on Kubernetes', () => {
  const render = (props: Partial<QueueWorkerProps> = {}) => {
    const chart = kubernetesChart();
    const built = build(chart, props);
    return { ...built, manifests: manifestsOf(chart) };
  };

  test('matches the snapshot', () => {
    expect(render().manifests.filter(o => o.metadata.name === 'fulfilment')).toMatchSnapshot();
  });

  test('KEDA ScaledObject: one RabbitMQ trigger per priority queue at the backlog per replica, broker URI and CA from Secrets', () => {
    const { manifests } = render({ targetBacklogPerReplica: 20, minReplicas: 0, maxReplicas: 30 });
    const scaled = findObject(manifests, 'ScaledObject', 'fulfilment');
    expect(scaled.spec).toMatchObject({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'fulfilment' }, minReplicaCount: 0, maxReplicaCount: 30 });
    expect(scaled.spec.triggers.map((t: any) => [t.type, t.metadata.queueName, t.metadata.mode, t.metadata.value]))
      .toEqual([['rabbitmq', 'orders-p1', 'QueueLength', '20'], ['rabbitmq', 'orders-p0', 'QueueLength', '20']]);
    expect(findObject(manifests, 'TriggerAuthentication', 'fulfilment').spec.secretTargetRef).toEqual([
      { parameter: 'host', name: 'orders-keda-fulfilment', key: 'host' },
      { parameter: 'tls', name: 'orders-keda-fulfilment', key: 'tls' },
      { parameter: 'ca', name: 'orders-tls', key: 'ca.crt' },
    ]);
    // The KEDA operator may read the queue depth.
    const ingress = findObject(manifests, 'NetworkPolicy', 'orders').spec.ingress;
    expect(ingress.some((r: any) => r.from[0].podSelector?.matchLabels?.app === 'keda-operator'
      && r.from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'] === 'keda')).toBe(true);
    expect(manifests.some(o => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'fulfilment')).toBe(false);
  });

  test('the KEDA objects validate strictly against KEDA\'s CRD schemas, and the validator catches unknown fields', () => {
    const { manifests } = render();
    expect(validateKedaObjects(manifests)).toEqual([]);
    const scaled = structuredClone(findObject(manifests, 'ScaledObject', 'fulfilment'));
    scaled.spec.minReplicas = 1;
    scaled.spec.triggers[0].metadata.queue = 'orders';
    scaled.spec.maxReplicaCount = '3';
    expect(validateKedaObjects([scaled])).toEqual([
      'ScaledObject/fulfilment .spec.maxReplicaCount: expected an integer',
      'ScaledObject/fulfilment .spec.minReplicas: unknown field',
      'trigger metadata queue: not a RabbitMQ scaler parameter',
    ].map(p => p.startsWith('trigger') ? `ScaledObject/fulfilment ${p}` : p));
  });

  test('without KEDA: a CPU HorizontalPodAutoscaler, and minReplicas 0 is refused', () => {
    const { manifests } = render({ kubernetes: { keda: false, targetCpuUtilization: 60 } });
    const hpa = findObject(manifests, 'HorizontalPodAutoscaler', 'fulfilment');
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(60);
    expect(manifests.some(o => o.kind === 'ScaledObject')).toBe(false);
    expect(() => render({ minReplicas: 0, kubernetes: { keda: false } })).toThrow(
      'platform/Fulfilment: minReplicas must be at least 1 without KEDA (got 0): a HorizontalPodAutoscaler cannot scale to zero');
  });

  test('escape hatches are typed k8s objects (KEDA custom resources are ApiObjects): a patch through the typed Deployment reaches the manifest', () => {
    const chart = kubernetesChart();
    const { worker } = build(chart);
    const common = {
      deployment: k8s.KubeDeployment,
      serviceAccount: k8s.KubeServiceAccount,
      disruptionBudget: k8s.KubePodDisruptionBudget,
      networkPolicy: k8s.KubeNetworkPolicy,
    };
    expectKubeClasses(worker.kubernetes!, common, ['scaledObject', 'triggerAuthentication']);
    const deployment: k8s.KubeDeployment = worker.kubernetes!.deployment;
    deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'batch'));
    expect(findObject(manifestsOf(chart), 'Deployment', 'fulfilment').spec.template.spec.priorityClassName).toBe('batch');
    const withoutKeda = build(kubernetesChart(), { kubernetes: { keda: false } }).worker;
    expectKubeClasses(withoutKeda.kubernetes!, { ...common, autoscaler: k8s.KubeHorizontalPodAutoscalerV2 });
  });

  test('graceful shutdown, consumer credentials as Secret references, egress only to the broker', () => {
    const { manifests } = render({ shutdownGracePeriod: Duration.seconds(90) });
    const pod = findObject(manifests, 'Deployment', 'fulfilment').spec.template.spec;
    expect(pod.terminationGracePeriodSeconds).toBe(90);
    const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({ ORDERS_USERNAME: 'fulfilment', ORDERS_QUEUES: 'orders-p1,orders-p0', ORDERS_PASSWORD: { secretKeyRef: { name: 'orders-user-fulfilment', key: 'password' } } });
    expect(pod.containers[0].livenessProbe.exec.command).toEqual(HEALTH);
    const policy = findObject(manifests, 'NetworkPolicy', 'fulfilment').spec;
    expect(policy.ingress).toEqual([]);
    expect(policy.egress.map((r: any) => r.ports[0].port)).toEqual([5671]);
  });

  test('passes the conformance harness; only the KEDA custom resources are unknown to Kubernetes', () => {
    const { manifests } = render();
    const unknown = checkKubernetesManifests(manifests).findings.filter(f => f.rule === 'Schema-UnknownKind').map(f => f.object);
    expect(unknown).toEqual(['keda.sh/v1alpha1/TriggerAuthentication shop/fulfilment', 'keda.sh/v1alpha1/ScaledObject shop/fulfilment']);
    expectKubernetesConformance(manifests, { skipRules: ['Schema-UnknownKind'] });
  });
});

describe('QueueWorker on AWS', () => {
  const render = (props: Partial<QueueWorkerProps> = {}) => {
    const stack = awsStack();
    const built = build(stack, props);
    return { stack, ...built, template: Template.fromStack(stack) };
  };

  test('Fargate service without a load balancer; stopTimeout from shutdownGracePeriod; health check command', () => {
    const { template } = render({ shutdownGracePeriod: Duration.seconds(100) });
    const taskDefinitions = Object.values(template.findResources('AWS::ECS::TaskDefinition')).filter((t: any) =>
      t.Properties.ContainerDefinitions.some((c: any) => c.Name === 'worker'));
    expect(taskDefinitions).toHaveLength(1);
    const container = (taskDefinitions[0] as any).Properties.ContainerDefinitions[0];
    expect(container).toMatchObject({ StopTimeout: 100, ReadonlyRootFilesystem: true, HealthCheck: { Command: ['CMD', ...HEALTH] } });
  });

  test('target tracking on backlog per task: metric math over every priority queue and the running tasks', () => {
    const { template } = render({ targetBacklogPerReplica: 25 });
    const policies = template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy', { Properties: { PolicyName: 'fulfilment-backlog-per-task' } });
    const config = (Object.values(policies)[0] as any).Properties.TargetTrackingScalingPolicyConfiguration;
    expect(config.TargetValue).toBe(25);
    const metrics = config.CustomizedMetricSpecification.Metrics;
    expect(metrics.map((m: any) => m.Id)).toEqual(['visible0', 'visible1', 'tasks', 'backlogPerTask']);
    expect(metrics[3]).toMatchObject({ Expression: '(visible0 + visible1) / tasks', ReturnData: true });
    expect(metrics[2].MetricStat.Metric).toMatchObject({ Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount' });
  });

  test('failing input: Fargate cannot wait more than 120 s, and the grace must end before the message is redelivered', () => {
    expect(() => render({ shutdownGracePeriod: Duration.seconds(150) })).toThrow(
      'Platform/Fulfilment: shutdownGracePeriod is longer than Fargate allows on aws (got "150 seconds"): use at most 120 seconds');
    expect(() => render({ shutdownGracePeriod: Duration.minutes(6) })).toThrow(
      'shutdownGracePeriod is not shorter than the queue\'s visibility timeout (got "360 seconds")');
    expect(() => render({ minReplicas: 0 })).toThrow('Platform/Fulfilment: minReplicas is out of range (got 0): use an integer from 1 to 1000: backlog per task divides');
    expect(() => render({ memory: undefined, cpu: 0.3 })).toThrow('memory is not a Fargate size for 0.3 vCPU');
    expect(() => render({ image: 'acme/worker' })).toThrow('Platform/Fulfilment: image is not pinned (got "acme/worker")');
    expect(() => render({ maxReplicas: 0 })).toThrow('maxReplicas is out of range (got 0)');
    expect(() => render({ healthCheckCommand: [] })).toThrow('healthCheckCommand is empty');
    expect(() => render({ environment: { DB_PASSWORD: 'x' } })).toThrow('environment.DB_PASSWORD is named like a credential but passed as plain text');
    expect(() => render({ environment: { STRIPE_KEY_ID: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc' } })).toThrow('environment.STRIPE_KEY_ID holds');
  });

  test('passes the conformance harness (cdk-nag, cfn-lint, moto)', () => {
    const { stack } = render();
    expectAwsConformance([stack]);
  });
});

class AcmeWorker extends QueueWorker {
  protected applyDefaults(props: QueueWorkerProps): QueueWorkerProps {
    return { targetBacklogPerReplica: 10, ...props };
  }

  protected configureKubernetes(resources: QueueWorkerKubernetesResources): void {
    resources.deployment.metadata.addAnnotation('acme.example/team', 'fulfilment');
  }
}

test('QueueWorker subclass: applyDefaults and configureKubernetes', () => {
  const chart = kubernetesChart();
  const queue = new MessageQueue(chart, 'Orders');
  new AcmeWorker(chart, 'Fulfilment', { image: 'ghcr.io/acme/fulfilment:1.0.0', queue, healthCheckCommand: HEALTH });
  const manifests = manifestsOf(chart);
  expect(findObject(manifests, 'ScaledObject', 'fulfilment').spec.triggers[0].metadata.value).toBe('10');
  expect(findObject(manifests, 'Deployment', 'fulfilment').metadata.annotations).toEqual({ 'acme.example/team': 'fulfilment' });
});
