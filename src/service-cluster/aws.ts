import { Duration, NestedStack, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { ServiceClusterAwsOptions } from './props';
import { ServiceClusterAwsResources } from './resources';
import { ServiceClusterSpec } from './spec';
import { WorkloadHandle } from './workload-handle';
import { AwsPlatform } from '../platform/aws-platform';
import { addEcsSecret } from '../platform/ecs-secrets';
import { Endpoint } from '../platform/endpoint';
import { platformFargateService } from '../platform/fargate-service';
import { acknowledgeNagFinding } from '../platform/nag';
import { NetworkPeer } from '../platform/network';
import { PlatformSecret } from '../platform/secret';
import { ServicePlacement } from '../platform/service-placement';

const CONTAINER_NAME = 'app';

/**
 * Renders a service on ECS Fargate behind a dedicated listener of a shared internal ALB, found
 * through a Cloud Map alias.
 */
export function renderServiceClusterOnAws(
  scope: Construct, spec: ServiceClusterSpec, options: ServiceClusterAwsOptions = {},
): WorkloadHandle<ServiceClusterAwsResources> {
  const platform = AwsPlatform.of(scope);
  // A nested stack per service keeps every template far below CloudFormation's 500 resources, and a
  // service's resources never move between templates when other services come and go.
  const home: Construct = platform.servicePlacement === ServicePlacement.SAME_STACK
    ? scope
    : new NestedStack(scope, 'Stack', { description: `Service ${spec.name} of the ${platform.platformName} platform` });
  const logGroup = platform.createLogGroup(home, 'Logs', options.logRetention);

  const taskDefinition = new ecs.FargateTaskDefinition(home, 'TaskDefinition', {
    cpu: spec.cpu * 1024,
    memoryLimitMiB: spec.memoryMiB,
    runtimePlatform: {
      operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      cpuArchitecture: options.cpuArchitecture ?? ecs.CpuArchitecture.X86_64,
    },
  });
  // The root filesystem is read-only (as on Kubernetes); /tmp is a task-local scratch volume.
  taskDefinition.addVolume({ name: 'tmp' });

  const healthUrl = `http://127.0.0.1:${spec.port}${spec.health.path}`;
  const container = taskDefinition.addContainer(CONTAINER_NAME, {
    image: ecs.ContainerImage.fromRegistry(spec.image),
    essential: true,
    command: spec.args,
    entryPoint: spec.command,
    environment: { ...spec.environment },
    portMappings: uniquePorts(spec).map(port => ({ containerPort: port, protocol: ecs.Protocol.TCP })),
    user: `${spec.runAsUser}:${spec.runAsUser}`,
    readonlyRootFilesystem: true,
    stopTimeout: Duration.seconds(spec.shutdownGraceSeconds),
    logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: spec.name }),
    healthCheck: {
      command: options.containerHealthCheckCommand ??
        ['CMD-SHELL', `wget -q -O /dev/null ${healthUrl} || curl -fsS -o /dev/null ${healthUrl} || exit 1`],
      interval: Duration.seconds(spec.health.intervalSeconds),
      timeout: Duration.seconds(spec.health.timeoutSeconds),
      retries: spec.health.unhealthyThreshold,
      startPeriod: Duration.seconds(spec.health.startupGraceSeconds),
    },
  });
  container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });
  const addSecret = (name: string, secret: PlatformSecret) => addEcsSecret(home, container, name, secret);
  for (const [name, secret] of Object.entries(spec.secrets)) addSecret(name, secret);

  const securityGroup = new ec2.SecurityGroup(home, 'SecurityGroup', {
    vpc: platform.vpc,
    description: `Tasks of service ${spec.name}`,
    // Fargate pulls images, writes logs and reads secrets through the task's network interface.
    allowAllOutbound: true,
  });
  const service = platformFargateService(home, 'Service', {
    taskDefinition,
    securityGroup,
    desiredCount: spec.minReplicas,
    healthCheckGracePeriod: Duration.seconds(spec.health.startupGraceSeconds),
    zoneRebalancing: true,
  });

  const { loadBalancer, port } = platform._serviceListener(spec.name);
  const targetGroup = new elbv2.ApplicationTargetGroup(home, 'TargetGroup', {
    vpc: platform.vpc,
    targetType: elbv2.TargetType.IP,
    protocol: elbv2.ApplicationProtocol.HTTP,
    port: spec.port,
    deregistrationDelay: Duration.seconds(spec.shutdownGraceSeconds),
    targets: [service.loadBalancerTarget({ containerName: CONTAINER_NAME, containerPort: spec.port })],
    healthCheck: {
      path: spec.health.path,
      interval: Duration.seconds(spec.health.intervalSeconds),
      timeout: Duration.seconds(spec.health.timeoutSeconds),
      healthyThresholdCount: spec.health.healthyThreshold,
      unhealthyThresholdCount: spec.health.unhealthyThreshold,
      healthyHttpCodes: '200-399',
    },
  });
  const listener = new elbv2.ApplicationListener(home, 'Listener', {
    loadBalancer,
    port,
    protocol: elbv2.ApplicationProtocol.HTTP,
    open: false,
    defaultTargetGroups: [targetGroup],
  });
  // The load balancer (and whoever allowFrom admits) may scrape metrics on a separate port.
  if (spec.metrics.port !== spec.port) {
    securityGroup.connections.allowFrom(loadBalancer, ec2.Port.tcp(spec.metrics.port), 'metrics scrape');
  }

  const discoveryService = new servicediscovery.Service(home, 'Discovery', {
    namespace: platform.namespace,
    name: spec.name,
    dnsRecordType: servicediscovery.DnsRecordType.A,
    dnsTtl: Duration.seconds(10),
    loadBalancer: true,
  });
  discoveryService.registerLoadBalancer('LoadBalancer', loadBalancer);

  const scaling = spec.maxReplicas > spec.minReplicas ? configureAutoscaling(service, targetGroup, spec) : undefined;

  let environmentAcknowledged = false;
  const acknowledgePlainEnvironment = () => {
    if (environmentAcknowledged) return;
    environmentAcknowledged = true;
    acknowledgeNagFinding(taskDefinition, 'AwsSolutions-ECS2',
      'Plain environment holds non-secret configuration only: the construct rejects credential-like values, and secrets are injected from Secrets Manager');
  };
  if (Object.keys(spec.environment).length > 0) acknowledgePlainEnvironment();

  const resources: ServiceClusterAwsResources = {
    stack: Stack.of(home),
    service,
    taskDefinition,
    container,
    logGroup,
    securityGroup,
    targetGroup,
    listener,
    loadBalancer,
    discoveryService,
    scaling,
  };
  return {
    resources,
    endpoint: new Endpoint(`${spec.name}.${platform.namespace.namespaceName}`, port),
    networkIdentity: NetworkPeer._workload({ connectable: service }),
    addEnvironment: (name, value) => {
      container.addEnvironment(name, value);
      acknowledgePlainEnvironment();
    },
    addSecret,
    allowFrom: peer => listener.connections.allowDefaultPortFrom(peer._awsPeer(scope), `allowFrom ${peer.cidr ?? 'peer'}`),
  };
}

function configureAutoscaling(
  service: ecs.FargateService, targetGroup: elbv2.ApplicationTargetGroup, spec: ServiceClusterSpec,
): ecs.ScalableTaskCount {
  const scaling = service.autoScaleTaskCount({ minCapacity: spec.minReplicas, maxCapacity: spec.maxReplicas });
  const cooldowns = { scaleInCooldown: Duration.minutes(5), scaleOutCooldown: Duration.minutes(1) };
  scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: spec.targetCpuUtilization, ...cooldowns });
  scaling.scaleOnMemoryUtilization('Memory', { targetUtilizationPercent: spec.targetMemoryUtilization, ...cooldowns });
  if (spec.targetRequestsPerSecond !== undefined) {
    // ALBRequestCountPerTarget counts per minute.
    scaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: Math.round(spec.targetRequestsPerSecond * 60),
      targetGroup,
      ...cooldowns,
    });
  }
  return scaling;
}


function uniquePorts(spec: ServiceClusterSpec): number[] {
  return [...new Set([spec.port, spec.metrics.port])];
}
