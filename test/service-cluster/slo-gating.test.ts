import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { AlertReceiver, ObservabilityStack, ObservabilityStackProps } from '../../src/observability';
import { sloGateQueries } from '../../src/observability/alerting/deployment-gate';
import { AwsPlatform } from '../../src/platform/aws-platform';
import { ServicePlacement } from '../../src/platform/service-placement';
import { RolloutStrategy, ServiceCluster, ServiceClusterKubernetesResources, ServiceClusterProps } from '../../src/service-cluster';
import { expectAwsConformance } from '../conformance/aws';
import { expectKubernetesConformance, validateCustomResource } from '../conformance/kubernetes';
import { awsStack, findObject, kubernetesChart, manifestsOf } from '../util';

const IMAGE = 'ghcr.io/acme/orders:2.0.0';

function platform(scope: Construct, props: Partial<ServiceClusterProps> = {}, observability: ObservabilityStackProps | false = {}) {
  const orders = new ServiceCluster(scope, 'Orders', { image: IMAGE, ...props });
  const receivers = [AlertReceiver.webhook('https://oncall.example.com/hooks/platform', { snsEnvelopeOnAws: true })];
  const watcher = observability === false ? undefined : new ObservabilityStack(scope, 'Observability', { receivers, ...observability });
  return { orders, watcher };
}

describe('deployments gated by the SLO on AWS', () => {
  const render = (props: Partial<ServiceClusterProps> = {}, observability: ObservabilityStackProps | false = {}) => {
    const stack = awsStack();
    const built = platform(stack, props, observability);
    return { stack, ...built, root: () => Template.fromStack(stack), service: () => Template.fromStack(built.orders.aws!.stack) };
  };

  test('a watched service fails and rolls back a deployment on its fast-burn and error-rate alarms, named alike in both stacks', () => {
    const { root, service } = render();
    const names = ['Platform-orders-SloErrorBudgetBurnFast', 'Platform-orders-SloErrorRateHigh'];
    service().hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: {
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        Alarms: { AlarmNames: names, Enable: true, Rollback: true },
      },
    });
    // The alarms live in the root stack and read the nested stack's target group; the service names them as text.
    for (const name of names) root().hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: name });
    root().hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: names[0],
      Threshold: 0.0144,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmDescription: Match.stringLikeRegexp('^\\[SloErrorBudgetBurnFast\\] orders: '),
    });
    root().hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: names[1], Threshold: 0.01 });
  });

  test('in the same stack as the alarms, the service names them the same way', () => {
    const stack = awsStack();
    new AwsPlatform(stack, 'Shared', { servicePlacement: ServicePlacement.SAME_STACK });
    const { orders } = platform(stack, { rollout: RolloutStrategy.sloGatedCanary() });
    expect(orders.aws!.stack).toBe(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: { Alarms: { AlarmNames: ['Platform-orders-SloErrorBudgetBurnFast', 'Platform-orders-SloErrorRateHigh'], Enable: true, Rollback: true } },
    });
  });

  test('the fast-burn threshold follows the declared availability', () => {
    const { root } = render({}, { slo: { availability: 0.99 } });
    root().hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Platform-orders-SloErrorBudgetBurnFast', Threshold: 0.144 });
  });

  test('unwatched, or without CloudWatch alarms, a rolling update keeps the circuit breaker alone', () => {
    for (const observability of [false, { aws: { cloudWatchAlarms: false } }] as const) {
      const { service } = render({}, observability);
      const ecs = Object.values<any>(service().findResources('AWS::ECS::Service'))[0];
      expect(ecs.Properties.DeploymentConfiguration).toEqual({
        MinimumHealthyPercent: 100, MaximumPercent: 200, DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      });
    }
  });

  test('sloGatedCanary means the same gate on AWS; without an SLO to gate on, synthesis fails', () => {
    const { service } = render({ rollout: RolloutStrategy.sloGatedCanary() });
    service().hasResourceProperties('AWS::ECS::Service', { DeploymentConfiguration: { Alarms: { Enable: true, Rollback: true } } });
    expect(() => render({ rollout: RolloutStrategy.sloGatedCanary() }, false).service())
      .toThrow(/Platform\/Orders: rollout has no SLO alarms to gate on \(got "RolloutStrategy.sloGatedCanary\(\)"\): create an ObservabilityStack/);
    expect(() => render({ rollout: RolloutStrategy.sloGatedCanary() }, { aws: { cloudWatchAlarms: false } }).service())
      .toThrow(/rollout has no SLO alarms to gate on/);
  });

  test('canary steps and the analysis interval cannot be honoured by ECS: refused', () => {
    expect(() => render({ rollout: RolloutStrategy.sloGatedCanary({ weights: [10, 50] }) }))
      .toThrow('Platform/Orders: rollout (weights/stepDuration/analysisInterval) cannot be honoured on aws ' +
        '(got "weights [10, 50], 300s steps, analysis every 60s"): ECS replaces the tasks');
    for (const options of [{ stepDuration: Duration.minutes(10) }, { analysisInterval: Duration.seconds(30) }]) {
      expect(() => render({ rollout: RolloutStrategy.sloGatedCanary(options) })).toThrow(/cannot be honoured on aws/);
    }
  });

  test('conformance: cdk-nag, cfn-lint and moto deploy the gated service and its alarms', () => {
    const { stack } = render({ rollout: RolloutStrategy.sloGatedCanary() });
    expectAwsConformance([stack]);
  });
});

