import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { MongoClientCredentials, MongoShardedCluster, MongoShardedClusterProps, MongoShardKey } from '../../src/mongo-sharded-cluster';
import { NetworkPeer } from '../../src/platform/network';
import { PlatformSecret } from '../../src/platform/secret';
import { ServiceCluster } from '../../src/service-cluster';
import { expectAwsConformance } from '../conformance/aws';
import { awsStack } from '../util';

function render(props: MongoShardedClusterProps = {}) {
  const stack = awsStack();
  const cluster = new MongoShardedCluster(stack, 'OrdersDb', props);
  return { stack, cluster, template: Template.fromStack(stack) };
}

const sharded: MongoShardedClusterProps = { shardedCollections: ['shop.orders'], shardKeys: { 'shop.orders': MongoShardKey.hashed('customerId') } };
const clusterLogicalId = (template: Template) => Object.keys(template.findResources('AWS::DocDBElastic::Cluster'))[0];

/** A service wired to a sharded cluster: every consumer of the cluster's endpoint and secret. */
function connectedStack(): Stack {
  return connected().stack;
}

function connected() {
  const stack = awsStack();
  const cluster = new MongoShardedCluster(stack, 'OrdersDb', sharded);
  const service = new ServiceCluster(stack, 'Orders', { image: 'ghcr.io/acme/orders:1.0.0' });
  cluster.connect(service, { database: 'shop', credentials: MongoClientCredentials.administrator() });
  return { stack, service };
}

