import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { AwsPlatform, CacheCluster, NetworkPeer, PlatformTopology, ServiceCluster } from '../../../src';
import { awsStack } from '../../util';

/** Two services with metrics on 9090 (realtime calls users) and a cache users reaches. */
function platform(stack = awsStack()) {
  const users = new ServiceCluster(stack, 'Users', { image: 'ghcr.io/acme/users:1.0.0', metrics: { port: 9090 } });
  const realtime = new ServiceCluster(stack, 'Realtime', { image: 'ghcr.io/acme/realtime:1.0.0', metrics: { port: 9090 } });
  const cache = new CacheCluster(stack, 'Cache', { cacheName: 'cache' });
  users.allowFrom(realtime);
  cache.allowFrom(users);
  return { stack, users, realtime, cache, topology: PlatformTopology.of(stack) };
}

const synth = (stack: Stack) => (stack.node.root as App).synth();
const ruleId = (rule: ec2.CfnSecurityGroupIngress) => `AWS::EC2::SecurityGroupIngress ${Stack.of(rule).resolve(rule.logicalId)}`;
const groupPath = (group: ec2.ISecurityGroup) => (group.node.defaultChild ?? group).node.path.replace(/\/Resource$/, '');

describe('access matrix on AWS', () => {
  test('computed from the security-group rules, through the shared load balancer to the listener\'s owner', () => {
    const { stack, users, realtime, cache, topology } = platform();
    synth(stack);
    const matrix = topology.accessMatrix();
    const listenerPort = users.aws!.listener.port as number;
    const balancer = users.aws!.loadBalancer.connections.securityGroups[0];
    expect(matrix).toContainEqual({
      from: realtime.node.path,
      to: users.node.path,
      fromWorkload: groupPath(realtime.aws!.securityGroup),
      toWorkload: groupPath(balancer),
      port: listenerPort,
      endPort: listenerPort,
      rules: [expect.stringMatching(/^AWS::EC2::SecurityGroupIngress \w+$/), expect.stringMatching(/^AWS::EC2::SecurityGroup \w+ SecurityGroupEgress\[0\]$/)],
    });
    // Realtime reaches users through its listener alone: not the tasks, not the metrics port.
    expect(matrix.filter(p => p.from === realtime.node.path && p.to === users.node.path).map(p => p.port)).toEqual([listenerPort]);
    expect(matrix.filter(p => p.from === users.node.path && p.to === cache.node.path).map(p => p.port)).toEqual([6380]);
    expect(matrix.filter(p => p.from === realtime.node.path && p.to === cache.node.path)).toEqual([]);
    // The load balancer reaching users' tasks is users' own traffic, which the service recognises.
    expect(matrix.filter(p => p.from === users.node.path && p.to === users.node.path).map(p => p.port).sort()).toEqual([8080, 9090]);
    expect(topology._accessProblems()).toEqual([]);
  });

  test('denyAccess fails synthesis, naming the security-group rule and the port', () => {
    const { stack, realtime, cache, topology } = platform();
    cache.allowFrom(realtime);
    topology.denyAccess(realtime, cache);
    const rule = admitting(cache.aws!.securityGroup, realtime.aws!.securityGroup);
    expect(() => synth(stack)).toThrow(`denyAccess(Platform/Realtime, Platform/Cache) is violated: ${ruleId(rule)} and `);
    expect(() => synth(stack)).toThrow(/reach Platform\/Cache \(Platform\/Cache\/SecurityGroup\) on port 6380/);
  });

  // Regression: allowFrom once opened the metrics port beside the service port. Rebuilt by hand here.
  test('drift: a rule opening the metrics port to a client fails, naming its logical id and the port', () => {
    const { stack, users, realtime, topology } = platform();
    expect(topology._accessProblems()).toEqual([]);
    users.aws!.securityGroup.connections.allowFrom(realtime.aws!.securityGroup, ec2.Port.tcp(9090), 'allowFrom, metrics port too');
    const rule = admitting(users.aws!.securityGroup, realtime.aws!.securityGroup);
    expect(() => synth(stack)).toThrow(`${ruleId(rule)} and AWS::EC2::SecurityGroup `);
    expect(() => synth(stack)).toThrow(/reach Platform\/Users \(Platform\/Users\/Stack\/SecurityGroup\) on port 9090, but port 9090 is the metrics port, and Platform\/Realtime does not observe Platform\/Users/);
  });

  test('drift: a rule no declaration grants fails, saying which declaration is missing', () => {
    const { stack, realtime, cache } = platform();
    cache.aws!.securityGroup.connections.allowFrom(realtime.aws!.securityGroup, ec2.Port.tcp(6380), 'by hand');
    expect(() => synth(stack)).toThrow(/on port 6380, but no allowFrom, connect\*, grant\* or gateway route declares it: call Platform\/Cache.allowFrom\(Platform\/Realtime\)/);
  });

  test('drift: an address range must be admitted with allowFrom(NetworkPeer.ipv4(...))', () => {
    const { cache, topology } = platform();
    cache.allowFrom(NetworkPeer.ipv4('10.1.0.0/16'));
    expect(topology._accessProblems()).toEqual([]);
    cache.aws!.securityGroup.addIngressRule(ec2.Peer.ipv4('10.2.0.0/16'), ec2.Port.tcp(6380), 'by hand');
    expect(topology._accessProblems()).toEqual([expect.stringMatching(
      /^AWS::EC2::SecurityGroup \w+ SecurityGroupIngress\[\d\] let cidr 10\.2\.0\.0\/16 reach .* on port 6380, but nothing declares it: admit the range with allowFrom\(NetworkPeer.ipv4\('10\.2\.0\.0\/16'\)\)/,
    )]);
  });

  test('a component\'s own traffic passes only when the component recognises it', () => {
    const stack = awsStack();
    new TwoTier(stack, 'Own');
    expect(() => synth(stack)).toThrow(/let Platform\/Own \(Platform\/Own\/Front\) reach Platform\/Own \(Platform\/Own\/Back\) on port 7000, but nothing declares traffic between its own workloads: the construct recognises it with PlatformTopology.addInternalConnection/);
    const recognised = awsStack();
    PlatformTopology.of(recognised).addInternalConnection(new TwoTier(recognised, 'Own'), 'front to back');
    expect(() => synth(recognised)).not.toThrow();
  });

  test('a security group of your own belongs to the component whose network identity it is', () => {
    const { stack, cache, topology } = platform();
    const group = new ec2.SecurityGroup(stack, 'ReporterGroup', { vpc: AwsPlatform.of(stack).vpc });
    const reporter = new Construct(stack, 'Reporter');
    const identity = NetworkPeer.fromConnectable(group);
    topology.addComponent(reporter, { kind: 'reporter', name: 'reporter', networkIdentity: identity });
    cache.allowFrom(identity);
    synth(stack);
    expect(topology.accessMatrix().filter(p => p.from === reporter.node.path).map(p => `${p.to} ${p.port}`)).toEqual(['Platform/Cache 6380']);
    expect(topology._accessProblems()).toEqual([]);
  });

  test('the drift check can be turned off by context', () => {
    const app = new App({ context: { 'cdk-portable-platform:accessDriftCheck': false } });
    const stack = new Stack(app, 'Platform', { env: { account: '123456789012', region: 'us-east-1' } });
    new TwoTier(stack, 'Own');
    expect(() => synth(stack)).not.toThrow();
  });
});

