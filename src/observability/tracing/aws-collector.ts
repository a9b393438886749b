import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { adotCollectorConfig, COLLECTOR_HEALTH_PORT, OTLP_GRPC_PORT, OTLP_HTTP_PORT } from './otel-collector-config';
import { AwsPlatform } from '../../platform/aws-platform';
import { addEcsSecret } from '../../platform/ecs-secrets';
import { platformFargateService } from '../../platform/fargate-service';
import { acknowledgeNagFinding } from '../../platform/nag';
import { toYaml } from '../alerting/alertmanager-config';
import { logExport, logExportSecrets } from '../logs/log-export';
import { DnsScrapeTarget } from '../metrics/prometheus-config';
import { ObservabilitySpec } from '../spec';

/** The collector's Cloud Map name: services send OTLP to `otel-collector.<namespace>`. */
export const COLLECTOR_NAME = 'otel-collector';
const COLLECTOR_USER = '10001:10001';

export interface AdotCollectorProps {
  readonly workspaceArn: string;
  readonly remoteWriteUrl: string;
  readonly logGroup: logs.ILogGroup;
  readonly otlpLogGroup: logs.ILogGroup;
  /** Scrape targets, known at synthesis. */
  readonly scrapeEcsTasks: () => boolean;
  readonly dnsTargets: () => readonly DnsScrapeTarget[];
}

export interface AdotCollector {
  readonly service: ecs.FargateService;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly securityGroup: ec2.SecurityGroup;
  /** OTLP/HTTP listener on the platform's internal load balancer; `allowFrom` opens it to a workload. */
  readonly listener: elbv2.ApplicationListener;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly discoveryService: servicediscovery.Service;
  /** Port of the listener: OTLP/HTTP reaches the collector at `otel-collector.<namespace>:<port>`. */
  readonly port: number;
}

/** Collector tasks: two, as Kubernetes runs two Prometheus replicas; AMP de-duplicates their samples. */
export const COLLECTOR_TASKS = 2;

/**
 * The AWS Distro for OpenTelemetry collector as two Fargate tasks in the platform cluster: each
 * scrapes the platform into the workspace (SigV4 remote write, with AMP's high-availability labels
 * so the workspace keeps one copy of each sample), and receives OTLP/HTTP traces (to X-Ray) and
 * logs through a dedicated listener of the platform's internal load balancer, found by its Cloud
 * Map name (as ServiceCluster does). One task failing loses neither scrapes, alerts nor traces;
 * the circuit breaker rolls back a bad configuration.
 */