describe('MongoShardedCluster on AWS', () => {
  test('matches the snapshot', () => {
    expect(render(sharded).template.toJSON()).toMatchSnapshot();
  });

  test('a DocumentDB Elastic cluster: shards, capacity, instances per shard, isolated subnets, KMS', () => {
    const { template } = render({ shards: 4, membersPerShard: 5, aws: { shardCapacity: 8 } });
    template.hasResourceProperties('AWS::DocDBElastic::Cluster', {
      ClusterName: 'orders-db',
      ShardCount: 4,
      ShardCapacity: 8,
      ShardInstanceCount: 5,
      SubnetIds: [Match.objectLike({ Ref: Match.stringLikeRegexp('DataSubnet1') }), Match.objectLike({ Ref: Match.stringLikeRegexp('DataSubnet2') }), Match.objectLike({ Ref: Match.stringLikeRegexp('DataSubnet3') })],
      VpcSecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('OrdersDbSecurityGroup'), 'GroupId'] }],
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('PortablePlatformEncryptionKey'), 'Arn'] },
    });
  });

  test('the admin password lives in Secrets Manager: auth type SECRET_ARN, never a plaintext password', () => {
    const { template } = render();
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];
    template.hasResourceProperties('AWS::DocDBElastic::Cluster', { AuthType: 'SECRET_ARN', AdminUserName: 'clusteradmin', AdminUserPassword: { Ref: secretId } });
    template.hasResource('AWS::SecretsManager::Secret', {
      Properties: {
        GenerateSecretString: { PasswordLength: 40, ExcludePunctuation: true, IncludeSpace: false },
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('PortablePlatformEncryptionKey'), 'Arn'] },
      },
      DeletionPolicy: 'Retain',
    });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/"SecretString"|PLAIN_TEXT/);
  });

  test('a given Secrets Manager secret is used as is', () => {
    const stack = awsStack();
    const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Existing', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:mongo-admin-AbCdEf');
    const cluster = new MongoShardedCluster(stack, 'OrdersDb', { adminPassword: PlatformSecret.fromSecretsManager(secret) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.hasResourceProperties('AWS::DocDBElastic::Cluster', { AdminUserPassword: secret.secretArn });
    expect(cluster.aws!.adminSecret).toBe(secret);
  });

  test('backups: retention and a window from the daily schedule; a maintenance window outside it', () => {
    render().template.hasResourceProperties('AWS::DocDBElastic::Cluster', {
      BackupRetentionPeriod: 7, PreferredBackupWindow: '03:00-03:30', PreferredMaintenanceWindow: 'sun:05:00-sun:05:30',
    });
    render({ backup: { schedule: '45 23 * * *', retention: Duration.days(21) }, aws: { preferredMaintenanceWindow: 'wed:02:00-wed:03:00' } })
      .template.hasResourceProperties('AWS::DocDBElastic::Cluster', { BackupRetentionPeriod: 21, PreferredBackupWindow: '23:45-00:15', PreferredMaintenanceWindow: 'wed:02:00-wed:03:00' });
  });

  test('retained by default; DESTROY on request', () => {
    render().template.hasResource('AWS::DocDBElastic::Cluster', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    render({ aws: { removalPolicy: RemovalPolicy.DESTROY } }).template.hasResource('AWS::DocDBElastic::Cluster', { DeletionPolicy: 'Delete' });
  });

  test('the security group admits nobody until allowFrom, then only the peer on 27017', () => {
    const { template } = render();
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'DocumentDB Elastic cluster orders-db: admits only allowFrom peers',
      SecurityGroupIngress: Match.absent(),
    });
    const stack = awsStack();
    const cluster = new MongoShardedCluster(stack, 'OrdersDb');
    const orders = new ServiceCluster(stack, 'Orders', { image: 'ghcr.io/acme/orders:1.0.0' });
    cluster.allowFrom(orders);
    cluster.allowFrom(NetworkPeer.ipv4('10.20.0.0/16'));
    const allowed = Template.fromStack(stack);
    allowed.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      // The service's security group comes out of its nested stack.
      FromPort: 27017, ToPort: 27017, SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersStackNestedStack'), Match.stringLikeRegexp('^Outputs\\..*OrdersStackSecurityGroup')] },
    });
    allowed.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('orders-db'),
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.20.0.0/16', FromPort: 27017, ToPort: 27017 })],
    });
  });

  test('endpoint and connection string: the cluster endpoint on 27017, TLS, w=majority, no retryable writes, no credentials', () => {
    const { cluster, stack } = render();
    expect(cluster.endpoint.port).toBe(27017);
    expect(stack.resolve(cluster.endpoint.host)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OrdersDb/), 'ClusterEndpoint'] });
    expect(stack.resolve(cluster.connectionString('shop'))).toEqual({
      'Fn::Join': ['', ['mongodb://', { 'Fn::GetAtt': [expect.any(String), 'ClusterEndpoint'] }, ':27017/shop?authSource=admin&w=majority&tls=true&retryWrites=false']],
    });
  });

  test('connect: per-service users are refused (DocumentDB Elastic has no user management); the administrator only when asked', () => {
    const stack = awsStack();
    const cluster = new MongoShardedCluster(stack, 'OrdersDb');
    const service = new ServiceCluster(stack, 'Orders', { image: 'ghcr.io/acme/orders:1.0.0' });
    const message = /Platform\/OrdersDb: connect\(credentials\) cannot be a per-service user on aws \(got "perServiceUser"\): DocumentDB Elastic has one administrator and no user management \(AWS::DocDBElastic::Cluster creates no other user, and no CloudFormation resource does\): pass MongoClientCredentials.administrator\(\), or perServiceUserOrAdministrator\(\) for code that renders to both targets/;
    expect(() => cluster.connect(service, { database: 'shop' })).toThrow(message);
    expect(() => cluster.connectService(service, 'shop')).toThrow(message);
    expect(() => cluster.connect(service, { database: 'shop', credentials: MongoClientCredentials.perServiceUser() })).toThrow(message);
    // Nothing was wired by the refused calls; the portable choice hands out the administrator here.
    cluster.connect(service, { database: 'shop', credentials: MongoClientCredentials.perServiceUserOrAdministrator() });
    Template.fromStack(service.aws!.stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: 'MONGODB_USERNAME', Value: 'clusteradmin' }]) })],
    });
  });

  test('connect with the administrator: URI, user name, the password from the secret, and the security-group rule', () => {
    const { stack, service } = connected();
    // The service's task definition lives in its nested stack: the secret ARN arrives as a parameter.
    Template.fromStack(service.aws!.stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Name: 'app',
        Environment: Match.arrayWith([{ Name: 'MONGODB_DATABASE', Value: 'shop' }, { Name: 'MONGODB_USERNAME', Value: 'clusteradmin' }]),
        Secrets: [{ Name: 'MONGODB_PASSWORD', ValueFrom: { Ref: Match.stringLikeRegexp('OrdersDbAdminSecret') } }],
      })],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 27017, SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersStackNestedStack'), Match.stringLikeRegexp('^Outputs\\..*OrdersStackSecurityGroup')] } });
  });

  test('shardedCollections: an idempotent sharding task that EventBridge runs hourly, with the least privilege', () => {
    const { template, cluster } = render(sharded);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)', State: 'ENABLED' });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Image: 'mongo:7.0.28',
        User: '999:999',
        ReadonlyRootFilesystem: true,
        Command: ['exec mongosh --quiet "$MONGODB_URI" --eval "$SHARDING_SCRIPT"'],
        Environment: Match.arrayWith([Match.objectLike({ Name: 'SHARDING_SCRIPT', Value: Match.stringLikeRegexp('sh\\.shardCollection\\(target\\.namespace') })]),
        Secrets: [{ Name: 'MONGODB_PASSWORD', ValueFrom: { Ref: Match.stringLikeRegexp('OrdersDbAdminSecret') } }],
      })],
    });
    const role = cluster.aws!.shardingTask!.scheduleRole;
    const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p: any) => JSON.stringify(p.Properties.Roles).includes(Stack.of(role).getLogicalId(role.node.defaultChild as any)));
    expect((policy as any).Properties.PolicyDocument.Statement.map((s: any) => s.Action)).toEqual(['ecs:RunTask', 'iam:PassRole']);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 27017, Description: 'sharding task' });
    expect(render().cluster.aws!.shardingTask).toBeUndefined();
    render({ ...sharded, aws: { shardingInterval: Duration.minutes(15) } }).template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)' });
  });

  test('metrics are CloudWatch metrics of the cluster; no Prometheus source on AWS', () => {
    const { cluster, stack } = render();
    expect(cluster.metricsSource).toBeUndefined();
    const metric = cluster.metricPrimaryCpuUtilization();
    expect(metric.namespace).toBe('AWS/DocDB-Elastic');
    expect(metric.metricName).toBe('PrimaryInstanceCPUUtilization');
    expect(stack.resolve(metric.dimensions)).toEqual({
      ClusterName: 'orders-db',
      ClusterId: { 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': [clusterLogicalId(Template.fromStack(stack)), 'ClusterArn'] }] }] },
    });
    expect(cluster.metricDatabaseConnections().metricName).toBe('DatabaseConnections');
    expect(() => cluster.allowMetricsFrom(NetworkPeer.ipv4('10.0.0.0/8'))).toThrow(/OrdersDb: allowMetricsFrom is not supported on aws: DocumentDB Elastic publishes its metrics to CloudWatch/);
  });

  test('conformance: cdk-nag, cfn-lint and moto (CREATE_COMPLETE; the cluster and the secret are moto stand-ins)', () => {
    const stack = awsStack();
    const cluster = new MongoShardedCluster(stack, 'OrdersDb', { backup: { retention: Duration.days(14) } });
    cluster.allowFrom(NetworkPeer.ipv4('10.20.0.0/16'));
    const report = expectAwsConformance([stack]);
    expect(report.nagFindings).toEqual([]);
    if (report.moto.length > 0) {
      expect(report.moto[0].emulatedTypes).toEqual(expect.arrayContaining(['AWS::DocDBElastic::Cluster', 'AWS::SecretsManager::Secret']));
    }
  });

  test('conformance with a connected service and the sharding task: services read the endpoint; moto resolves it', () => {
    const report = expectAwsConformance([connectedStack()]);
    expect(report.nagFindings).toEqual([]);
    expect(report.cfnLintErrors).toEqual([]);
    expect(report.resources).toBeGreaterThan(80);
  });
});