/** A construct of one's own with two security groups, the back admitting the front. */
class TwoTier extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const vpc = AwsPlatform.of(this).vpc;
    const front = new ec2.SecurityGroup(this, 'Front', { vpc });
    const back = new ec2.SecurityGroup(this, 'Back', { vpc, allowAllOutbound: false });
    back.connections.allowFrom(front, ec2.Port.tcp(7000));
    PlatformTopology.of(this).addComponent(this, { kind: 'tier', name: 'own' });
  }
}

/** The ingress rule of `group` admitting `source`. */
function admitting(group: ec2.ISecurityGroup, source: ec2.ISecurityGroup): ec2.CfnSecurityGroupIngress {
  const sourceGroup = (source.node.defaultChild ?? source) as ec2.CfnSecurityGroup;
  const rules = Stack.of(group).node.findAll().filter((c): c is ec2.CfnSecurityGroupIngress => c instanceof ec2.CfnSecurityGroupIngress
    && c.node.scope === group && Stack.of(group).resolve(c.sourceSecurityGroupId) !== undefined
    && JSON.stringify(Stack.of(c).resolve(c.sourceSecurityGroupId)).includes(Stack.of(sourceGroup).getLogicalId(sourceGroup)));
  if (rules.length < 1) throw new Error(`no rule of ${group.node.path} admits ${source.node.path}`);
  return rules[rules.length - 1];
}