describe('deployments gated by the SLO on Kubernetes', () => {
  const render = (props: Partial<ServiceClusterProps> = {}, observability: ObservabilityStackProps | false = {}) => {
    const chart = kubernetesChart();
    const built = platform(chart, props, observability);
    return { chart, ...built, manifests: () => manifestsOf(chart) };
  };
  const gated = () => render({ rollout: RolloutStrategy.sloGatedCanary() });

  test('without the opt-in the Deployment stays and nothing of Argo Rollouts is written', () => {
    const manifests = render().manifests();
    findObject(manifests, 'Deployment', 'orders');
    expect(manifests.filter(o => o.apiVersion.startsWith('argoproj.io/'))).toEqual([]);
    expect(findObject(manifests, 'HorizontalPodAutoscaler', 'orders').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders' });
  });

  test('the opt-in replaces the Deployment with a canary Rollout of the same pod template', () => {
    const plain = findObject(render().manifests(), 'Deployment', 'orders');
    const { orders, manifests } = gated();
    const all = manifests();
    expect(all.filter(o => o.kind === 'Deployment' && o.metadata.name === 'orders')).toEqual([]);
    const rollout = findObject(all, 'Rollout', 'orders');
    expect(orders.kubernetes!.deployment.kind).toBe('Rollout');
    expect(rollout.spec.template).toEqual(plain.spec.template);
    expect(rollout.spec.selector).toEqual(plain.spec.selector);
    expect(rollout.spec.strategy.canary).toEqual({
      maxSurge: '25%',
      maxUnavailable: 0,
      analysis: { templates: [{ templateName: 'orders' }] },
      steps: [
        { setWeight: 20 }, { pause: { duration: '300s' } },
        { setWeight: 50 }, { pause: { duration: '300s' } },
        { setWeight: 80 }, { pause: { duration: '300s' } },
      ],
    });
    expect(rollout.spec.progressDeadlineAbort).toBe(true);
  });

  test('the analysis runs the SLO alerts\' own conditions for this job against the stack\'s Prometheus', () => {
    const template = findObject(gated().manifests(), 'AnalysisTemplate', 'orders');
    const slo = { availability: 0.999, errorRate: 0.01, latencyP95Seconds: 0.5 };
    expect(template.spec.metrics).toEqual(sloGateQueries('orders', slo).map(q => ({
      name: q.name,
      interval: '60s',
      failureLimit: 0,
      successCondition: 'result[0] == 0',
      provider: { prometheus: { address: 'http://prometheus.shop.svc.cluster.local:9090', query: q.query } },
    })));
    expect(template.spec.metrics[0].provider.prometheus.query).toBe('count((job:slo_request_errors:ratio_rate1h{job="orders"} > 0.0144 and ' +
      'job:slo_request_errors:ratio_rate5m{job="orders"} > 0.0144) or (job:slo_request_errors:ratio_rate6h{job="orders"} > 0.006 and ' +
      'job:slo_request_errors:ratio_rate30m{job="orders"} > 0.006)) or vector(0)');
  });

  test('HPA, PodDisruptionBudget and NetworkPolicy target the Rollout; Prometheus admits the Argo Rollouts controller', () => {
    const manifests = gated().manifests();
    const rollout = findObject(manifests, 'Rollout', 'orders');
    expect(findObject(manifests, 'HorizontalPodAutoscaler', 'orders').spec.scaleTargetRef)
      .toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'orders' });
    expect(rollout.spec.replicas).toBeUndefined();
    expect(findObject(manifests, 'PodDisruptionBudget', 'orders').spec.selector).toEqual(rollout.spec.selector);
    expect(findObject(manifests, 'NetworkPolicy', 'orders').spec.podSelector).toEqual(rollout.spec.selector);
    expect(findObject(manifests, 'NetworkPolicy', 'prometheus').spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'argo-rollouts' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'argo-rollouts' } } }],
      ports: [{ protocol: 'TCP', port: 9090 }],
    });
  });

  test('conformance: Argo Rollouts CRD schemas, Pod Security restricted, reliability and isolation', () => {
    const manifests = gated().manifests();
    expect(manifests.filter(o => o.apiVersion === 'argoproj.io/v1alpha1').map(o => o.kind).sort()).toEqual(['AnalysisTemplate', 'Rollout']);
    expectKubernetesConformance(manifests);
  });

  test('options: weights, step duration and analysis interval', () => {
    const rollout = RolloutStrategy.sloGatedCanary({ weights: [5, 25], stepDuration: Duration.minutes(10), analysisInterval: Duration.seconds(30) });
    const manifests = render({ rollout }).manifests();
    expect(findObject(manifests, 'Rollout', 'orders').spec.strategy.canary.steps).toEqual([
      { setWeight: 5 }, { pause: { duration: '600s' } }, { setWeight: 25 }, { pause: { duration: '600s' } },
    ]);
    expect(findObject(manifests, 'AnalysisTemplate', 'orders').spec.metrics.map((m: any) => m.interval)).toEqual(['30s', '30s']);
  });

  test('configureKubernetes receives the Rollout as the workload and the AnalysisTemplate', () => {
    class Annotated extends ServiceCluster {
      protected configureKubernetes(resources: ServiceClusterKubernetesResources): void {
        resources.deployment.metadata.addAnnotation('acme.example/kind', resources.deployment.kind);
        resources.analysisTemplate?.metadata.addAnnotation('acme.example/gate', 'slo');
      }
    }
    const chart = kubernetesChart();
    new Annotated(chart, 'Orders', { image: IMAGE, rollout: RolloutStrategy.sloGatedCanary() });
    new ObservabilityStack(chart, 'Observability', { receivers: [AlertReceiver.webhook('https://oncall.example.com/hooks/platform')] });
    const manifests = manifestsOf(chart);
    expect(findObject(manifests, 'Rollout', 'orders').metadata.annotations).toEqual({ 'acme.example/kind': 'Rollout' });
    expect(findObject(manifests, 'AnalysisTemplate', 'orders').metadata.annotations).toEqual({ 'acme.example/gate': 'slo' });
  });

  test('without an ObservabilityStack there is no SLO to gate on: synthesis fails', () => {
    expect(() => render({ rollout: RolloutStrategy.sloGatedCanary() }, false).manifests())
      .toThrow('platform/Orders: rollout has no SLO to gate on (got "RolloutStrategy.sloGatedCanary()"): create an ObservabilityStack in the same Chart');
  });

  test.each([
    [{ weights: [] }, 'rollout.weights must have 1 to 10 steps (got "[]")'],
    [{ weights: [0, 50] }, 'rollout.weights[0] is not a canary share (got 0): use an integer percentage from 1 to 99'],
    [{ weights: [50, 100] }, 'rollout.weights[1] is not a canary share (got 100)'],
    [{ weights: [20.5] }, 'rollout.weights[0] is not a canary share (got 20.5)'],
    [{ weights: [50, 20] }, 'rollout.weights[1] does not increase (got 20): each step must give the new version more than the previous step (50)'],
    [{ stepDuration: Duration.seconds(30) }, 'rollout.stepDuration (seconds) is out of range (got 30): use an integer from 60 to 86400'],
    [{ analysisInterval: Duration.seconds(5) }, 'rollout.analysisInterval (seconds) is out of range (got 5)'],
    [{ stepDuration: Duration.minutes(2), analysisInterval: Duration.minutes(3) },
      'rollout.analysisInterval is longer than a canary step (got "180s"): use at most rollout.stepDuration (120s)'],
  ])('refuses invalid canary options (case %#)', (options, message) => {
    expect(() => render({ rollout: RolloutStrategy.sloGatedCanary(options) })).toThrow(message);
  });
});

