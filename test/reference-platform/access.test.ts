import { App, Stack } from 'aws-cdk-lib';
import { Testing } from 'cdk8s';
import { awsReferencePlatform, kubernetesReferencePlatform } from './fixtures';
import { accessMarkdown } from '../../examples/reference-platform/access';
import { AccessPath, PlatformTopology } from '../../src';

const kubernetes = kubernetesReferencePlatform();
const aws = awsReferencePlatform();
(Stack.of(aws.platform).node.root as App).synth();

describe.each([
  ['Kubernetes', kubernetes.platform],
  ['AWS', aws.platform],
])('reference platform access on %s, computed from the output', (target, platform) => {
  const matrix = PlatformTopology.of(platform).accessMatrix();
  /** The components reaching `to`, its own workloads aside. */
  const reaching = (to: { node: { path: string } }) =>
    [...new Set(matrix.filter((p: AccessPath) => p.to === to.node.path && p.from !== p.to).map(p => p.from))];
  const name = (path: string) => Object.entries(platform).find(([, c]) => (c as any)?.node?.path === path)?.[0] ?? path;

  // On AWS the queue is SQS, reached through IAM: no network path at all.
  test('realtime never reaches the database; the gateway reaches neither the database nor the queue', () => {
    expect(reaching(platform.database).map(name).sort()).toEqual(target === 'AWS' ? ['orders', 'products', 'users'] : ['observability', 'orders', 'products', 'users']);
    expect(reaching(platform.orderEvents).map(name).sort()).toEqual(target === 'AWS' ? [] : ['fulfilment', 'observability', 'orders']);
  });

  test('the gateway reaches each service it routes to, and only the callers declared reach a service', () => {
    for (const service of [platform.users, platform.orders, platform.realtime]) expect(reaching(service).map(name).sort()).toEqual(['gateway', 'observability']);
    expect(reaching(platform.products).map(name).sort()).toEqual(['gateway', 'observability', 'orders']);
  });

  test('access.md: one table, a row per path with the rules that allow it', () => {
    const markdown = accessMarkdown(platform);
    expect(markdown.split('\n').filter(l => l.startsWith('| ') && !l.startsWith('| from')).length).toBe(matrix.length);
    expect(markdown).toMatch(/\| orders \(service\) \| products \(service\) \| \d+ \| .* \| .*(NetworkPolicy shop\/products ingress|AWS::EC2::SecurityGroupIngress)/);
  });
});

test('giving realtime the database breaks the reference platform\'s own assertion at synthesis', () => {
  const { chart, platform } = kubernetesReferencePlatform();
  platform.database.allowFrom(platform.realtime);
  expect(() => Testing.synth(chart)).toThrow(/denyAccess\(shop\/Shop\/Realtime, shop\/Shop\/Database\) is violated: NetworkPolicy shop\/shop-db-routers ingress\[\d\] and NetworkPolicy shop\/realtime egress\[\d\] let .* on port 27017/);
});
