import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cdk8s from 'cdk8s';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AcmeService } from '../../examples/service-cluster/acme-service';
import { CacheCluster } from '../../src/cache-cluster';
import { Gateway, RouteTarget, TlsSource } from '../../src/gateway';
import { MongoShardedCluster } from '../../src/mongo-sharded-cluster';
import { ObservabilityStack } from '../../src/observability';
import { PlatformProfile } from '../../src/platform/profile';
import { platformWarning, platformWarningsOf } from '../../src/platform/warnings';
import { ServiceCluster } from '../../src/service-cluster';
import { ONCALL } from '../observability/fakes';
import { awsStack, findObject, kubernetesChart, manifestsOf } from '../util';

const image = 'ghcr.io/acme/users:1.4.2';
const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/5f0c6a8e-3c1b-4d2e-9f70-1a2b3c4d5e6f';
const PROFILES = [PlatformProfile.PRODUCTION, PlatformProfile.DEVELOPMENT];

/** A Stack or Chart with `profile` applied, the construct built in it, and the warnings printed meanwhile. */
function build<S extends Stack | Chart>(scope: S, profile: PlatformProfile, define: (scope: S) => void): { scope: S; printed: string[] } {
  profile.applyTo(scope);
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    define(scope);
    return { scope, printed: warn.mock.calls.map(args => String(args[0])) };
  } finally {
    warn.mockRestore();
  }
}
const onAws = (profile: PlatformProfile, define: (stack: Stack) => void) => Template.fromStack(build(awsStack(), profile, define).scope);
const onKubernetes = (profile: PlatformProfile, define: (chart: Chart) => void) => manifestsOf(build(kubernetesChart(), profile, define).scope);
const gateway = (scope: Stack | Chart, users: ServiceCluster) => new Gateway(scope, 'Api', {
  domainName: 'api.example.com',
  routes: [{ pathPrefix: '/v1/users', target: RouteTarget.service(users) }],
  aws: { certificate: scope instanceof Stack ? acm.Certificate.fromCertificateArn(scope, 'Cert', CERTIFICATE) : undefined },
  kubernetes: { tls: TlsSource.secret('api-tls') },
});

describe('PlatformProfile', () => {
  test('PRODUCTION unless the context says otherwise, on both targets', () => {
    expect(PlatformProfile.of(awsStack())).toBe(PlatformProfile.PRODUCTION);
    expect(PlatformProfile.of(kubernetesChart())).toBe(PlatformProfile.PRODUCTION);
    const app = new App({ context: { [PlatformProfile.CONTEXT_KEY]: 'development' } }); // as `cdk synth -c cdk-portable-platform:profile=development`
    expect(PlatformProfile.of(new Construct(new Stack(app, 'Shop'), 'Deep'))).toBe(PlatformProfile.DEVELOPMENT);
    const k8sApp = new cdk8s.App();
    PlatformProfile.DEVELOPMENT.applyTo(k8sApp);
    expect(PlatformProfile.of(new Construct(new Chart(k8sApp, 'shop'), 'Deep'))).toBe(PlatformProfile.DEVELOPMENT);
    expect(PlatformProfile.fromName('production')).toBe(PlatformProfile.PRODUCTION);
    expect(`${PlatformProfile.DEVELOPMENT}`).toBe('development');
  });

  test('bad names and late application fail with a message saying what to do', () => {
    expect(() => PlatformProfile.fromName('staging')).toThrow('profile "staging" is unknown: use one of production, development');
    const app = new App({ context: { [PlatformProfile.CONTEXT_KEY]: 'prod' } });
    expect(() => PlatformProfile.of(new Stack(app, 'Shop'))).toThrow('Shop: context cdk-portable-platform:profile is not a profile (got "prod"): use one of production, development');
    const chart = kubernetesChart();
    new ServiceCluster(chart, 'Users', { image });
    expect(() => PlatformProfile.DEVELOPMENT.applyTo(chart)).toThrow(
      /platform: cannot apply the development profile after constructs were added \(got Users, PortablePlatform\): call applyTo right after creating the scope/);
  });
});

