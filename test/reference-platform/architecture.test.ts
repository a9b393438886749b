import { Stage } from 'aws-cdk-lib';
import { awsReferencePlatform, kubernetesReferencePlatform } from './fixtures';
import { architectureMarkdown } from '../../examples/reference-platform/architecture';
import { NetworkPeer } from '../../src/platform/network';
import { PlatformTopology, TopologyComponent, TopologyLayer } from '../../src/platform/topology';
import { ServiceCluster } from '../../src/service-cluster';
import { kubernetesChart } from '../util';

/** Connections as `from -kind(label)-> to`, components named `kind:name`. */
function edges(topology: PlatformTopology): string[] {
  const names = new Map(topology.components.map(c => [c.path, `${c.kind}:${c.name}`]));
  return topology.connections.map(c => `${names.get(c.from) ?? c.from} -${c.kind}(${c.label})-> ${names.get(c.to) ?? c.to}`).sort();
}

const DECLARED = [
  'gateway:api -network(redis)-> cache:shop-cache',
  'gateway:api -route(/v1/orders)-> service:orders',
  'gateway:api -route(/v1/products)-> service:products',
  'gateway:api -route(/v1/users)-> service:users',
  'gateway:api -route(/ws)-> service:realtime',
  'service:orders -network(http)-> service:products',
  'service:orders -network(mongodb)-> mongo:shop-db',
  'service:orders -network(publish)-> queue:order-events',
  'service:products -network(mongodb)-> mongo:shop-db',
  'service:products -network(redis)-> cache:shop-cache',
  'service:realtime -network(redis)-> cache:shop-cache',
  'service:users -network(mongodb)-> mongo:shop-db',
  'service:users -network(redis)-> cache:shop-cache',
  'worker:fulfilment -network(consume)-> queue:order-events',
];
/** What `service.allowFrom(gateway)` records for each route, drawn once as the route. */
const GATEWAY_ADMITTED = ['orders', 'products', 'realtime', 'users'].map(s => `gateway:api -network(http)-> service:${s}`);
const observes = (jobs: string[]) => jobs.map(j => `observability:observability -observes(metrics)-> ${j}`);

