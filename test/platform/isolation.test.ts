import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { AlertReceiver, CacheCluster, MongoShardedCluster, ObservabilityStack, ServiceCluster } from '../../src';
import { labelSelectorMatches, mapSelectorMatches } from '../conformance/kubernetes';
import { awsStack, kubernetesChart, manifestsOf } from '../util';

const image = 'ghcr.io/acme/app:1.0.0';
const synth = (chart: Construct) => () => Testing.synth(chart as any);

describe('Kubernetes: no two constructs emit one kind/namespace/name', () => {
  test('two services with one serviceName', () => {
    const chart = kubernetesChart();
    new ServiceCluster(chart, 'Users', { image, serviceName: 'api' });
    new ServiceCluster(chart, 'Admin', { image, serviceName: 'api' });
    expect(synth(chart)).toThrow('platform/Admin: apps/Deployment "shop/api" is already emitted by platform/Users: ' +
      'on deploy or apply one would silently replace the other; give one of them another name');
  });

  test('two caches, or two Mongo clusters, with one name', () => {
    const caches = kubernetesChart();
    new CacheCluster(caches, 'A', { cacheName: 'sessions' });
    new CacheCluster(caches, 'B', { cacheName: 'sessions' });
    expect(synth(caches)).toThrow(/platform\/B: apps\/StatefulSet "shop\/sessions" is already emitted by platform\/A/);
    const mongos = kubernetesChart();
    new MongoShardedCluster(mongos, 'A', { clusterName: 'db' });
    new MongoShardedCluster(mongos, 'B', { clusterName: 'db' });
    expect(synth(mongos)).toThrow(/platform\/B: apps\/StatefulSet "shop\/db-configsvr" is already emitted by platform\/A/);
  });

  test.each([
    ['a cache', 'sessions', (c: Construct) => new CacheCluster(c, 'Cache', { cacheName: 'sessions' }), 'platform/Cache'],
    ["a cache's proxy", 'sessions-proxy', (c: Construct) => new CacheCluster(c, 'Cache', { cacheName: 'sessions' }), 'platform/Cache'],
    ["a cache's Sentinels", 'sessions-sentinel', (c: Construct) => new CacheCluster(c, 'Cache', { cacheName: 'sessions' }), 'platform/Cache'],
    ["a Mongo cluster's routers", 'db-mongos', (c: Construct) => new MongoShardedCluster(c, 'Db', { clusterName: 'db' }), 'platform/Db'],
    ["a Mongo cluster's shard", 'db-shard-0', (c: Construct) => new MongoShardedCluster(c, 'Db', { clusterName: 'db' }), 'platform/Db'],
    ['Grafana', 'grafana', (c: Construct) => new ObservabilityStack(c, 'Obs', { receivers: [AlertReceiver.webhook('https://hooks.example.com/alerts')] }), 'platform/Obs/Grafana'],
  ])('a service named like %s (%s)', (_, name, other, otherPath) => {
    const chart = kubernetesChart();
    other(chart);
    new ServiceCluster(chart, 'Svc', { image, serviceName: name });
    expect(synth(chart)).toThrow('platform/Svc: ');
    expect(synth(chart)).toThrow(`"shop/${name}" is already emitted by ${otherPath}`);
  });

  test('a service named like a scraped job\'s metrics Service (<job>-metrics)', () => {
    const chart = kubernetesChart();
    new MongoShardedCluster(chart, 'Db', { clusterName: 'db' });
    new ServiceCluster(chart, 'Svc', { image, serviceName: 'db-metrics' });
    expect(synth(chart)).toThrow(/platform\/Svc: Service "shop\/db-metrics" is already emitted by platform\/Db/);
  });
});

describe('Kubernetes: no selector of one construct reaches the pods of another', () => {
  /** Pod labels of every workload of `owner`'s neighbours, by object name. */
  const podLabels = (manifests: any[], name: string) => {
    const w = manifests.find(o => ['Deployment', 'StatefulSet'].includes(o.kind) && o.metadata.name === name);
    return w.spec.template.metadata.labels;
  };

  test.each(['db-backup', 'db-init'])('a service named %s next to Mongo cluster db is not admitted to mongod or mongos', name => {
    const chart = kubernetesChart();
    new MongoShardedCluster(chart, 'Db', { clusterName: 'db' });
    new ServiceCluster(chart, 'Svc', { image, serviceName: name });
    const manifests = manifestsOf(chart);
    const intruder = podLabels(manifests, name);
    const mongoPolicies = manifests.filter(o => o.kind === 'NetworkPolicy' && o.metadata.name.startsWith('db-') && o.metadata.name !== name);
    expect(mongoPolicies.map(p => p.metadata.name).sort()).toEqual(['db-jobs', 'db-members', 'db-routers']);
    for (const policy of mongoPolicies) {
      expect(labelSelectorMatches(policy.spec.podSelector, intruder)).toBe(false);
      const peers = (policy.spec.ingress ?? []).flatMap((r: any) => r.from ?? []);
      for (const peer of peers) expect(labelSelectorMatches(peer.podSelector, intruder)).toBe(false);
    }
  });

  test('two charts sharing a namespace: a service does not select the other chart\'s pods of the same name', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'shop' });
    const b = new Chart(app, 'b', { namespace: 'shop' });
    new ServiceCluster(a, 'Users', { image });
    new ServiceCluster(b, 'Users', { image, serviceName: 'users2' });
    const [ma, mb] = [manifestsOf(a), manifestsOf(b)];
    const service = ma.find(o => o.kind === 'Service');
    const otherPods = mb.find(o => o.kind === 'Deployment').spec.template.metadata.labels;
    expect(mapSelectorMatches(service.spec.selector, { ...otherPods, 'app.kubernetes.io/name': 'users' })).toBe(false);
  });
});

describe('AWS: duplicate names fail at synth, not at deploy', () => {
  test('two caches with one name', () => {
    const stack = awsStack();
    new CacheCluster(stack, 'A', { cacheName: 'sessions' });
    expect(() => new CacheCluster(stack, 'B', { cacheName: 'sessions' })).toThrow('Platform/B: ElastiCache replication group "sessions" is already emitted by Platform/A: ' +
      'on deploy or apply one would silently replace the other; give one of them another name');
  });

  test('two Mongo clusters with one name', () => {
    const stack = awsStack();
    new MongoShardedCluster(stack, 'A', { clusterName: 'db' });
    expect(() => new MongoShardedCluster(stack, 'B', { clusterName: 'db' })).toThrow(/Platform\/B: DocumentDB Elastic cluster "db" is already emitted by Platform\/A/);
  });

  test('two services with one serviceName', () => {
    const stack = awsStack();
    new ServiceCluster(stack, 'Users', { image, serviceName: 'api' });
    expect(() => new ServiceCluster(stack, 'Admin', { image, serviceName: 'api' })).toThrow(/Platform\/Admin: Cloud Map service "api" is already emitted by Platform\/Users/);
  });
});
