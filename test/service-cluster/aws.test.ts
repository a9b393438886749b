import { Duration, Size } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsPlatform, NetworkPeer, PlatformSecret, ServiceCluster, ServicePlacement } from '../../src';
import { expectAwsConformance } from '../conformance/aws';
import { awsStack } from '../util';

function render(props: Partial<ConstructorParameters<typeof ServiceCluster>[2]> = {}) {
  const stack = awsStack();
  const service = new ServiceCluster(stack, 'Users', { image: 'ghcr.io/acme/users:1.4.2', ...props });
  // The service's resources live in its own nested stack; the platform's in the root stack.
  return { stack, service, template: Template.fromStack(service.aws!.stack), root: Template.fromStack(stack) };
}

describe('ServiceCluster on AWS', () => {
  test('matches the snapshot', () => {
    const { template, root } = render({ environment: { LOG_LEVEL: 'info' } });
    expect({ root: root.toJSON(), service: template.toJSON() }).toMatchSnapshot();
  });

  test('placement: each service in a nested stack of its own, or all in the same stack', () => {
    const { root, service } = render();
    root.resourceCountIs('AWS::CloudFormation::Stack', 1);
    root.resourceCountIs('AWS::ECS::Service', 0);
    expect(service.aws!.stack.nested).toBe(true);
    expect(service.aws!.stack.node.scope).toBe(service);

    const flat = awsStack();
    new AwsPlatform(flat, 'Shared', { servicePlacement: ServicePlacement.SAME_STACK });
    const inline = new ServiceCluster(flat, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    expect(inline.aws!.stack).toBe(flat);
    Template.fromStack(flat).resourceCountIs('AWS::ECS::Service', 1);
    Template.fromStack(flat).resourceCountIs('AWS::CloudFormation::Stack', 0);
  });

  test('task: pinned image, defaults of 0.5 vCPU / 1 GiB, non-root, read-only root with a writable /tmp', () => {
    const { template } = render();
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '512',
      Memory: '1024',
      RequiresCompatibilities: ['FARGATE'],
      Volumes: [{ Name: 'tmp' }],
      ContainerDefinitions: [Match.objectLike({
        Name: 'app',
        Image: 'ghcr.io/acme/users:1.4.2',
        User: '65532:65532',
        ReadonlyRootFilesystem: true,
        StopTimeout: 30,
        PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }],
        MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'tmp', ReadOnly: false }],
        HealthCheck: {
          Command: ['CMD-SHELL', Match.stringLikeRegexp('wget .*http://127.0.0.1:8080/healthz.*curl')],
          Interval: 10,
          Timeout: 5,
          Retries: 3,
          StartPeriod: 60,
        },
        LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
      })],
    });
  });

  test('service: circuit breaker with rollback, private subnets, 2 replicas, zone rebalancing', () => {
    const { template } = render();
    template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 2,
      AvailabilityZoneRebalancing: 'ENABLED',
      HealthCheckGracePeriodSeconds: 60,
      DeploymentConfiguration: {
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
      },
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
    });
  });

  test('autoscaling: 2-10 tasks, 70 % CPU and 80 % memory by default, request rate when asked', () => {
    render().template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 10 });
    const { template } = render({ minReplicas: 3, maxReplicas: 30, targetCpuUtilization: 60, targetRequestsPerSecond: 50 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 3, MaxCapacity: 30 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, TargetValue: 60,
      }),
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageMemoryUtilization' }, TargetValue: 80,
      }),
    });
    // ALBRequestCountPerTarget is per minute: 50 rps × 60.
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }), TargetValue: 3000,
      }),
    });
  });

  test('a fixed replica count has no autoscaling', () => {
    const { template, service } = render({ minReplicas: 3, maxReplicas: 3 });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    expect(service.aws!.scalableTarget).toBeUndefined();
  });

  test('target group health check and deregistration follow healthCheck and shutdownGracePeriod', () => {
    const { template } = render({
      healthCheck: { path: '/ready', interval: Duration.seconds(15), timeout: Duration.seconds(4), healthyThreshold: 3, unhealthyThreshold: 4 },
      shutdownGracePeriod: Duration.seconds(45),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'ip',
      Port: 8080,
      HealthCheckPath: '/ready',
      HealthCheckIntervalSeconds: 15,
      HealthCheckTimeoutSeconds: 4,
      HealthyThresholdCount: 3,
      UnhealthyThresholdCount: 4,
      Matcher: { HttpCode: '200-399' },
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '45' }]),
    });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ StopTimeout: 45 })],
    });
  });

  test('discovery: a Cloud Map name aliases the internal load balancer; endpoint uses the dedicated listener port', () => {
    const { template, root, service } = render();
    root.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', { Name: 'platform.internal' });
    template.hasResourceProperties('AWS::ServiceDiscovery::Service', {
      Name: 'users', DnsConfig: Match.objectLike({ RoutingPolicy: 'WEIGHTED', DnsRecords: [{ Type: 'A', TTL: 10 }] }),
    });
    template.hasResourceProperties('AWS::ServiceDiscovery::Instance', {
      InstanceAttributes: { AWS_ALIAS_DNS_NAME: Match.anyValue() },
    });
    root.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
      ]),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: service.endpoint.port, Protocol: 'HTTP' });
    expect(service.endpoint.host).toBe('users.platform.internal');
    expect(service.endpoint.port).toBeGreaterThanOrEqual(20000);
  });

  test('listener ports derive from the name: adding a service does not renumber another', () => {
    const alone = render().service.endpoint.port;
    const stack = awsStack();
    new ServiceCluster(stack, 'Orders', { image: 'ghcr.io/acme/orders:2.0.0' });
    expect(new ServiceCluster(stack, 'Users', { image: 'ghcr.io/acme/users:1.4.2' }).endpoint.port).toBe(alone);
    // The derivation is a contract: changing it would move every deployed service to a new port.
    expect(alone).toBe(41238);
  });

  test('secrets come from Secrets Manager and only the execution role may read them', () => {
    const { template } = render({ secrets: { DB_PASSWORD: PlatformSecret.named('users-db', 'password') } });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Secrets: [{ Name: 'DB_PASSWORD', ValueFrom: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':secret:users-db:password::')])] } }],
      })],
    });
    const json = JSON.stringify(template.toJSON());
    expect(json).not.toMatch(/"Environment":\[[^\]]*DB_PASSWORD/);
  });

  test('log group: encrypted with the platform key, three months by default', () => {
    const { template, root } = render();
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90, KmsKeyId: Match.anyValue() });
    root.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
  });

  test('the task role starts with no permissions; grant methods add exactly what is granted', () => {
    const taskRoleOf = (template: Template) => Object.values(template.findResources('AWS::ECS::TaskDefinition'))
      .map((t: any) => t.Properties.TaskRoleArn['Fn::GetAtt'][0])[0];
    const plain = render().template;
    // The task role lives with the service, in its nested stack.
    const policiesOfTaskRole = Object.values(plain.findResources('AWS::IAM::Policy'))
      .filter((p: any) => JSON.stringify(p.Properties.Roles).includes(taskRoleOf(plain)));
    expect(policiesOfTaskRole).toHaveLength(0);

    const stack = awsStack();
    const service = new ServiceCluster(stack, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    new s3.Bucket(stack, 'Uploads').grantRead(service);
    const granted = Template.fromStack(service.aws!.stack);
    const taskRoleId = taskRoleOf(granted);
    granted.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: taskRoleId }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'] })] },
    });
  });

  test('allowFrom admits the peer to this service listener only', () => {
    const stack = awsStack();
    const users = new ServiceCluster(stack, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    const orders = new ServiceCluster(stack, 'Orders', { image: 'ghcr.io/acme/orders:2.0.0' });
    users.allowFrom(orders);
    users.allowFrom(NetworkPeer.ipv4('10.20.0.0/16'));
    // The listener's security group is the shared load balancer's, in the root stack; orders' group
    // comes out of orders' nested stack.
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: users.endpoint.port,
      ToPort: users.endpoint.port,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersStackNestedStack'), Match.stringLikeRegexp('^Outputs\\.PlatformOrdersStackSecurityGroup')] },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.arrayWith([Match.objectLike({ CidrIp: '10.20.0.0/16', FromPort: users.endpoint.port })]),
    });
    // Nothing is open to the world.
    expect(JSON.stringify(template.toJSON())).not.toContain('0.0.0.0/0","Description":"Allow from anyone');
  });

  test('addEnvironment and addSecret work after construction', () => {
    const stack = awsStack();
    const service = new ServiceCluster(stack, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    service.addEnvironment('FEATURE_X', 'on');
    service.addSecret('API_TOKEN', PlatformSecret.named('users-api', 'token'));
    Template.fromStack(service.aws!.stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Environment: [{ Name: 'FEATURE_X', Value: 'on' }],
        Secrets: [Match.objectLike({ Name: 'API_TOKEN' })],
      })],
    });
    expect(() => service.addEnvironment('DB_PASSWORD', 'hunter2')).toThrow(/Platform\/Users: environment.DB_PASSWORD is named like a credential but passed as plain text/);
  });

  test('escape hatches: the service resources are CloudFormation resources under the ids earlier releases used', () => {
    const stack = awsStack();
    const service = new ServiceCluster(stack, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    service.aws!.service.enableExecuteCommand = true;
    service.aws!.taskDefinition.pidMode = 'task';
    const template = Template.fromStack(service.aws!.stack);
    template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: true });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { PidMode: 'task' });
    // Changed logical IDs would replace a deployed listener or Cloud Map service, which then clash on port and name.
    const ids = (type: string) => Object.keys(template.findResources(type));
    expect(ids('AWS::ElasticLoadBalancingV2::Listener')).toEqual(['Listener828B0E81']);
    expect(ids('AWS::ServiceDiscovery::Service')).toEqual(['DiscoveryA3CBF0BC']);
    expect(ids('AWS::ECS::Service')).toEqual(['ServiceD69D759B']);
    expect(service.grantPrincipal).toBe(service.aws!.taskRole);
  });

  test('cpu and memory map to Fargate units', () => {
    render({ cpu: 2, memory: Size.gibibytes(8) }).template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '2048', Memory: '8192' });
  });

  test('a user-supplied VPC is used instead of creating one', () => {
    const stack = awsStack();
    const vpc = new ec2.Vpc(stack, 'Existing', { maxAzs: 3 });
    new AwsPlatform(stack, 'Shared', { vpc });
    new ServiceCluster(stack, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    Template.fromStack(stack).resourceCountIs('AWS::EC2::VPC', 1);
  });

  test('conformance: cdk-nag, cfn-lint and moto', () => {
    const stack = awsStack();
    const users = new ServiceCluster(stack, 'Users', {
      image: 'ghcr.io/acme/users:1.4.2',
      environment: { LOG_LEVEL: 'info' },
      secrets: { DB_PASSWORD: PlatformSecret.named('users-db', 'password') },
      targetRequestsPerSecond: 100,
    });
    const orders = new ServiceCluster(stack, 'Orders', { image: 'ghcr.io/acme/orders:2.0.0', metrics: { port: 9090 } });
    users.allowFrom(orders);
    const report = expectAwsConformance([stack]);
    expect(report.resources).toBeGreaterThan(50);
    expect(report.nestedStacks).toBe(2);
  });
});