describe('architecture of the reference platform', () => {
  test('Kubernetes: every construct, every declared connection, the observability stack watching all eight', () => {
    const { chart } = kubernetesReferencePlatform();
    const topology = PlatformTopology.of(chart);
    expect(topology.components.map(c => `${c.layer} ${c.kind}:${c.name}`)).toEqual([
      'observability observability:observability', 'data cache:shop-cache', 'data mongo:shop-db', 'services service:users',
      'services service:products', 'services service:orders', 'services service:realtime', 'data queue:order-events',
      'services worker:fulfilment', 'edge gateway:api',
    ]);
    const watched = ['cache:shop-cache', 'mongo:shop-db', 'service:users', 'service:products', 'service:orders', 'service:realtime', 'queue:order-events', 'gateway:api'];
    // Every construct admits Prometheus to its metrics port alone (allowMetricsFrom): no data connection.
    // The worker admits KEDA's operator (another namespace) to the queue, to read its depth.
    expect(edges(topology)).toEqual([...DECLARED, ...GATEWAY_ADMITTED, ...observes(watched), 'app=keda-operator -network(amqps)-> queue:order-events'].sort());
  });

  test('AWS: the same architecture, the observability stack watching all eight (ElastiCache, DocumentDB and SQS through CloudWatch)', () => {
    const { stack } = awsReferencePlatform();
    (Stage.of(stack) as Stage).synth();
    const topology = PlatformTopology.of(stack);
    expect(topology.components).toHaveLength(10);
    expect(edges(topology)).toEqual([
      ...DECLARED, ...GATEWAY_ADMITTED,
      ...observes(['cache:shop-cache', 'mongo:shop-db', 'service:users', 'service:products', 'service:orders', 'service:realtime', 'gateway:api']),
    ].sort());
  });

  test('the Mermaid diagram: a subgraph per layer, clients through the gateway, one arrow per declared connection', () => {
    const { chart } = kubernetesReferencePlatform();
    const markdown = architectureMarkdown(chart);
    expect(markdown).toMatch(/^## On Kubernetes \(`shop`\)\n/);
    const mermaid = /```mermaid\n([\s\S]*)\n```/.exec(markdown)![1];
    expect(mermaid.split('\n')[0]).toBe('graph LR');
    for (const layer of ['edge["Edge"]', 'services["Services"]', 'data["Data"]', 'observability["Observability"]']) expect(mermaid).toContain(`  subgraph ${layer}`);
    const arrows = mermaid.split('\n').filter(l => /-->|-\.->/.test(l)).map(l => l.trim());
    expect(arrows).toEqual(expect.arrayContaining([
      'clients -->|HTTPS| gateway_api',
      'gateway_api -->|/v1/users| service_users',
      'gateway_api -->|/ws| service_realtime',
      'gateway_api -->|redis| cache_shop_cache',
      'service_orders -->|http| service_products',
      'service_orders -->|mongodb| mongo_shop_db',
      'observability_observability -.->|metrics| mongo_shop_db',
      'service_orders -->|publish| queue_order_events',
      'worker_fulfilment -->|consume| queue_order_events',
    ]));
    // 1 client arrow + 4 routes + 11 declared connections (KEDA's operator too) + 8 observations; repeated network edges are drawn once.
    expect(arrows).toHaveLength(24);
    expect(arrows).toContainEqual(expect.stringMatching(/^external_\d -->\|amqps\| queue_order_events$/));
    expect(arrows.filter(a => a.startsWith('gateway_api -->|http|'))).toEqual([]);
    expect(arrows.filter(a => a.includes('service_realtime -->|mongodb|') || a.includes('service_orders -->|redis|'))).toEqual([]);
  });
});

describe('PlatformTopology', () => {
  const component = (kind: string, name: string, layer: TopologyLayer, path = `app/${name}`): TopologyComponent => ({ kind, name, path, layer });

  test('renders a pure function of components and connections, naming outside peers', () => {
    const components = [
      component('gateway', 'api', TopologyLayer.EDGE),
      component('service', 'users', TopologyLayer.SERVICES),
      component('service', 'users', TopologyLayer.SERVICES, 'app/v2/users'),
    ];
    const diagram = PlatformTopology.toMermaid(components, [
      { from: 'app/api', to: 'app/users', kind: 'route', label: '/v1/users' },
      { from: 'app/api', to: 'app/users', kind: 'route', label: '/users|legacy' },
      { from: 'app/api', to: 'app/users', kind: 'network', label: 'http' },
      { from: '203.0.113.0/24', to: 'app/users', kind: 'network', label: 'http' },
    ]);
    expect(diagram).toBe(PlatformTopology.toMermaid(components, [
      { from: 'app/api', to: 'app/users', kind: 'route', label: '/v1/users' },
      { from: 'app/api', to: 'app/users', kind: 'route', label: '/users|legacy' },
      { from: 'app/api', to: 'app/users', kind: 'network', label: 'http' },
      { from: '203.0.113.0/24', to: 'app/users', kind: 'network', label: 'http' },
    ]));
    expect(diagram).toContain('  gateway_api -->|/v1/users<br/>/users#124;legacy| service_users\n');
    expect(diagram).not.toContain('gateway_api -->|http|');
    expect(diagram).toContain('  external_1(["203.0.113.0/24"])\n  ');
    expect(diagram).toContain('  external_1 -->|http| service_users\n');
    expect(diagram).toContain('  class external_1 externalLayer\n');
    // Two components with one name get distinct ids.
    expect(diagram).toContain('    service_users_2["users<br/>ServiceCluster"]\n');
    expect(diagram).not.toContain('subgraph data');
  });

  test('records allowFrom on any peer, and your own constructs with addComponent', () => {
    const chart = kubernetesChart();
    const users = new ServiceCluster(chart, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    users.allowFrom(NetworkPeer.ipv4('10.1.0.0/16'));
    users.allowFrom(NetworkPeer.fromPodLabels({ 'app.kubernetes.io/name': 'ingress-nginx' }, 'ingress'));
    const topology = PlatformTopology.of(users);
    topology.addComponent(chart, { kind: 'batch', name: 'reports' });
    expect(topology.rootPath).toBe('platform');
    expect(topology.components.map(c => `${c.layer} ${c.kind}:${c.name}`)).toEqual(['services service:users', 'services batch:reports']);
    expect(edges(topology)).toEqual(['10.1.0.0/16 -network(http)-> service:users', 'ingress-nginx -network(http)-> service:users']);
  });
});
