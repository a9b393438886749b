import { Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CacheCluster, MongoShardedCluster, NetworkPeer, PlatformTopology, ServiceCluster } from '../../../src';
import { KubernetesPlatform } from '../../../src/platform/kubernetes-platform';
import { findObject, kubernetesChart, manifestsOf } from '../../util';

const OWNER = KubernetesPlatform.OWNER_LABEL;

/** Two services with metrics on 9090 (realtime calls users) and a cache both use. */
function platform(chart = kubernetesChart()) {
  const users = new ServiceCluster(chart, 'Users', { image: 'ghcr.io/acme/users:1.0.0', metrics: { port: 9090 } });
  const realtime = new ServiceCluster(chart, 'Realtime', { image: 'ghcr.io/acme/realtime:1.0.0', metrics: { port: 9090 } });
  const cache = new CacheCluster(chart, 'Cache', { cacheName: 'cache' });
  users.allowFrom(realtime);
  cache.allowFrom(users);
  return { chart, users, realtime, cache, topology: PlatformTopology.of(chart) };
}

/** The rule of `policy` (ingress or egress) whose peers select the pods named `peer`. */
function ruleFor(manifests: any[], policy: string, key: 'ingress' | 'egress', peer: string): any {
  return findObject(manifests, 'NetworkPolicy', policy).spec[key]
    .find((r: any) => (r.from ?? r.to ?? []).some((p: any) => p.podSelector?.matchLabels?.['app.kubernetes.io/name'] === peer));
}

describe('access matrix on Kubernetes', () => {
  test('computed from the NetworkPolicies: each path with its port, its owners and the ingress and egress rules allowing it', () => {
    const { chart, users, realtime, cache, topology } = platform();
    manifestsOf(chart);
    const matrix = topology.accessMatrix();
    expect(matrix).toContainEqual({
      from: realtime.node.path,
      to: users.node.path,
      fromWorkload: 'Deployment/realtime',
      toWorkload: 'Deployment/users',
      port: 8080,
      endPort: 8080,
      rules: ['NetworkPolicy shop/users ingress[0]', expect.stringMatching(/^NetworkPolicy shop\/realtime egress\[\d\]$/)],
    });
    // allowFrom opens the service port only: not the metrics port, and no path back.
    expect(matrix.filter(p => p.from === realtime.node.path && p.to === users.node.path).map(p => p.port)).toEqual([8080]);
    expect(matrix.filter(p => p.from === users.node.path && p.to === realtime.node.path)).toEqual([]);
    // Realtime was not admitted to the cache; users was, on the proxy, the members and Sentinel.
    expect(matrix.filter(p => p.from === realtime.node.path && p.to === cache.node.path)).toEqual([]);
    expect([...new Set(matrix.filter(p => p.from === users.node.path && p.to === cache.node.path).map(p => p.port))].sort()).toEqual([26379, 6379]);
    // The cache's own replication is recognised by the cache, not exempted.
    expect(matrix.some(p => p.from === cache.node.path && p.to === cache.node.path)).toBe(true);
    expect(topology.renderAccessMarkdown()).toContain('| realtime (service) | users (service) | 8080 | Deployment/realtime → Deployment/users | NetworkPolicy shop/users ingress[0]');
  });

  test('denyAccess fails synthesis, naming the policies that allow the path and the port', () => {
    const { chart, realtime, cache, topology } = platform();
    cache.allowFrom(realtime);
    topology.denyAccess(realtime, cache);
    expect(() => Testing.synth(chart)).toThrow(
      /denyAccess\(platform\/Realtime, platform\/Cache\) is violated: NetworkPolicy shop\/cache-proxy ingress\[\d\] and NetworkPolicy shop\/realtime egress\[\d\] let platform\/Realtime \(Deployment\/realtime\) reach platform\/Cache \(Deployment\/cache-proxy\) on port 6379/,
    );
  });

  test('allowAccessOnlyFrom fails synthesis for any other component', () => {
    const { chart, users, realtime, cache, topology } = platform();
    cache.allowFrom(realtime);
    topology.allowAccessOnlyFrom(cache, [users]);
    expect(() => Testing.synth(chart)).toThrow(/allowAccessOnlyFrom\(platform\/Cache, \[platform\/Users\]\) is violated: .* let platform\/Realtime \(Deployment\/realtime\) reach platform\/Cache/);
  });

  test('assertions that hold leave synthesis alone', () => {
    const { chart, users, realtime, cache, topology } = platform();
    topology.denyAccess(realtime, cache);
    topology.allowAccessOnlyFrom(cache, [users]);
    expect(() => manifestsOf(chart)).not.toThrow();
  });

  // Regression: allowFrom once opened the metrics port beside the service port. Rebuilt by hand here.
  test('drift: a grant that also opens the metrics port fails, naming both rules and the port', () => {
    const { chart, topology } = platform();
    const manifests = manifestsOf(chart);
    expect(topology._accessProblems(manifests)).toEqual([]);
    const broken = structuredClone(manifests);
    ruleFor(broken, 'users', 'ingress', 'realtime').ports.push({ protocol: 'TCP', port: 9090 });
    ruleFor(broken, 'realtime', 'egress', 'users').ports.push({ protocol: 'TCP', port: 9090 });
    const problems = topology._accessProblems(broken);
    expect(problems).toEqual([expect.stringMatching(
      /^NetworkPolicy shop\/users ingress\[0\] and NetworkPolicy shop\/realtime egress\[\d\] let platform\/Realtime \(Deployment\/realtime\) reach platform\/Users \(Deployment\/users\) on port 9090, but port 9090 is the metrics port, and platform\/Realtime does not observe platform\/Users: only allowFrom\(peer, \{ purpose: AccessPurpose.METRICS \}\)/,
    )]);
  });

  // Regression: the backup job's selectors once matched by name alone, so a service named `db-backup`
  // beside a Mongo `db` got its access. Rebuilt by hand: the jobs' selectors without the owner label.
  test('drift: a service whose pods a data store\'s selector matches by name fails, naming the rule', () => {
    const chart = kubernetesChart();
    new MongoShardedCluster(chart, 'Db', { clusterName: 'db' });
    const backup = new ServiceCluster(chart, 'Backup', { serviceName: 'db-backup', image: 'ghcr.io/acme/db-backup:1.0.0' });
    const topology = PlatformTopology.of(chart);
    const manifests = manifestsOf(chart);
    expect(topology._accessProblems(manifests)).toEqual([]);
    const broken = structuredClone(manifests);
    forEachSelector(broken, selector => {
      const byName = (selector.matchExpressions ?? []).some((e: any) => e.key === 'app.kubernetes.io/name' && e.values.includes('db-backup'));
      if (byName) delete selector.matchLabels[OWNER];
    });
    const problems = topology._accessProblems(broken).filter(p => p.includes('Deployment/db-backup'));
    expect(problems).toContainEqual(expect.stringMatching(
      /^NetworkPolicy shop\/db-members ingress\[0\] and NetworkPolicy shop\/db-jobs egress\[0\] let platform\/Backup \(Deployment\/db-backup\) reach platform\/Db \(StatefulSet\/db-shard-0\) on port 27017, but no allowFrom, connect\*, grant\* or gateway route declares it/,
    ));
    expect(problems.every(p => p.includes(`let ${backup.node.path} (Deployment/db-backup) reach platform/Db`))).toBe(true);
  });

  test('the drift check can be turned off by context; the assertions still run', () => {
    const app = Testing.app();
    app.node.setContext('cdk-portable-platform:accessDriftCheck', false);
    const { chart, realtime, cache, topology } = platform(new Chart(app, 'platform', { namespace: 'shop' }));
    const manifests = manifestsOf(chart);
    const broken = structuredClone(manifests);
    ruleFor(broken, 'users', 'ingress', 'realtime').ports.push({ protocol: 'TCP', port: 9090 });
    ruleFor(broken, 'realtime', 'egress', 'users').ports.push({ protocol: 'TCP', port: 9090 });
    expect(topology._accessProblems(broken)).toEqual([]);
    cache.allowFrom(realtime);
    topology.denyAccess(realtime, cache);
    expect(topology._accessProblems().length).toBeGreaterThan(0);
  });
});

