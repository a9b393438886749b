import { Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { dynamicConfigSizeProblems, encodeDynamicConfig, traefikStartScript } from './aws-config-delivery';
import { AwsListenerRouting, renderAwsEdge } from './aws-edge';
import { GatewayHandle, GatewayRenderContext } from './gateway-handle';
import { jwtVerifierArgs } from './jwt-verifier-config';
import { rateLimitStoreBindings } from './policies/rate-limit';
import { GatewayAwsOptions } from './props';
import { GatewayAwsResources } from './resources';
import { GATEWAY_DEFAULTS, GatewaySpec, JWT_VERIFIER_IMAGE } from './spec';
import { renderTraefikDynamicConfig, traefikConfigYaml, traefikStaticConfigYaml } from './traefik-config';
import { PUBLIC_PORTS, renderTraefikStaticConfig, TRAEFIK_PORTS } from './traefik-static-config';
import { traefikTargetOptions } from './traefik-target';
import { AwsPlatform } from '../platform/aws-platform';
import { addEcsSecret } from '../platform/ecs-secrets';
import { Endpoint } from '../platform/endpoint';
import { PlatformValidationError } from '../platform/errors';
import { platformFargateService } from '../platform/fargate-service';
import { acknowledgeNagFinding } from '../platform/nag';
import { NetworkPeer } from '../platform/network';
import { PlatformTarget } from '../platform/target';

/** Fargate has no ConfigMap: the container writes both files from its environment into /tmp, then starts Traefik. */
const CONFIG_DIR = '/tmp/traefik';

/**
 * Renders the gateway as an internet-facing ALB (with WAF) in front of a Traefik fleet on Fargate.
 * The ALB terminates the public certificate and re-encrypts to Traefik's websecure entry point.
 */
export function renderGatewayOnAws(
  scope: Construct, spec: GatewaySpec, options: GatewayAwsOptions, context: GatewayRenderContext,
): GatewayHandle<GatewayAwsResources> {
  if (Token.isUnresolved(Stack.of(scope).region)) {
    throw new PlatformValidationError(`${Stack.of(scope).node.path}: env.region is not set: the gateway load balancer's access logs ` +
      "need the region; set env: { account: '…', region: '…' } on the Stack");
  }
  const platform = AwsPlatform.of(scope);
  const logGroup = platform.createLogGroup(scope, 'Logs');
  const sidecar = spec.jwt?.verifier.kind === 'sidecar';
  const targetOptions = traefikTargetOptions(spec, PlatformTarget.AWS);

  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'TaskDefinition', {
    cpu: spec.cpu * 1024,
    memoryLimitMiB: spec.memoryMiB,
    runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
  });
  taskDefinition.addVolume({ name: 'tmp' });
  const staticConfig = renderTraefikStaticConfig(spec, {
    trustedIps: [platform.vpc.vpcCidrBlock], dynamicConfigDir: `${CONFIG_DIR}/dynamic`, publicHttpsPort: PUBLIC_PORTS.https,
  });
  const stores = () => rateLimitStoreBindings([spec.rateLimit, ...context.routes().map(r => r.rateLimit?.spec)]);
  const dynamicYaml = () => traefikConfigYaml(renderTraefikDynamicConfig(spec, context.routes(), targetOptions));
  scope.node.addValidation({
    validate: () => {
      const yaml = dynamicYaml();
      return dynamicConfigSizeProblems(scope.node.path, yaml, encodeDynamicConfig(yaml), context.routes().length);
    },
  });
  const container = taskDefinition.addContainer('traefik', {
    image: ecs.ContainerImage.fromRegistry(spec.image),
    essential: true,
    entryPoint: ['/bin/sh', '-c'],
    command: [traefikStartScript(CONFIG_DIR)],
    environment: {
      TRAEFIK_STATIC_CONFIG: traefikStaticConfigYaml(staticConfig),
      // Rendered at synth, so routes added after construction are included; compressed, so hundreds of routes fit.
      TRAEFIK_DYNAMIC_CONFIG: Lazy.string({ produce: () => encodeDynamicConfig(dynamicYaml()) }),
    },
    portMappings: [TRAEFIK_PORTS.websecure, TRAEFIK_PORTS.ping, TRAEFIK_PORTS.metrics]
      .map(containerPort => ({ containerPort, protocol: ecs.Protocol.TCP })),
    user: `${GATEWAY_DEFAULTS.runAsUser}:${GATEWAY_DEFAULTS.runAsUser}`,
    readonlyRootFilesystem: true,
    stopTimeout: Duration.seconds(35),
    logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'traefik' }),
    // The ADOT collector's ecs_observer finds scrape targets by these labels.
    dockerLabels: { ECS_PROMETHEUS_EXPORTER_PORT: `${TRAEFIK_PORTS.metrics}`, ECS_PROMETHEUS_METRICS_PATH: '/metrics', ECS_PROMETHEUS_JOB_NAME: spec.name },
    healthCheck: {
      command: ['CMD', 'traefik', 'healthcheck', `--configFile=${CONFIG_DIR}/traefik.yaml`],
      interval: Duration.seconds(10),
      timeout: Duration.seconds(5),
      retries: 3,
      startPeriod: Duration.seconds(30),
    },
  });
  container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });
  acknowledgeNagFinding(taskDefinition, 'AwsSolutions-ECS2',
    'The environment holds the Traefik configuration, which carries no credential: store passwords are Secrets Manager secrets expanded by Traefik at start-up');

  const jwtVerifierContainer = sidecar ? taskDefinition.addContainer('jwt-verifier', {
    image: ecs.ContainerImage.fromRegistry(JWT_VERIFIER_IMAGE),
    essential: true,
    command: jwtVerifierArgs(spec.jwt!),
    user: `${GATEWAY_DEFAULTS.runAsUser}:${GATEWAY_DEFAULTS.runAsUser}`,
    readonlyRootFilesystem: true,
    logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'jwt-verifier' }),
  }) : undefined;
  if (jwtVerifierContainer) {
    container.addContainerDependencies({ container: jwtVerifierContainer, condition: ecs.ContainerDependencyCondition.START });
  }

  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: platform.vpc,
    description: `Traefik tasks of gateway ${spec.name}`,
    // Upstreams, the JWKS, the rate-limit store and Fargate's own endpoints are reached through the task's interface.
    allowAllOutbound: true,
  });
  const service = platformFargateService(scope, 'Service', {
    taskDefinition, securityGroup, desiredCount: spec.minReplicas, healthCheckGracePeriod: Duration.seconds(30), zoneRebalancing: true,
  });

  const targetGroup = new elbv2.ApplicationTargetGroup(scope, 'TargetGroup', {
    vpc: platform.vpc,
    targetType: elbv2.TargetType.IP,
    // Re-encrypted to Traefik; the load balancer does not verify target certificates.
    protocol: elbv2.ApplicationProtocol.HTTPS,
    port: TRAEFIK_PORTS.websecure,
    deregistrationDelay: Duration.seconds(30),
    targets: [service.loadBalancerTarget({ containerName: 'traefik', containerPort: TRAEFIK_PORTS.websecure })],
    healthCheck: {
      protocol: elbv2.Protocol.HTTP,
      port: `${TRAEFIK_PORTS.ping}`,
      path: '/ping',
      interval: Duration.seconds(10),
      timeout: Duration.seconds(5),
      healthyThresholdCount: 2,
      unhealthyThresholdCount: 3,
    },
  });
  const edge = renderAwsEdge(scope, spec, options, targetGroup, context.routes);
  securityGroup.connections.allowFrom(edge.loadBalancerSecurityGroup, ec2.Port.tcp(TRAEFIK_PORTS.websecure), 'HTTPS from the gateway load balancer');
  securityGroup.connections.allowFrom(edge.loadBalancerSecurityGroup, ec2.Port.tcp(TRAEFIK_PORTS.ping), 'health checks from the gateway load balancer');
  const routing = new AwsListenerRouting(scope, spec, edge.httpsListener, targetGroup);

  const scaling = spec.maxReplicas > spec.minReplicas
    ? service.autoScaleTaskCount({ minCapacity: spec.minReplicas, maxCapacity: spec.maxReplicas })
    : undefined;
  scaling?.scaleOnCpuUtilization('Cpu', {
    targetUtilizationPercent: spec.targetCpuUtilization, scaleInCooldown: Duration.minutes(5), scaleOutCooldown: Duration.minutes(1),
  });

  const secretsAdded = new Set<string>();
  const addStoreSecrets = () => {
    for (const binding of stores()) {
      if (binding.caDirectory) {
        throw new PlatformValidationError(`${scope.node.path}: rateLimit.store has a private TLS CA (redisTlsCa), which is not supported on aws: ` +
          'ECS passes secrets as environment variables, not files; use a store whose certificate is publicly trusted (ElastiCache)');
      }
      if (!binding.passwordVariable || secretsAdded.has(binding.passwordVariable)) continue;
      secretsAdded.add(binding.passwordVariable);
      addEcsSecret(scope, container, binding.passwordVariable, binding.store.redisPassword!);
    }
  };
  addStoreSecrets();

  const domain = spec.domainName ?? edge.loadBalancer.loadBalancerDnsName;
  return {
    resources: { ...edge, targetGroup, service, taskDefinition, container, jwtVerifierContainer, securityGroup, logGroup, scaling },
    endpoint: new Endpoint(domain, PUBLIC_PORTS.https, 'https'),
    networkIdentity: NetworkPeer._workload({ connectable: service }),
    // ECS tasks are discovered by service (ecs_observer), not by a DNS name.
    metricsHost: service.serviceName,
    allowMetricsFrom: peer => securityGroup.connections.allowFrom(peer._awsPeer(scope), ec2.Port.tcp(TRAEFIK_PORTS.metrics), 'metrics scrape'),
    onRouteAdded: route => {
      routing.addRoute(route);
      addStoreSecrets();
    },
  };
}
