import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Chart } from 'cdk8s';
import {
  AccessPurpose, CacheCluster, IPlatformClient, IQueueClient, MessageQueue, MongoShardedCluster,
  AlertReceiver, NetworkPeer, ObservabilityStack, QueueAccess, QueueWorker, ServiceCluster,
} from '../../src';
import { smallGateway } from '../gateway/fixtures';
import { awsStack, findObject, kubernetesChart, manifestsOf } from '../util';

/** Valid on both targets. */
const RECEIVERS = [AlertReceiver.webhook('https://oncall.example.com/hooks/platform', { snsEnvelopeOnAws: true })];
const UI_PEER = NetworkPeer.fromPodLabels({ 'app.kubernetes.io/name': 'ingress-nginx' }, 'ingress-nginx');

/** Every construct, wired by `wire`: the deprecated names and their replacements must render the same. */
function kubernetesPlatform(wire: (p: ReturnType<typeof constructs>) => void): any[] {
  const chart = kubernetesChart();
  wire(constructs(chart));
  return manifestsOf(chart);
}

function constructs(scope: Chart | Stack) {
  const scraper = new ServiceCluster(scope, 'Scraper', { image: 'ghcr.io/acme/scraper:1.0.0' });
  const { gateway, users } = smallGateway(scope);
  const cache = new CacheCluster(scope, 'Cache');
  const db = scope instanceof Chart ? new MongoShardedCluster(scope, 'Db') : undefined;
  const queue = new MessageQueue(scope, 'Events');
  const observability = new ObservabilityStack(scope, 'Observability', { receivers: RECEIVERS });
  return { scraper, gateway, users, cache, db, queue, observability };
}

/** Synthesizes (the access drift check runs as a validation) and returns the templates of the stack and its nested stacks. */
function awsTemplates(stack: Stack): any[] {
  (stack.node.root as App).synth();
  return stack.node.findAll().filter(Stack.isStack).map(s => Template.fromStack(s).toJSON());
}

function awsTemplate(wire: (p: ReturnType<typeof constructs>) => void): any[] {
  const stack = awsStack();
  wire(constructs(stack));
  return awsTemplates(stack);
}