describe.each(PROFILES)('%s profile defaults', profile => {
  const development = profile === PlatformProfile.DEVELOPMENT;

  test('ServiceCluster: replicas and size', () => {
    let users: ServiceCluster | undefined;
    build(awsStack(), profile, stack => users = new ServiceCluster(stack, 'Users', { image }));
    const aws = Template.fromStack(users!.aws!.stack); // the service's own nested stack
    aws.hasResourceProperties('AWS::ECS::TaskDefinition', development ? { Cpu: '256', Memory: '512' } : { Cpu: '512', Memory: '1024' });
    aws.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', development ? { MinCapacity: 1, MaxCapacity: 3 } : { MinCapacity: 2, MaxCapacity: 10 });
    const k8s = onKubernetes(profile, chart => new ServiceCluster(chart, 'Users', { image }));
    expect(findObject(k8s, 'HorizontalPodAutoscaler', 'users').spec).toMatchObject(development ? { minReplicas: 1, maxReplicas: 3 } : { minReplicas: 2, maxReplicas: 10 });
    expect(findObject(k8s, 'Deployment', 'users').spec.template.spec.containers[0].resources.requests)
      .toEqual(development ? { cpu: '250m', memory: '512Mi' } : { cpu: '500m', memory: '1024Mi' });
  });

  test('Gateway: Traefik replicas and size', () => {
    const aws = onAws(profile, stack => gateway(stack, new ServiceCluster(stack, 'Users', { image, minReplicas: 2 })));
    aws.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: development ? '256' : '512', ContainerDefinitions: Match.arrayWith([Match.objectLike({ Name: 'traefik' })]) });
    aws.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', development ? { MinCapacity: 1, MaxCapacity: 3 } : { MinCapacity: 2, MaxCapacity: 10 });
    const k8s = onKubernetes(profile, chart => gateway(chart, new ServiceCluster(chart, 'Users', { image, minReplicas: 2 })));
    expect(findObject(k8s, 'HorizontalPodAutoscaler', 'api').spec).toMatchObject(development ? { minReplicas: 1, maxReplicas: 3 } : { minReplicas: 2, maxReplicas: 10 });
  });

  test('CacheCluster: replicas, Sentinels, proxy, node and volume sizes, snapshots', () => {
    const aws = onAws(profile, stack => new CacheCluster(stack, 'Sessions'));
    aws.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', development
      ? { NumCacheClusters: 2, CacheNodeType: 'cache.t4g.micro', SnapshotRetentionLimit: 1, AutomaticFailoverEnabled: true }
      : { NumCacheClusters: 3, CacheNodeType: 'cache.r7g.large', SnapshotRetentionLimit: 7, AutomaticFailoverEnabled: true });
    const k8s = onKubernetes(profile, chart => new CacheCluster(chart, 'Sessions'));
    expect(findObject(k8s, 'StatefulSet', 'sessions').spec.replicas).toBe(development ? 2 : 3);
    expect(findObject(k8s, 'StatefulSet', 'sessions').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(development ? '1024Mi' : '10240Mi');
    expect(findObject(k8s, 'StatefulSet', 'sessions-sentinel').spec.replicas).toBe(development ? 1 : 3);
    expect(findObject(k8s, 'Deployment', 'sessions-proxy').spec.replicas).toBe(development ? 1 : 2);
  });

  test('MongoShardedCluster: members, config servers, routers and volumes; the shard count stays', () => {
    const aws = onAws(profile, stack => new MongoShardedCluster(stack, 'Db'));
    aws.hasResourceProperties('AWS::DocDBElastic::Cluster', { ShardCount: 3, ShardInstanceCount: development ? 1 : 3 });
    const k8s = onKubernetes(profile, chart => new MongoShardedCluster(chart, 'Db'));
    expect(k8s.filter(o => o.kind === 'StatefulSet' && o.metadata.name.startsWith('db-shard-'))).toHaveLength(3);
    expect(findObject(k8s, 'StatefulSet', 'db-shard-0').spec.replicas).toBe(development ? 1 : 3);
    expect(findObject(k8s, 'StatefulSet', 'db-shard-0').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(development ? '5Gi' : '20Gi');
    expect(findObject(k8s, 'StatefulSet', 'db-configsvr').spec.replicas).toBe(development ? 1 : 3);
    expect(findObject(k8s, 'Deployment', 'db-mongos').spec.replicas).toBe(development ? 1 : 2);
    expect(findObject(k8s, 'StatefulSet', 'db-shard-0').spec.template.spec.containers[0].resources.limits.memory).toBe(development ? '1024Mi' : '2048Mi');
  });

  test('ObservabilityStack: retention, replicas and volumes', () => {
    const aws = onAws(profile, stack => new ObservabilityStack(stack, 'Observability', { receivers: ONCALL }));
    aws.hasResourceProperties('AWS::APS::Workspace', { WorkspaceConfiguration: { RetentionPeriodInDays: development ? 7 : 15 } });
    const k8s = onKubernetes(profile, chart => new ObservabilityStack(chart, 'Observability', { receivers: ONCALL }));
    const prometheus = findObject(k8s, 'StatefulSet', 'prometheus');
    expect(prometheus.spec.replicas).toBe(development ? 1 : 2);
    expect(prometheus.spec.template.spec.containers[0].args).toContain(`--storage.tsdb.retention.time=${development ? '7d' : '15d'}`);
    expect(prometheus.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(development ? '10Gi' : '50Gi');
    expect(findObject(k8s, 'StatefulSet', 'alertmanager').spec.replicas).toBe(development ? 1 : 2);
  });
});

