import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as docdbelastic from 'aws-cdk-lib/aws-docdbelastic';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  BACKUP_AGE_DIMENSION, BACKUP_AGE_HANDLER, BACKUP_AGE_METRIC, BACKUP_CHECK_ENV, BACKUP_METRIC_NAMESPACE,
} from './backup-age-handler';
import { MongoBackupCheckResources } from './resources';
import { MongoShardedClusterSpec } from './spec';
import { MIN_WINDOW_MINUTES } from './windows';
import { AwsPlatform } from '../platform/aws-platform';
import { acknowledgeNagFinding } from '../platform/nag';

/** How often the check runs. */
export const BACKUP_CHECK_INTERVAL = Duration.hours(1);
/** Period of the published metric and of the alarm on it: one run of the check. */
export const BACKUP_ALARM_PERIOD = Duration.hours(1);
/**
 * Consecutive periods the alarm needs: missing data breaches (a broken check alarms), so one hour
 * without a datapoint must not alarm by itself: the first hour after deployment, before the first
 * run, or a run that slips into the next hour.
 */
export const BACKUP_ALARM_PERIODS = 2;
/** After its 30-minute window opens, time for a snapshot of a large cluster to become ACTIVE. */
const SNAPSHOT_COMPLETION_MINUTES = 90;

/**
 * Hours past which the newest snapshot is overdue: DocumentDB Elastic takes one automated snapshot a
 * day (`backup.schedule` must be daily on AWS; its time only places the window, and
 * `backup.retention` only how long snapshots stay), in a 30-minute window, and the snapshot then
 * needs time to finish: 24 h + 0.5 h + 1.5 h = 26 h, the default of `kubernetes.backupMaxAge` too.
 */
export const BACKUP_OVERDUE_HOURS = (24 * 60 + MIN_WINDOW_MINUTES + SNAPSHOT_COMPLETION_MINUTES) / 60;

/** The published age of the cluster's newest backup (hours), the worst of each hour. */
export function backupAgeMetric(clusterName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: BACKUP_METRIC_NAMESPACE,
    metricName: BACKUP_AGE_METRIC,
    dimensionsMap: { [BACKUP_AGE_DIMENSION]: clusterName },
    statistic: 'Maximum',
    period: BACKUP_ALARM_PERIOD,
    ...props,
  });
}

/**
 * The hourly backup-age check of one cluster: an EventBridge schedule invoking a Lambda function
 * (inline code, see backup-age-handler.ts) with a role of its own that may list snapshots, read the
 * cluster's creation time and publish to the platform's backup namespace, and a retained, encrypted
 * log group.
 */
export function renderBackupCheck(scope: Construct, spec: MongoShardedClusterSpec, cluster: docdbelastic.CfnCluster): MongoBackupCheckResources {
  const platform = AwsPlatform.of(scope);
  const logGroup = platform.createLogGroup(scope, 'BackupCheckLogs');
  const role = new iam.Role(scope, 'BackupCheckRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Lets the backup check of ${spec.name} list its snapshots and publish their age`,
  });
  // ListClusterSnapshots (access level List) has no resource type or condition key in the Service Authorization
  // Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondocumentdbelasticclusters.html):
  // it takes "*" only. The function passes the cluster's ARN and keeps only that cluster's snapshots.
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['docdb-elastic:ListClusterSnapshots'], resources: ['*'] }));
  // GetCluster is scoped to the cluster (resource type `cluster`): its creation time, before the first snapshot.
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['docdb-elastic:GetCluster'], resources: [cluster.attrClusterArn] }));
  // PutMetricData has no resource type either; the namespace condition keeps it to the platform's backup metrics.
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['cloudwatch:PutMetricData'],
    resources: ['*'],
    conditions: { StringEquals: { 'cloudwatch:namespace': BACKUP_METRIC_NAMESPACE } },
  }));
  logGroup.grantWrite(role);
  acknowledgeNagFinding(role, 'AwsSolutions-IAM5[Resource::*]',
    'docdb-elastic:ListClusterSnapshots and cloudwatch:PutMetricData support no resource-level permissions (Resource "*" only); ' +
    'PutMetricData is conditioned on the platform\'s backup namespace, and GetCluster is scoped to the cluster');

  const fn = new lambda.Function(scope, 'BackupCheck', {
    description: `Publishes the age of the newest snapshot of the DocumentDB Elastic cluster ${spec.name} (MongoBackupMissing)`,
    // The newest Node.js runtime of every aws-cdk-lib release this library supports; it ships the AWS SDK v3.
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(BACKUP_AGE_HANDLER),
    role,
    logGroup,
    memorySize: 128,
    timeout: Duration.minutes(1),
    environment: {
      [BACKUP_CHECK_ENV.clusterArn]: cluster.attrClusterArn,
      [BACKUP_CHECK_ENV.clusterName]: spec.name,
      [BACKUP_CHECK_ENV.namespace]: BACKUP_METRIC_NAMESPACE,
      [BACKUP_CHECK_ENV.metricName]: BACKUP_AGE_METRIC,
    },
  });
  const rule = new events.Rule(scope, 'BackupCheckSchedule', {
    description: `Checks the age of the newest snapshot of the DocumentDB Elastic cluster ${spec.name}`,
    schedule: events.Schedule.rate(BACKUP_CHECK_INTERVAL),
    targets: [new targets.LambdaFunction(fn, { retryAttempts: 2 })],
  });
  return { lambdaFunction: fn, role, logGroup, rule };
}