test('a workload of your own (no owner label) belongs to the component above it, and its declared access passes', () => {
  const chart = kubernetesChart();
  const cache = new CacheCluster(chart, 'Cache', { cacheName: 'cache' });
  const labels = { app: 'reporter' };
  const reporter = new Construct(chart, 'Reporter');
  new k8s.KubeDeployment(reporter, 'Deployment', {
    metadata: { name: 'reporter' },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/reporter:1.0.0' }] } },
    },
  });
  const identity = NetworkPeer.fromPodLabels(labels);
  const topology = PlatformTopology.of(chart);
  topology.addComponent(reporter, { kind: 'reporter', name: 'reporter', networkIdentity: identity });
  cache.allowFrom(identity);
  // The namespace's DNS policy is the only egress the reporter has: open its way to the cache as a policy of its own would.
  new k8s.KubeNetworkPolicy(reporter, 'Policy', {
    metadata: { name: 'reporter' },
    spec: { podSelector: { matchLabels: labels }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cache-proxy' } } }] }] },
  });
  Testing.synth(chart);
  expect(topology.accessMatrix().filter(p => p.from === reporter.node.path).map(p => `${p.to} ${p.toWorkload} ${p.port}`)).toEqual(['platform/Cache Deployment/cache-proxy 6379']);
  expect(topology._accessProblems()).toEqual([]);
});

/** Every label selector of every NetworkPolicy (its pod selector and its peers'). */
function forEachSelector(manifests: any[], visit: (selector: any) => void): void {
  for (const policy of manifests.filter(o => o.kind === 'NetworkPolicy')) {
    visit(policy.spec.podSelector);
    for (const rule of [...policy.spec.ingress ?? [], ...policy.spec.egress ?? []]) {
      for (const peer of [...rule.from ?? [], ...rule.to ?? []]) if (peer.podSelector) visit(peer.podSelector);
    }
  }
}