describe('the development profile', () => {
  const dev = PlatformProfile.DEVELOPMENT;

  test('props, and an organisation subclass\'s defaults, win over the profile', () => {
    const { scope, printed } = build(kubernetesChart(), dev, chart => {
      new ServiceCluster(chart, 'Users', { image, minReplicas: 2, cpu: 1 });
      new AcmeService(chart, 'Orders', { image, team: 'checkout', serviceName: 'orders' });
      new CacheCluster(chart, 'Sessions', { replicas: 2, kubernetes: { sentinels: 3, proxyReplicas: 2 } });
      new MongoShardedCluster(chart, 'Db', { membersPerShard: 3, configServers: 3, routers: 2 });
    });
    const k8s = manifestsOf(scope);
    expect(findObject(k8s, 'HorizontalPodAutoscaler', 'users').spec).toMatchObject({ minReplicas: 2, maxReplicas: 3 });
    expect(findObject(k8s, 'Deployment', 'users').spec.template.spec.containers[0].resources.requests.cpu).toBe('1000m');
    expect(findObject(k8s, 'HorizontalPodAutoscaler', 'orders').spec).toMatchObject({ minReplicas: 3, maxReplicas: 20 });
    expect(findObject(k8s, 'StatefulSet', 'sessions-sentinel').spec.replicas).toBe(3);
    expect(findObject(k8s, 'StatefulSet', 'db-shard-0').spec.replicas).toBe(3);
    expect(printed).toEqual([]);
    expect(platformWarningsOf(scope)).toEqual([]);
  });

  test('allows what production rejects, with a warning on each target', () => {
    const sentinel = /kubernetes.sentinels is 1, which the development profile allows: no failover happens while the only Sentinel is down/;
    const members = /membersPerShard is 1, which the development profile allows: a shard is unavailable while its only member restarts/;
    const k8s = build(kubernetesChart(), dev, chart => {
      new CacheCluster(chart, 'Sessions', { kubernetes: { sentinels: 1 } });
      new MongoShardedCluster(chart, 'Db', { membersPerShard: 1 });
    });
    expect(k8s.printed).toEqual(expect.arrayContaining([expect.stringMatching(sentinel), expect.stringMatching(members)]));
    expect(k8s.printed.find(p => sentinel.test(p))).toMatch(/^\[Warning at \/platform\/Sessions\] .* \[ack: cdk-portable-platform:cache-cluster:kubernetes.sentinels\]$/);
    expect(platformWarningsOf(k8s.scope).map(w => `${w.path} ${w.id}`)).toEqual([
      'platform/Sessions cdk-portable-platform:cache-cluster:kubernetes.sentinels',
      'platform/Sessions cdk-portable-platform:cache-cluster:kubernetes.proxyReplicas',
      'platform/Db cdk-portable-platform:mongo-sharded-cluster:membersPerShard',
      'platform/Db cdk-portable-platform:mongo-sharded-cluster:configServers',
      'platform/Db cdk-portable-platform:mongo-sharded-cluster:routers',
    ]);
    const aws = build(awsStack(), dev, stack => new MongoShardedCluster(stack, 'Db', { membersPerShard: 1 }));
    Annotations.fromStack(aws.scope).hasWarning('/Platform/Db', Match.stringLikeRegexp('membersPerShard is 1, which the development profile allows'));
    // DocumentDB Elastic manages config servers and routing: nothing to warn about on AWS.
    expect(platformWarningsOf(aws.scope).map(w => w.id)).toEqual(['cdk-portable-platform:mongo-sharded-cluster:membersPerShard']);

    expect(() => new CacheCluster(kubernetesChart(), 'Sessions', { kubernetes: { sentinels: 1 } })).toThrow(
      'platform/Sessions: kubernetes.sentinels must be an odd number from 3 to 9 (got 1)');
    expect(() => new MongoShardedCluster(kubernetesChart(), 'Db', { membersPerShard: 1 })).toThrow(
      'platform/Db: membersPerShard is too small (got 1)');
  });

  test('still rejects what no profile makes sense of', () => {
    expect(() => build(kubernetesChart(), dev, chart => new CacheCluster(chart, 'Sessions', { kubernetes: { sentinels: 2 } })))
      .toThrow('platform/Sessions: kubernetes.sentinels must be an odd number from 3 to 9 (got 2)');
    expect(() => build(kubernetesChart(), dev, chart => new MongoShardedCluster(chart, 'Db', { membersPerShard: 2 })))
      .toThrow('platform/Db: membersPerShard must be odd (got 2): an even replica set cannot elect a primary after a split into halves; use 1 or 3');
    expect(() => build(kubernetesChart(), dev, chart => new MongoShardedCluster(chart, 'Db', { routers: 0 })))
      .toThrow('platform/Db: routers is out of range (two or more keep routing up through a node failure) (got 0): use an integer from 1 to 100');
  });

  test('single replicas warn on both targets', () => {
    const aws = build(awsStack(), dev, stack => gateway(stack, new ServiceCluster(stack, 'Users', { image })));
    expect(platformWarningsOf(aws.scope).map(w => `${w.path} ${w.message.split(',')[0]}`)).toEqual([
      'Platform/Users minReplicas is 1',
      'Platform/Api minReplicas is 1',
    ]);
    const k8s = build(kubernetesChart(), dev, chart => new ObservabilityStack(chart, 'Observability', { receivers: ONCALL }));
    expect(k8s.printed.map(p => p.replace(/,.*/, ''))).toEqual([
      '[Warning at /platform/Observability] kubernetes.prometheusReplicas is 1',
      '[Warning at /platform/Observability] kubernetes.alertmanagerReplicas is 1',
      '[Warning at /platform/Observability] kubernetes.logStoreReplicas is 1',
    ]);
  });

  test('no alert receiver warns on both targets (production refuses it)', () => {
    const message = 'receivers is empty, which the development profile allows: every alert goes nowhere: nobody is told when an SLO burns ' +
      'or a primary fails; production needs add an AlertReceiver (webhook, slack or email)';
    const aws = build(awsStack(), dev, stack => new ObservabilityStack(stack, 'Observability'));
    expect(platformWarningsOf(aws.scope).map(w => w.message)).toEqual([message]);
    const k8s = build(kubernetesChart(), dev, chart => new ObservabilityStack(chart, 'Observability'));
    expect(k8s.printed[0]).toBe(`[Warning at /platform/Observability] ${message} [ack: cdk-portable-platform:observability:receivers]`);
  });
});

