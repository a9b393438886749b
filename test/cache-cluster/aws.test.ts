import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CacheCluster, CacheClusterMode, CacheClusterProps, CacheEngine, EvictionPolicy } from '../../src/cache-cluster';
import { NetworkPeer } from '../../src/platform/network';
import { PlatformSecret } from '../../src/platform/secret';
import { ServiceCluster } from '../../src/service-cluster';
import { expectAwsConformance } from '../conformance/aws';
import { awsStack } from '../util';

function render(props: CacheClusterProps = {}) {
  const stack = awsStack();
  const cache = new CacheCluster(stack, 'Sessions', props);
  return { stack, cache, template: Template.fromStack(stack) };
}
const RG = 'AWS::ElastiCache::ReplicationGroup';

describe('CacheCluster on AWS', () => {
  test('matches the snapshot', () => {
    expect(render().template.toJSON()).toMatchSnapshot();
  });

  test('replication group: 1 primary + 2 replicas, Multi-AZ failover, TLS required, KMS at rest, non-default port', () => {
    const { template } = render();
    template.hasResourceProperties(RG, {
      ReplicationGroupId: 'sessions',
      Engine: 'redis',
      EngineVersion: '7.1',
      CacheNodeType: 'cache.r7g.large',
      NumCacheClusters: 3,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      AtRestEncryptionEnabled: true,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('PortablePlatformEncryptionKey'), 'Arn'] },
      Port: 6380,
      AutoMinorVersionUpgrade: true,
    });
    template.resourcePropertiesCountIs(RG, { NumNodeGroups: Match.anyValue() }, 0);
  });

  test('AUTH token: generated in Secrets Manager, encrypted with the platform key, passed as a dynamic reference', () => {
    const { template, cache, stack } = render();
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
      KmsKeyId: Match.anyValue(),
    });
    const rg = Object.values<any>(template.findResources(RG))[0];
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];
    expect(rg.Properties.AuthToken).toEqual({ 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']] });
    expect(cache.redisPassword?.secretsManagerSecret).toBe(cache.aws!.authSecret);
    expect(cache.redisTls).toBe(true);
    expect(stack.resolve(cache.redisEndpoint.host)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(cache.aws!.replicationGroup), 'PrimaryEndPoint.Address'] });
    expect(cache.redisEndpoint.scheme).toBe('rediss');
  });

  test('a named auth secret is resolved by name, on AWS as on Kubernetes', () => {
    const { template, cache } = render({ auth: PlatformSecret.named('sessions-auth', 'password') });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.hasResourceProperties(RG, { AuthToken: '{{resolve:secretsmanager:sessions-auth:SecretString:password::}}' });
    expect(cache.redisPassword?.secretName).toBe('sessions-auth');
  });

  test('an RBAC user group replaces the AUTH token', () => {
    const { template, cache } = render({ aws: { userGroupId: 'sessions-users' } });
    template.hasResourceProperties(RG, { UserGroupIds: ['sessions-users'], AuthToken: Match.absent() });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(cache.redisPassword).toBeUndefined();
  });

  test('network: isolated subnets, a security group closed to everything but allowFrom peers', () => {
    const stack = awsStack();
    const cache = new CacheCluster(stack, 'Sessions');
    const users = new ServiceCluster(stack, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    cache.allowFrom(users);
    cache.allowFrom(NetworkPeer.ipv4('10.9.0.0/16'));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ElastiCache::SubnetGroup', {
      SubnetIds: [1, 2, 3].map(i => ({ Ref: Match.stringLikeRegexp(`PortablePlatformVpcDataSubnet${i}`) })),
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Nodes of cache sessions: only allowFrom peers are admitted',
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
      SecurityGroupIngress: [{ CidrIp: '10.9.0.0/16', FromPort: 6380, ToPort: 6380, IpProtocol: 'tcp', Description: Match.anyValue() }],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 6380,
      ToPort: 6380,
      IpProtocol: 'tcp',
      // The service's security group comes out of its nested stack.
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UsersStackNestedStack'), Match.stringLikeRegexp('^Outputs\\..*UsersStackSecurityGroup')] },
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('SessionsSecurityGroup'), 'GroupId'] },
    });
  });

  test('parameter group, snapshots, windows, logs, deletion policy', () => {
    const { template } = render({
      evictionPolicy: EvictionPolicy.ALLKEYS_LRU,
      aws: { snapshotRetentionDays: 14, snapshotWindow: '01:00-02:30', maintenanceWindow: 'mon:04:00-mon:05:00', logRetention: logs.RetentionDays.ONE_MONTH },
    });
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
      CacheParameterGroupFamily: 'redis7', Properties: { 'maxmemory-policy': 'allkeys-lru', 'cluster-enabled': 'no' },
    });
    template.hasResourceProperties(RG, { SnapshotRetentionLimit: 14, SnapshotWindow: '01:00-02:30', PreferredMaintenanceWindow: 'mon:04:00-mon:05:00' });
    template.hasResource(RG, { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties(RG, {
      LogDeliveryConfigurations: ['slow-log', 'engine-log'].map(logType => Match.objectLike({ LogType: logType, DestinationType: 'cloudwatch-logs', LogFormat: 'json' })),
    });
  });

  test('RETAIN keeps the replication group and what it still uses', () => {
    const { template } = render({ removalPolicy: RemovalPolicy.RETAIN });
    for (const type of [RG, 'AWS::ElastiCache::SubnetGroup', 'AWS::ElastiCache::ParameterGroup', 'AWS::SecretsManager::Secret']) {
      template.hasResource(type, { DeletionPolicy: 'Retain' });
    }
  });

  test('cluster mode: node groups × replicas, cluster-enabled parameter group, configuration endpoint', () => {
    const { template, cache, stack } = render({ mode: CacheClusterMode.CLUSTER, shards: 4, replicas: 1 });
    template.hasResourceProperties(RG, {
      NumNodeGroups: 4, ReplicasPerNodeGroup: 1, NumCacheClusters: Match.absent(), AutomaticFailoverEnabled: true,
    });
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', { Properties: { 'cluster-enabled': 'yes', 'maxmemory-policy': 'volatile-lru' } });
    expect(stack.resolve(cache.redisEndpoint.host)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(cache.aws!.replicationGroup), 'ConfigurationEndPoint.Address'] });
    expect(cache.redisClusterMode).toBe(true);
    expect(cache.memberClusterIds).toEqual(['sessions-0001-001', 'sessions-0001-002', 'sessions-0002-001', 'sessions-0002-002',
      'sessions-0003-001', 'sessions-0003-002', 'sessions-0004-001', 'sessions-0004-002']);
  });

  test('Valkey 8 with its own parameter family; no Prometheus endpoint, CloudWatch metrics instead', () => {
    const { template, cache } = render({ engine: CacheEngine.VALKEY_8 });
    template.hasResourceProperties(RG, { Engine: 'valkey', EngineVersion: '8.0' });
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', { CacheParameterGroupFamily: 'valkey8' });
    expect(cache.metricsSource).toBeUndefined();
  });

  test('metric methods: AWS/ElastiCache per node, replication lag on the first replica', () => {
    const { cache } = render();
    expect(cache.memberClusterIds).toEqual(['sessions-001', 'sessions-002', 'sessions-003']);
    const config = (m: any) => { const c = m.toMetricConfig().metricStat; return [c.namespace, c.metricName, c.statistic, c.dimensions]; };
    const node = (id: string) => [{ name: 'CacheClusterId', value: id }];
    expect(config(cache.metricCpuUtilization())).toEqual(['AWS/ElastiCache', 'EngineCPUUtilization', 'Average', node('sessions-001')]);
    expect(config(cache.metricMemoryUsage())).toEqual(['AWS/ElastiCache', 'DatabaseMemoryUsagePercentage', 'Average', node('sessions-001')]);
    expect(config(cache.metricEvictions())).toEqual(['AWS/ElastiCache', 'Evictions', 'Sum', node('sessions-001')]);
    expect(config(cache.metricReplicationLag())).toEqual(['AWS/ElastiCache', 'ReplicationLag', 'Maximum', node('sessions-002')]);
    expect(config(cache.metricCurrentConnections({ cacheClusterId: 'sessions-003' }))).toEqual(['AWS/ElastiCache', 'CurrConnections', 'Maximum', node('sessions-003')]);
    expect(config(cache.metricCacheHitRate())).toEqual(['AWS/ElastiCache', 'CacheHitRate', 'Average', node('sessions-001')]);
    expect(config(cache.metric('SwapUsage', { statistic: 'Maximum' }))).toEqual(['AWS/ElastiCache', 'SwapUsage', 'Maximum', node('sessions-001')]);
    const alarm = cache.metricMemoryUsage().createAlarm(cache, 'MemoryAlarm', { threshold: 80, evaluationPeriods: 3 });
    expect(alarm.alarmArn).toBeDefined();
  });

  test('conformance: cdk-nag, cfn-lint and moto, both modes in one stack', () => {
    const stack = awsStack();
    new CacheCluster(stack, 'Sessions');
    new CacheCluster(stack, 'Catalog', { mode: CacheClusterMode.CLUSTER, shards: 3, replicas: 1, engine: CacheEngine.VALKEY_8 });
    const report = expectAwsConformance([stack]);
    console.info(`CacheCluster on AWS: ${report.resources} resources; cdk-nag ${report.nagFindings.length} findings ` +
      `(${report.nagSuppressed} acknowledged); cfn-lint ${report.cfnLintErrors.length} errors, ${report.cfnLintWarnings.length} warnings ` +
      `(${[...new Set(report.cfnLintWarnings.map(w => w.ruleId))].join(', ')}); moto ${report.moto.map(m => `${m.status}; skipped ` +
      `${m.unsupportedTypes.filter(t => /ElastiCache|SecretsManager/.test(t)).join(' ')}; stand-ins ${m.emulatedTypes.join(' ')}`).join('; ')}`);
  });

  test('conformance of explicit opt-outs: acknowledged with their reasons, not silently', () => {
    const stack = awsStack();
    new CacheCluster(stack, 'Sessions', { automaticFailover: false, replicas: 0, persistence: false, port: 6379, aws: { userGroupId: 'sessions-users' } });
    const report = expectAwsConformance([stack], { moto: false });
    expect(report.nagSuppressed).toBeGreaterThanOrEqual(3);
  });
});
