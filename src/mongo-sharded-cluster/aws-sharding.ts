/**
 * CloudFormation cannot run database commands, so on AWS `shardedCollections` are applied by a
 * small Fargate task that EventBridge runs on a schedule. The script is idempotent: each run after
 * the first finds every collection sharded and changes nothing.
 */
import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { documentDbShardingScript } from './mongo-sharding';
import { MongoShardingTaskResources } from './resources';
import { MONGO_DEFAULTS, MongoShardedClusterSpec } from './spec';
import { AwsPlatform } from '../platform/aws-platform';
import { acknowledgeNagFinding } from '../platform/nag';

/** The image only provides mongosh; pinned like every image the platform runs. */
export const MONGOSH_IMAGE = `mongo:${MONGO_DEFAULTS.version}`;

export interface ShardingTaskProps {
  readonly spec: MongoShardedClusterSpec;
  /** Connection string of the cluster, without credentials. */
  readonly uri: string;
  readonly adminSecret: secretsmanager.ISecret;
  /** The cluster's security group, which admits the task. */
  readonly clusterSecurityGroup: ec2.SecurityGroup;
}

export function renderShardingTask(scope: Construct, props: ShardingTaskProps): MongoShardingTaskResources {
  const { spec } = props;
  const platform = AwsPlatform.of(scope);
  const logGroup = platform.createLogGroup(scope, 'ShardingLogs');
  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'ShardingTaskDefinition', {
    cpu: 256,
    memoryLimitMiB: 512,
    runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
  });
  // The root filesystem is read-only; mongosh keeps its history and logs under HOME=/tmp.
  taskDefinition.addVolume({ name: 'tmp' });
  const container = taskDefinition.addContainer('mongosh', {
    image: ecs.ContainerImage.fromRegistry(MONGOSH_IMAGE),
    entryPoint: ['/bin/sh', '-c'],
    command: ['exec mongosh --quiet "$MONGODB_URI" --eval "$SHARDING_SCRIPT"'],
    environment: {
      HOME: '/tmp',
      MONGODB_URI: props.uri,
      MONGODB_USERNAME: spec.adminUsername,
      SHARDING_SCRIPT: documentDbShardingScript(spec.name, spec.collections),
    },
    secrets: { MONGODB_PASSWORD: ecs.Secret.fromSecretsManager(props.adminSecret) },
    user: '999:999',
    readonlyRootFilesystem: true,
    logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'sharding' }),
  });
  container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });
  acknowledgeNagFinding(taskDefinition, 'AwsSolutions-ECS2',
    'The plain environment holds the endpoint, the user name and the sharding script; the password comes from Secrets Manager');

  const securityGroup = new ec2.SecurityGroup(scope, 'ShardingSecurityGroup', {
    vpc: platform.vpc,
    description: `Sharding task of the DocumentDB Elastic cluster ${spec.name}`,
    // Pulls its image, writes logs and reads the secret through its network interface.
    allowAllOutbound: true,
  });
  props.clusterSecurityGroup.connections.allowFrom(securityGroup, ec2.Port.tcp(MONGO_DEFAULTS.port), 'sharding task');

  // EventBridge starts the task with a role that may run this task definition and pass its two
  // roles, nothing more (the EcsTask target would also grant tagging of every task in the cluster).
  const role = new iam.Role(scope, 'ShardingScheduleRole', {
    assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
    description: `Lets EventBridge start the sharding task of ${spec.name}`,
  });
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ecs:RunTask'],
    resources: [taskDefinition.taskDefinitionArn],
    conditions: { ArnEquals: { 'ecs:cluster': platform.cluster.clusterArn } },
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['iam:PassRole'],
    resources: [taskDefinition.obtainExecutionRole().roleArn, taskDefinition.taskRole.roleArn],
  }));
  const rule = new events.Rule(scope, 'ShardingSchedule', {
    description: `Applies shardedCollections to the DocumentDB Elastic cluster ${spec.name} (idempotent)`,
    schedule: events.Schedule.rate(spec.aws.shardingInterval ?? Duration.hours(1)),
  });
  rule.addTarget({
    bind: () => ({
      arn: platform.cluster.clusterArn,
      role,
      targetResource: taskDefinition,
      ecsParameters: {
        taskDefinitionArn: taskDefinition.taskDefinitionArn,
        taskCount: 1,
        launchType: 'FARGATE',
        platformVersion: ecs.FargatePlatformVersion.LATEST,
        networkConfiguration: {
          awsVpcConfiguration: {
            subnets: platform.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
            securityGroups: [securityGroup.securityGroupId],
            assignPublicIp: 'DISABLED',
          },
        },
      },
    }),
  });
  return { taskDefinition, securityGroup, logGroup, rule, scheduleRole: role };
}