export function renderAdotCollector(scope: Construct, platform: AwsPlatform, spec: ObservabilitySpec, props: AdotCollectorProps): AdotCollector {
  const stack = Stack.of(scope);
  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'CollectorTaskDefinition', {
    cpu: 512,
    memoryLimitMiB: 1024,
    runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
  });
  taskDefinition.addVolume({ name: 'tmp' });
  const config = Lazy.string({
    produce: () => toYaml(adotCollectorConfig({
      region: stack.region,
      clusterName: platform.cluster.clusterName,
      remoteWriteUrl: props.remoteWriteUrl,
      haCluster: `${platform.platformName}-${COLLECTOR_NAME}`,
      scrapeIntervalSeconds: spec.scrapeIntervalSeconds,
      scrapeEcsTasks: props.scrapeEcsTasks(),
      dnsTargets: props.dnsTargets(),
      logGroupName: props.otlpLogGroup.logGroupName,
      // The platform's own store is CloudWatch Logs here; only OTLP reaches a store the user runs.
      logs: spec.logs.kind === 'otlp' ? logExport(spec.logs, []) : undefined,
    })),
  });
  const container = taskDefinition.addContainer('collector', {
    image: ecs.ContainerImage.fromRegistry(spec.aws.collectorImage),
    essential: true,
    command: ['--config=env:AOT_CONFIG_CONTENT'],
    environment: { AOT_CONFIG_CONTENT: config },
    portMappings: [OTLP_GRPC_PORT, OTLP_HTTP_PORT, COLLECTOR_HEALTH_PORT].map(containerPort => ({ containerPort, protocol: ecs.Protocol.TCP })),
    user: COLLECTOR_USER,
    readonlyRootFilesystem: true,
    logging: ecs.LogDrivers.awsLogs({ logGroup: props.logGroup, streamPrefix: COLLECTOR_NAME }),
    healthCheck: { command: ['CMD', '/healthcheck'], interval: Duration.seconds(30), timeout: Duration.seconds(5), retries: 3, startPeriod: Duration.seconds(30) },
  });
  container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });
  // The log store's credential reaches the collector from Secrets Manager, as the variable its configuration reads.
  for (const { variable, secret } of logExportSecrets(spec.logs)) addEcsSecret(scope, container, variable, secret);
  acknowledgeNagFinding(taskDefinition, 'AwsSolutions-ECS2',
    'AOT_CONFIG_CONTENT is the collector configuration (scrape jobs, endpoints), never a credential: the collector signs requests with its task role');
  // The same mechanism acknowledges the CloudFormation validator that newer aws-cdk-lib releases run.
  acknowledgeNagFinding(taskDefinition, 'CloudFormation-Validate::E1029',
    'The collector expands ${env:ECS_CONTAINER_METADATA_URI_V4} in its own configuration (a unique __replica__ label per task); ' +
    'the value is a plain string to CloudFormation, never an Fn::Sub parameter');
  grantCollector(taskDefinition.taskRole, platform, props);

  const securityGroup = new ec2.SecurityGroup(scope, 'CollectorSecurityGroup', {
    vpc: platform.vpc,
    description: 'ADOT collector: receives OTLP from platform workloads, scrapes their metrics',
    // It calls AWS APIs (APS, X-Ray, ECS, CloudWatch Logs) and scrapes tasks on their metrics ports.
    allowAllOutbound: true,
  });
  const service = platformFargateService(scope, 'CollectorService', {
    taskDefinition, securityGroup, desiredCount: COLLECTOR_TASKS, healthCheckGracePeriod: Duration.seconds(60), zoneRebalancing: true,
  });

  const { loadBalancer, port } = platform._serviceListener(COLLECTOR_NAME);
  const targetGroup = new elbv2.ApplicationTargetGroup(scope, 'CollectorTargetGroup', {
    vpc: platform.vpc,
    targetType: elbv2.TargetType.IP,
    protocol: elbv2.ApplicationProtocol.HTTP,
    port: OTLP_HTTP_PORT,
    deregistrationDelay: Duration.seconds(30),
    targets: [service.loadBalancerTarget({ containerName: 'collector', containerPort: OTLP_HTTP_PORT })],
    healthCheck: { path: '/', port: String(COLLECTOR_HEALTH_PORT), healthyHttpCodes: '200', interval: Duration.seconds(15) },
  });
  securityGroup.connections.allowFrom(loadBalancer, ec2.Port.tcp(COLLECTOR_HEALTH_PORT), 'load balancer health check');
  const listener = new elbv2.ApplicationListener(scope, 'CollectorListener', {
    loadBalancer, port, protocol: elbv2.ApplicationProtocol.HTTP, open: false, defaultTargetGroups: [targetGroup],
  });
  platform._claimName(scope, 'Cloud Map service', COLLECTOR_NAME);
  const discoveryService = new servicediscovery.Service(scope, 'CollectorDiscovery', {
    namespace: platform.namespace,
    name: COLLECTOR_NAME,
    dnsRecordType: servicediscovery.DnsRecordType.A,
    dnsTtl: Duration.seconds(10),
    loadBalancer: true,
  });
  discoveryService.registerLoadBalancer('LoadBalancer', loadBalancer);
  return { service, taskDefinition, container, securityGroup, listener, targetGroup, discoveryService, port };
}

/** Least privilege: remote write to this workspace, traces to X-Ray, logs to one group, reading this cluster's tasks. */
function grantCollector(role: iam.IRole, platform: AwsPlatform, props: AdotCollectorProps): void {
  const policy = new iam.Policy(role.node.scope as Construct, 'CollectorPolicy', {
    statements: [
      new iam.PolicyStatement({ actions: ['aps:RemoteWrite'], resources: [props.workspaceArn] }),
      new iam.PolicyStatement({
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resources: [props.otlpLogGroup.logGroupArn] }),
      new iam.PolicyStatement({
        actions: ['ecs:ListTasks', 'ecs:ListServices', 'ecs:DescribeServices', 'ecs:DescribeTasks', 'ecs:DescribeContainerInstances'],
        resources: ['*'],
        conditions: { ArnEquals: { 'ecs:cluster': platform.cluster.clusterArn } },
      }),
      new iam.PolicyStatement({ actions: ['ecs:DescribeTaskDefinition'], resources: ['*'] }),
    ],
  });
  policy.attachToRole(role);
  acknowledgeNagFinding(policy, 'AwsSolutions-IAM5[Resource::*]',
    'X-Ray trace and sampling actions and ecs:DescribeTaskDefinition support no resource-level permissions; the ECS list and ' +
    'describe actions are limited to the platform cluster by the ecs:cluster condition');
}
