import { Duration } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { MessageQueue } from './message-queue';
import { WorkerHandle } from './worker-handle';
import { QueueWorkerAwsResources } from './worker-resources';
import { QueueWorkerSpec } from './worker-spec';
import { AwsPlatform } from '../platform/aws-platform';
import { addEcsSecret } from '../platform/ecs-secrets';
import { PLATFORM_DEPLOYMENT_CONFIGURATION } from '../platform/fargate-service';
import { acknowledgeNagFinding } from '../platform/nag';
import { NetworkPeer } from '../platform/network';

/**
 * Renders a worker as an ECS Fargate service without a load balancer, scaled by target tracking
 * on backlog per task: the messages visible in every work queue divided by the running tasks.
 */
export function renderQueueWorkerOnAws(scope: Construct, spec: QueueWorkerSpec, queue: MessageQueue): WorkerHandle<QueueWorkerAwsResources> {
  const platform = AwsPlatform.of(scope);
  // A worker and a service of one name are one Deployment name on Kubernetes: fail alike here.
  platform._claimName(scope, 'workload', spec.name);
  const logGroup = platform.createLogGroup(scope, 'Logs');
  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'TaskDefinition', {
    cpu: spec.cpu * 1024,
    memoryLimitMiB: spec.memoryMiB,
    volumes: [{ name: 'tmp' }],
  });
  const container = taskDefinition.addContainer('worker', {
    image: ecs.ContainerImage.fromRegistry(spec.image),
    command: spec.command,
    environment: { ...spec.environment },
    readonlyRootFilesystem: true,
    user: `${spec.runAsUser}:${spec.runAsUser}`,
    // Time to finish the messages in flight after SIGTERM.
    stopTimeout: Duration.seconds(spec.shutdownGraceSeconds),
    healthCheck: { command: ['CMD', ...spec.healthCheckCommand], interval: Duration.seconds(30), timeout: Duration.seconds(10), retries: 3, startPeriod: Duration.seconds(60) },
    logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: spec.name }),
  });
  container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });
  for (const [name, secret] of Object.entries(spec.secrets)) addEcsSecret(scope, container, name, secret);
  acknowledgeNagFinding(taskDefinition, 'AwsSolutions-ECS2',
    'Plain environment holds non-secret configuration only (queue URLs, names): the construct rejects credential-like values, and secrets come from Secrets Manager');

  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: platform.vpc,
    description: `Tasks of worker ${spec.name}: no ingress`,
    allowAllOutbound: true,
  });
  const service = new ecs.FargateService(scope, 'Service', {
    cluster: platform.cluster,
    taskDefinition,
    desiredCount: spec.minReplicas,
    minHealthyPercent: PLATFORM_DEPLOYMENT_CONFIGURATION.minimumHealthyPercent,
    maxHealthyPercent: PLATFORM_DEPLOYMENT_CONFIGURATION.maximumPercent,
    circuitBreaker: PLATFORM_DEPLOYMENT_CONFIGURATION.deploymentCircuitBreaker,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    securityGroups: [securityGroup],
    assignPublicIp: false,
    enableECSManagedTags: true,
    propagateTags: ecs.PropagatedTagSource.SERVICE,
  });

  const scalableTarget = new appscaling.ScalableTarget(scope, 'TaskCount', {
    serviceNamespace: appscaling.ServiceNamespace.ECS,
    scalableDimension: 'ecs:service:DesiredCount',
    resourceId: `service/${platform.cluster.clusterName}/${service.serviceName}`,
    minCapacity: spec.minReplicas,
    maxCapacity: spec.maxReplicas,
  });
  const queues = queue.aws!.queues;
  const backlogScalingPolicy = new appscaling.CfnScalingPolicy(scope, 'BacklogPerTask', {
    policyName: `${spec.name}-backlog-per-task`,
    policyType: 'TargetTrackingScaling',
    scalingTargetId: scalableTarget.scalableTargetId,
    targetTrackingScalingPolicyConfiguration: {
      targetValue: spec.targetBacklogPerReplica,
      scaleOutCooldown: 60,
      scaleInCooldown: 300,
      customizedMetricSpecification: {
        metrics: [
          ...queues.map((q, i) => ({
            id: `visible${i}`,
            metricStat: {
              metric: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: [{ name: 'QueueName', value: q.queueName }] },
              stat: 'Sum',
            },
            returnData: false,
          })),
          {
            id: 'tasks',
            metricStat: {
              metric: {
                namespace: 'ECS/ContainerInsights',
                metricName: 'RunningTaskCount',
                dimensions: [{ name: 'ClusterName', value: platform.cluster.clusterName }, { name: 'ServiceName', value: service.serviceName }],
              },
              stat: 'Average',
            },
            returnData: false,
          },
          { id: 'backlogPerTask', label: 'Messages visible per running task', expression: `(${queues.map((_, i) => `visible${i}`).join(' + ')}) / tasks`, returnData: true },
        ],
      },
    },
  });

  return {
    resources: { service, taskDefinition, container, logGroup, securityGroup, scalableTarget, backlogScalingPolicy },
    networkIdentity: NetworkPeer._workload({ connectable: securityGroup }),
    addEnvironment: (name, value) => container.addEnvironment(name, value),
    addSecret: (name, secret) => addEcsSecret(scope, container, name, secret),
  };
}