describe('deprecated names render exactly what their replacements render', () => {
  // The scraper is a platform component: a replacement that declared nothing would fail the access drift check.
  test('Kubernetes: allowMetricsFrom, allowUiFrom, connectService', () => {
    const deprecated = kubernetesPlatform(({ scraper, gateway, users, cache, db, queue, observability }) => {
      [users, gateway, cache, db!, queue].forEach(c => c.allowMetricsFrom(scraper));
      observability.allowUiFrom(UI_PEER);
      db!.connectService(users, 'users');
    });
    const current = kubernetesPlatform(({ scraper, gateway, users, cache, db, queue, observability }) => {
      [users, gateway, cache, db!, queue].forEach(c => c.allowFrom(scraper, { purpose: AccessPurpose.METRICS }));
      observability.allowFrom(UI_PEER, { purpose: AccessPurpose.UI });
      db!.connect(users, { database: 'users' });
    });
    expect(current).toEqual(deprecated);
    // The calls did something: the scraper reaches the cache exporters, and the UI peer Grafana.
    expect(findObject(current, 'NetworkPolicy', 'cache').spec.ingress).toContainEqual(expect.objectContaining({
      from: [expect.objectContaining({ podSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/name': 'scraper' }) } })],
      ports: [{ protocol: 'TCP', port: 9121 }],
    }));
    expect(JSON.stringify(findObject(current, 'NetworkPolicy', 'grafana').spec.ingress)).toContain('ingress-nginx');
  });

  test('Kubernetes: allowUiFrom with the unauthenticated Jaeger UI', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const deprecated = kubernetesPlatform(({ observability }) => observability.allowUiFrom(UI_PEER, { unauthenticatedJaegerUi: true }));
    const current = kubernetesPlatform(({ observability }) =>
      observability.allowFrom(UI_PEER, { purpose: AccessPurpose.UI, unauthenticatedJaegerUi: true }));
    warn.mockRestore();
    expect(current).toEqual(deprecated);
    expect(JSON.stringify(findObject(current, 'NetworkPolicy', 'jaeger').spec.ingress)).toContain('ingress-nginx');
  });

  test('AWS: allowMetricsFrom, and the same refusal where a target has no metrics port', () => {
    const deprecated = awsTemplate(({ scraper, gateway, users }) => [users, gateway].forEach(c => c.allowMetricsFrom(scraper)));
    const current = awsTemplate(({ scraper, gateway, users }) =>
      [users, gateway].forEach(c => c.allowFrom(scraper, { purpose: AccessPurpose.METRICS })));
    expect(current).toEqual(deprecated);
    const stack = awsStack();
    const { scraper, cache, queue, observability } = constructs(stack);
    const messageOf = (call: () => void) => { try { call(); } catch (e) { return (e as Error).message; } return 'no error'; };
    for (const c of [cache, queue]) {
      const message = messageOf(() => c.allowMetricsFrom(scraper));
      expect(message).toMatch(/is not supported on aws/);
      expect(messageOf(() => c.allowFrom(scraper, { purpose: AccessPurpose.METRICS }))).toBe(message);
    }
    const ui = messageOf(() => observability.allowUiFrom(UI_PEER));
    expect(ui).toMatch(/is not supported on aws: Amazon Managed Grafana/);
    expect(messageOf(() => observability.allowFrom(UI_PEER, { purpose: AccessPurpose.UI }))).toBe(ui);
  });

  test('endpoint aliases are the same object', () => {
    for (const scope of [kubernetesChart(), awsStack()]) {
      const { cache, observability } = constructs(scope);
      expect(cache.redisEndpoint).toBe(cache.endpoint);
      expect(observability.otlpEndpoint).toBe(observability.endpoint);
    }
  });

  test('workloads are IPlatformClients, and still IQueueClients', () => {
    const chart = kubernetesChart();
    const queue = new MessageQueue(chart, 'Orders');
    const service = new ServiceCluster(chart, 'Api', { image: 'ghcr.io/acme/api:1.0.0' });
    const worker = new QueueWorker(chart, 'Worker', { image: 'ghcr.io/acme/worker:1.0.0', queue, healthCheckCommand: ['/bin/healthy'] });
    const clients: IPlatformClient[] = [service, worker];
    const legacy: IQueueClient[] = [service, worker];
    expect(clients.map(c => c.serviceName)).toEqual(legacy.map(c => c.serviceName));
  });
});

describe('allowFrom refuses a purpose the construct does not have, naming the construct, the purpose and the valid ones', () => {
  const chart = kubernetesChart();
  const { scraper, gateway, users, cache, db, queue, observability } = constructs(chart);
  test.each([
    ['ServiceCluster', () => users.allowFrom(scraper, { purpose: AccessPurpose.UI }),
      'platform/Users: allowFrom(options.purpose) is not a purpose of this construct (got "ui"): ' +
      'ServiceCluster offers AccessPurpose.CLIENT (the service port), AccessPurpose.METRICS (the metrics port)'],
    ['CacheCluster', () => cache.allowFrom(scraper, { purpose: AccessPurpose.UI }),
      'platform/Cache: allowFrom(options.purpose) is not a purpose of this construct (got "ui"): ' +
      'CacheCluster offers AccessPurpose.CLIENT (the Redis port), AccessPurpose.METRICS (the exporters\' port, Kubernetes only)'],
    ['MongoShardedCluster', () => db!.allowFrom(scraper, { purpose: AccessPurpose.UI }),
      'platform/Db: allowFrom(options.purpose) is not a purpose of this construct (got "ui"): ' +
      'MongoShardedCluster offers AccessPurpose.CLIENT (the mongos port), AccessPurpose.METRICS (every exporter, Kubernetes only)'],
    ['MessageQueue', () => queue.allowFrom(scraper, { purpose: AccessPurpose.UI }),
      'platform/Events: allowFrom(options.purpose) is not a purpose of this construct (got "ui"): ' +
      'MessageQueue offers AccessPurpose.CLIENT (AMQPS, Kubernetes only), AccessPurpose.METRICS (the metrics port, Kubernetes only)'],
    ['ObservabilityStack', () => observability.allowFrom(scraper, { purpose: AccessPurpose.METRICS }),
      'platform/Observability: allowFrom(options.purpose) is not a purpose of this construct (got "metrics"): ' +
      'ObservabilityStack offers AccessPurpose.CLIENT (the collector\'s OTLP ports), AccessPurpose.UI (Grafana, Kubernetes only)'],
    ['Gateway, UI', () => gateway.allowFrom(scraper, { purpose: AccessPurpose.UI }),
      'platform/Api: allowFrom(options.purpose) is not a purpose of this construct (got "ui"): Gateway offers AccessPurpose.METRICS (Traefik\'s metrics port)'],
    ['Gateway, the default purpose', () => gateway.allowFrom(scraper),
      'platform/Api: allowFrom(options.purpose) cannot be AccessPurpose.CLIENT: the gateway is the public entry point: its client ports are open ' +
      'to every address already; restrict callers with the ipAllowList prop (got "client"): Gateway offers AccessPurpose.METRICS (Traefik\'s metrics port)'],
    ['unauthenticatedJaegerUi without UI', () => observability.allowFrom(scraper, { unauthenticatedJaegerUi: true }),
      'platform/Observability: allowFrom(options.unauthenticatedJaegerUi) applies to AccessPurpose.UI only, not to AccessPurpose.CLIENT (got true): ' +
      'leave it out, or pass it with purpose: AccessPurpose.UI on an ObservabilityStack'],
  ])('%s', (_, call, message) => {
    expect(call).toThrow(message);
  });
  test('a refused call changes nothing', () => {
    expect(() => manifestsOf(chart)).not.toThrow();
  });
});

describe('MessageQueue.connect: the grants behind one interface-based method', () => {
  function wired(scope: Chart | Stack, wire: (queue: MessageQueue, api: ServiceCluster) => void) {
    const queue = new MessageQueue(scope, 'Orders');
    const api = new ServiceCluster(scope, 'Api', { image: 'ghcr.io/acme/api:1.0.0' });
    wire(queue, api);
    return scope instanceof Chart ? manifestsOf(scope) : awsTemplates(scope);
  }
  test.each([
    ['default: send', (q: MessageQueue, a: ServiceCluster) => q.connect(a), (q: MessageQueue, a: ServiceCluster) => q.grantSend(a)],
    ['consume', (q: MessageQueue, a: ServiceCluster) => q.connect(a, { access: QueueAccess.CONSUME }), (q: MessageQueue, a: ServiceCluster) => q.grantConsume(a)],
    ['send and consume', (q: MessageQueue, a: ServiceCluster) => q.connect(a, { access: QueueAccess.SEND_AND_CONSUME }),
      (q: MessageQueue, a: ServiceCluster) => { q.grantSend(a); q.grantConsume(a); }],
  ])('%s, on both targets', (_, connect, grant) => {
    expect(wired(kubernetesChart(), connect)).toEqual(wired(kubernetesChart(), grant));
    expect(wired(awsStack(), connect)).toEqual(wired(awsStack(), grant));
  });
  test('the grant happened: the Kubernetes client has its broker user, the AWS task role sqs:SendMessage', () => {
    const env = findObject(wired(kubernetesChart(), (q, a) => q.connect(a)), 'Deployment', 'api').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'ORDERS_USERNAME', value: 'api' });
    expect(JSON.stringify(wired(awsStack(), (q, a) => q.connect(a)))).toContain('sqs:SendMessage');
  });
});