describe('the Argo Rollouts schema check', () => {
  test('rejects unknown fields, wrong types and missing requirements, as the published CRDs declare them', () => {
    const manifests = gated();
    const rollout = structuredClone(findObject(manifests, 'Rollout', 'orders'));
    rollout.spec.strategy.canary.steps.push({ setWieght: 10 });
    rollout.spec.strategy.canary.maxUnavailable = true;
    rollout.spec.template.spec.containers[0].securityContext.runAsNonroot = true;
    const messages = validateCustomResource(rollout).map(f => f.message);
    expect(messages).toEqual([
      'spec.strategy.canary.maxUnavailable: expected an integer or a string, got boolean',
      'spec.strategy.canary.steps[6].setWieght: unknown field',
      'spec.template.spec.containers[0].securityContext.runAsNonroot: unknown field',
    ]);
    const template = structuredClone(findObject(manifests, 'AnalysisTemplate', 'orders'));
    delete template.spec.metrics[0].provider;
    template.spec.metrics[1].provider.prometheus.qeury = 'up';
    expect(validateCustomResource(template).map(f => f.message)).toEqual([
      'spec.metrics[0].provider: required field missing',
      'spec.metrics[1].provider.prometheus.qeury: unknown field',
    ]);
  });

  function gated(): any[] {
    const chart = kubernetesChart();
    platform(chart, { rollout: RolloutStrategy.sloGatedCanary() });
    return manifestsOf(chart);
  }
});
