import { Lazy, Names, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { CONTAINER_NAME, renderContainerDefinition } from './aws-container';
import { renderServiceScaling } from './aws-scaling';
import { ecsDeploymentGate } from './deployment-alarms';
import { ServiceClusterAwsOptions } from './props';
import { ServiceClusterAwsResources } from './resources';
import { renderEcsSidecar, SidecarSpec } from './sidecars';
import { ServiceClusterSpec } from './spec';
import { WorkloadHandle } from './workload-handle';
import { AwsPlatform } from '../platform/aws-platform';
import { grantedEcsSecret } from '../platform/ecs-secrets';
import { loadBalancerFullNameOfListener, targetGroupFullNameOfArn } from '../platform/elb-names';
import { Endpoint } from '../platform/endpoint';
import { PLATFORM_DEPLOYMENT_CONFIGURATION } from '../platform/fargate-service';
import { fargateSizeFor } from '../platform/fargate-sizes';
import { acknowledgeNagFinding } from '../platform/nag';
import { privateSubnetIdsIn } from '../platform/nested-parameters';
import { NetworkPeer } from '../platform/network';
import { PlatformSecret } from '../platform/secret';
import { ServicePlacement } from '../platform/service-placement';
import { ServiceStack } from '../platform/service-stack';

/**
 * Renders a service on ECS Fargate behind a dedicated listener of a shared internal ALB, found
 * through a Cloud Map alias.
 *
 * The per-service resources are CloudFormation (L1) resources: a platform renders hundreds of
 * services, and the higher-level ECS/ELB constructs cost about twice as much to synthesize for the
 * same template. What users extend stays high-level: the roles, the log group and the security group.
 */
export function renderServiceClusterOnAws(
  scope: Construct, spec: ServiceClusterSpec, options: ServiceClusterAwsOptions = {},
): WorkloadHandle<ServiceClusterAwsResources> {
  const platform = AwsPlatform.of(scope);
  platform._claimName(scope, 'Cloud Map service', spec.name);
  platform._claimName(scope, 'workload', spec.name);
  // A nested stack per service keeps every template far below CloudFormation's 500 resources, and a
  // service's resources never move between templates when other services come and go.
  const home: Construct = platform.servicePlacement === ServicePlacement.SAME_STACK
    ? scope
    : new ServiceStack(scope, 'Stack', { description: `Service ${spec.name} of the ${platform.platformName} platform` });
  const stack = Stack.of(home);
  const logGroup = platform.createLogGroup(home, 'Logs', options.logRetention);

  const environment: Record<string, string> = { ...spec.environment };
  const secrets: Record<string, string> = {};
  // Pod annotations mean replica metadata: on ECS, Docker labels of the application container.
  const dockerLabels: Record<string, string> = { ...spec.podAnnotations };
  const sidecars: SidecarSpec[] = [];
  const sidecarSecrets = new Map<SidecarSpec, Record<string, string>>();
  // The task fits the application and every sidecar: the smallest Fargate size with room for all.
  const taskSize = () => fargateSizeFor(
    sidecars.reduce((cpu, s) => cpu + s.cpu, spec.cpu),
    sidecars.reduce((memory, s) => memory + s.memoryMiB, spec.memoryMiB),
  ) ?? { cpu: spec.cpu, memoryMiB: spec.memoryMiB };
  const taskDefinitionScope = stableScope(home, 'TaskDefinition');
  const taskDefinition = new ecs.CfnTaskDefinition(taskDefinitionScope, 'Resource', {
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: Lazy.string({ produce: () => String(taskSize().cpu * 1024) }),
    memory: Lazy.string({ produce: () => String(taskSize().memoryMiB) }),
    runtimePlatform: {
      operatingSystemFamily: 'LINUX',
      cpuArchitecture: (options.cpuArchitecture ?? ecs.CpuArchitecture.X86_64)._cpuArchitecture,
    },
    // The root filesystem is read-only (as on Kubernetes); /tmp is a task-local scratch volume.
    volumes: [{ name: 'tmp' }],
    // Rendered at synthesis: addEnvironment and addSecret may still add variables.
    containerDefinitions: Lazy.any({
      produce: () => [
        renderContainerDefinition(spec, options, { logGroupName: logGroup.logGroupName, region: stack.region, environment, secrets, dockerLabels }),
        ...sidecars.map(sidecar => renderEcsSidecar(sidecar, {
          logGroupName: logGroup.logGroupName, region: stack.region, serviceName: spec.name, secrets: sidecarSecrets.get(sidecar) ?? {},
        })),
      ],
    }),
  });
  taskDefinition.family = Names.uniqueId(taskDefinitionScope);
  const ecsTasks = new iam.ServicePrincipal('ecs-tasks.amazonaws.com');
  const taskRole = new iam.Role(taskDefinitionScope, 'TaskRole', { assumedBy: ecsTasks });
  const executionRole = new iam.Role(taskDefinitionScope, 'ExecutionRole', { assumedBy: ecsTasks });
  logGroup.grantWrite(executionRole);
  taskDefinition.taskRoleArn = taskRole.roleArn;
  taskDefinition.executionRoleArn = executionRole.roleArn;

  const addSecret = (name: string, secret: PlatformSecret) => {
    secrets[name] = grantedEcsSecret(home, name, secret, executionRole).arn;
  };
  for (const [name, secret] of Object.entries(spec.secrets)) addSecret(name, secret);

  const securityGroup = new ec2.SecurityGroup(home, 'SecurityGroup', {
    vpc: platform.vpc,
    description: `Tasks of service ${spec.name}`,
    // Fargate pulls images, writes logs and reads secrets through the task's network interface.
    allowAllOutbound: true,
  });
  const { loadBalancer, port } = platform._serviceListener(spec.name);
  securityGroup.connections.allowFrom(loadBalancer, ec2.Port.tcp(spec.port), 'Load balancer to target');
  // The load balancer (and whoever allowFrom admits) may scrape metrics on a separate port.
  if (spec.metrics.port !== spec.port) {
    securityGroup.connections.allowFrom(loadBalancer, ec2.Port.tcp(spec.metrics.port), 'metrics scrape');
  }

  const targetGroup = new elbv2.CfnTargetGroup(stableScope(home, 'TargetGroup'), 'Resource', {
    vpcId: platform.vpc.vpcId,
    targetType: 'ip',
    protocol: 'HTTP',
    port: spec.port,
    healthCheckPath: spec.health.path,
    healthCheckIntervalSeconds: spec.health.intervalSeconds,
    healthCheckTimeoutSeconds: spec.health.timeoutSeconds,
    healthyThresholdCount: spec.health.healthyThreshold,
    unhealthyThresholdCount: spec.health.unhealthyThreshold,
    matcher: { httpCode: '200-399' },
    targetGroupAttributes: [
      { key: 'deregistration_delay.timeout_seconds', value: String(spec.shutdownGraceSeconds) },
      { key: 'stickiness.enabled', value: 'false' },
    ],
  });
  const listener = new elbv2.CfnListener(stableScope(home, 'Listener'), 'Resource', {
    loadBalancerArn: loadBalancer.loadBalancerArn,
    port,
    protocol: 'HTTP',
    defaultActions: [{ type: 'forward', targetGroupArn: targetGroup.ref }],
  });

  const serviceScope = stableScope(home, 'Service');
  // Named `Service/Service`, where ecs.FargateService puts its resource.
  const service = new ecs.CfnService(serviceScope, 'Service', {
    cluster: platform.cluster.clusterName,
    launchType: 'FARGATE',
    taskDefinition: taskDefinition.ref,
    desiredCount: spec.minReplicas,
    deploymentConfiguration: PLATFORM_DEPLOYMENT_CONFIGURATION,
    deploymentController: { type: 'ECS' },
    networkConfiguration: {
      awsvpcConfiguration: {
        assignPublicIp: 'DISABLED',
        securityGroups: [securityGroup.securityGroupId],
        subnets: privateSubnetIdsIn(home, platform.vpc),
      },
    },
    loadBalancers: [{ containerName: CONTAINER_NAME, containerPort: spec.port, targetGroupArn: targetGroup.ref }],
    healthCheckGracePeriodSeconds: spec.health.startupGraceSeconds,
    availabilityZoneRebalancing: 'ENABLED',
    enableEcsManagedTags: true,
    propagateTags: 'SERVICE',
    // Pod labels mean replica metadata: on ECS, service tags propagated to every task.
    tags: Object.keys(spec.podLabels).length > 0 ? Object.entries(spec.podLabels).map(([key, value]) => ({ key, value })) : undefined,
  });
  // ECS accepts a target group only once a listener forwards to it; tasks start with their role in place.
  // `node.addDependency` rather than `CfnResource#addDependency`, deprecated in newer aws-cdk-lib releases.
  service.node.addDependency(listener);
  service.node.addDependency(taskRole);

  const discoveryScope = stableScope(home, 'Discovery');
  const discoveryService = new servicediscovery.CfnService(discoveryScope, 'Resource', {
    name: spec.name,
    namespaceId: platform.namespace.namespaceId,
    dnsConfig: {
      namespaceId: platform.namespace.namespaceId,
      routingPolicy: 'WEIGHTED',
      dnsRecords: [{ type: 'A', ttl: 10 }],
    },
  });
  const aliasScope = stableScope(discoveryScope, 'LoadBalancer');
  new servicediscovery.CfnInstance(aliasScope, 'Resource', {
    instanceId: Names.uniqueId(aliasScope),
    serviceId: discoveryService.attrId,
    instanceAttributes: { AWS_ALIAS_DNS_NAME: loadBalancer.loadBalancerDnsName },
  });

  // The ALB metrics' dimensions, which request-rate scaling and CloudWatch alarms both use.
  const targetGroupDimensions = {
    LoadBalancer: loadBalancerFullNameOfListener(listener.ref),
    TargetGroup: targetGroupFullNameOfArn(targetGroup.ref),
  };
  const scalableTarget = spec.maxReplicas > spec.minReplicas
    ? renderServiceScaling(stableScope(serviceScope, 'TaskCount'), spec, {
      clusterName: platform.cluster.clusterName,
      service,
      requestCountLabel: `${targetGroupDimensions.LoadBalancer}/${targetGroupDimensions.TargetGroup}`,
    })
    : undefined;

  let environmentAcknowledged = false;
  const acknowledgePlainEnvironment = () => {
    if (environmentAcknowledged) return;
    environmentAcknowledged = true;
    acknowledgeNagFinding(taskDefinition, 'AwsSolutions-ECS2',
      'Plain environment holds non-secret configuration only: the construct rejects credential-like values, and secrets are injected from Secrets Manager');
  };
  if (Object.keys(environment).length > 0) acknowledgePlainEnvironment();

  const resources: ServiceClusterAwsResources = {
    stack,
    service,
    taskDefinition,
    taskRole,
    executionRole,
    logGroup,
    securityGroup,
    targetGroup,
    listener,
    loadBalancer,
    discoveryService,
    scalableTarget,
  };
  return {
    resources,
    endpoint: new Endpoint(`${spec.name}.${platform.namespace.namespaceName}`, port),
    networkIdentity: NetworkPeer._workload({ connectable: securityGroup }),
    addEnvironment: (name, value) => {
      environment[name] = value;
      acknowledgePlainEnvironment();
    },
    addSecret,
    addSidecar: sidecar => {
      sidecars.push(sidecar);
      sidecarSecrets.set(sidecar, Object.fromEntries(Object.entries(sidecar.secrets).map(([name, secret]) =>
        [name, grantedEcsSecret(home, `${sidecar.name}-${name}`, secret, executionRole).arn])));
      if (Object.keys(sidecar.environment).length > 0) acknowledgePlainEnvironment();
    },
    deploymentGate: ecsDeploymentGate(scope, service, spec.canary !== undefined),
    ecsTasks: {
      connections: securityGroup,
      serviceDimensions: { ClusterName: platform.cluster.clusterName, ServiceName: service.attrName },
      targetGroupDimensions,
      addDockerLabel: (name, value) => { dockerLabels[name] = value; },
    },
    allowFrom: peer => loadBalancer.connections.allowFrom(peer._awsPeer(scope), ec2.Port.tcp(port), `allowFrom ${peer.cidr ?? 'peer'}`),
    allowMetricsFrom: peer => securityGroup.connections.allowFrom(peer._awsPeer(scope), ec2.Port.tcp(spec.metrics.port), 'metrics scrape'),
  };
}

/**
 * The scope of a CloudFormation resource created as `<id>/Resource`, as the higher-level constructs
 * lay theirs out: logical IDs, and with them the deployed resources, stay those of earlier releases.
 */
function stableScope(scope: Construct, id: string): Construct {
  return new Construct(scope, id);
}