describe('ObservabilityStack.allowFrom: the collector\'s OTLP ports for a workload it does not watch', () => {
  test('Kubernetes: both OTLP ports on the collector\'s NetworkPolicy, declared for the drift check', () => {
    const chart = kubernetesChart();
    const watched = new ServiceCluster(chart, 'Watched', { image: 'ghcr.io/acme/watched:1.0.0' });
    const batch = new ServiceCluster(chart, 'Batch', { image: 'ghcr.io/acme/batch:1.0.0' });
    const observability = new ObservabilityStack(chart, 'Observability', { receivers: RECEIVERS, watch: [watched] });
    observability.allowFrom(batch);
    const manifests = manifestsOf(chart);
    const rule = findObject(manifests, 'NetworkPolicy', 'otel-collector').spec.ingress
      .find((r: any) => r.from?.[0]?.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'batch');
    expect(rule.ports).toEqual([{ protocol: 'TCP', port: 4317 }, { protocol: 'TCP', port: 4318 }]);
    expect(JSON.stringify(findObject(manifests, 'NetworkPolicy', 'batch').spec.egress)).toContain('4318');
  });
  test('AWS: the collector listener admits the workload\'s security group on the OTLP/HTTP port', () => {
    const stack = awsStack();
    const watched = new ServiceCluster(stack, 'Watched', { image: 'ghcr.io/acme/watched:1.0.0' });
    const batch = new ServiceCluster(stack, 'Batch', { image: 'ghcr.io/acme/batch:1.0.0' });
    const observability = new ObservabilityStack(stack, 'Observability', { receivers: RECEIVERS, watch: [watched] });
    observability.allowFrom(batch);
    (stack.node.root as App).synth();
    const template = Template.fromStack(stack);
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
      .filter((r: any) => r.Properties.Description === 'OTLP from peer');
    expect(ingress).toHaveLength(1);
    expect((ingress[0] as any).Properties.FromPort).toBe(observability.endpoint.port);
  });
});