describe('platformWarning', () => {
  test('AWS: a CDK warning annotation with an acknowledgeable id, once', () => {
    const stack = awsStack();
    const construct = new Construct(stack, 'Thing');
    platformWarning(construct, 'cdk-portable-platform:test', 'something to know');
    platformWarning(construct, 'cdk-portable-platform:test', 'something to know');
    Annotations.fromStack(stack).hasWarning('/Platform/Thing', 'something to know [ack: cdk-portable-platform:test]');
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toHaveLength(1);
    expect(platformWarningsOf(stack)).toEqual([{ path: 'Platform/Thing', id: 'cdk-portable-platform:test', message: 'something to know' }]);
  });

  test('Kubernetes: construct metadata and one console.warn, in the CDK\'s format', () => {
    const chart = kubernetesChart();
    const construct = new Construct(chart, 'Thing');
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      platformWarning(construct, 'cdk-portable-platform:test', 'something to know');
      platformWarning(construct, 'cdk-portable-platform:test', 'something to know');
      expect(warn.mock.calls).toEqual([['[Warning at /platform/Thing] something to know [ack: cdk-portable-platform:test]']]);
    } finally {
      warn.mockRestore();
    }
    expect(construct.node.metadata.map(m => m.type)).toEqual(['cdk-portable-platform:warning']);
    expect(platformWarningsOf(chart)).toEqual([{ path: 'platform/Thing', id: 'cdk-portable-platform:test', message: 'something to know' }]);
  });
});
