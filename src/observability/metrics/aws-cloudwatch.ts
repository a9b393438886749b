import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { WatchedSource } from './discovery';
import { SIGNALS } from './signals';
import { AwsPlatform } from '../../platform/aws-platform';
import { deploymentGateOf } from '../../platform/deployment-gate';
import { ecsTasksOf } from '../../platform/ecs-tasks';
import { targetGroupFullNameOfArn } from '../../platform/elb-names';
import { QueueCloudWatchMetrics } from '../../platform/queue-metrics';
import { BURN_RATE_WINDOWS } from '../alerting/alert-rules';
import { gateAlarmName, GATING_ALERTS } from '../alerting/deployment-gate';
import { promNumber } from '../alerting/rule-types';
import { ObservabilitySpec } from '../spec';

const PERIOD = Duration.minutes(5);

export interface CloudWatchContext {
  readonly scope: Construct;
  readonly spec: ObservabilitySpec;
  /** The dashboard this construct's section goes on. */
  readonly dashboard: cloudwatch.Dashboard;
  readonly topic: sns.ITopic;
  readonly alarms: cloudwatch.Alarm[];
}

/**
 * Adds a dashboard section and alarms for one observed construct, from the AWS resources in its
 * subtree (found by type, so any construct kind works, or offered through `_ecsTasks()`): ECS services (CPU, memory), target groups
 * and load balancers (5xx ratio, p95 latency). Alarm descriptions start with the Prometheus alert
 * each alarm stands for (`[ServiceCpuHigh] users: …`), so both targets name a signal alike.
 */
export function watchOnCloudWatch(ctx: CloudWatchContext, watched: WatchedSource): void {
  const { source, construct } = watched;
  const scope = new Construct(ctx.scope, `Watch-${source.job}`);
  const nodes = construct.node.findAll();
  const title = SIGNALS[source.kind]?.title ?? source.kind;
  type AlarmMetric = cloudwatch.Metric | cloudwatch.MathExpression;
  const alarm = (metric: AlarmMetric, id: string, alert: string, threshold: number, description: string, evaluationPeriods = 1, alarmName?: string) =>
    addAlarm(ctx, scope, { metric, id, alert, job: source.job, threshold, description, evaluationPeriods, alarmName });
  const widgets: cloudwatch.IWidget[] = [new cloudwatch.TextWidget({
    markdown: `## ${title}: ${source.job}\nPrometheus metrics in the workspace under job \`${source.job}\`.`, width: 24, height: 2,
  })];
  const slo = ctx.spec.slo;
  const errorDescription = `5xx ratio above ${slo.errorRate * 100} % over 5 minutes`;
  const latencyDescription = `p95 latency above ${slo.latencyP95Seconds * 1000} ms over 5 minutes`;

  const ecsTasks = ecsTasksOf(construct);
  const services: { cpu: cloudwatch.Metric; memory: cloudwatch.Metric }[] = ecsTasks
    ? [{ cpu: ecsMetric('CPUUtilization', ecsTasks.serviceDimensions), memory: ecsMetric('MemoryUtilization', ecsTasks.serviceDimensions) }]
    : nodes.filter((n): n is ecs.BaseService => n instanceof ecs.BaseService)
      .map(service => ({ cpu: service.metricCpuUtilization({ period: PERIOD }), memory: service.metricMemoryUtilization({ period: PERIOD }) }));
  // The same fractions of each task's own size as the Prometheus rules (ServiceCpuHigh, ServiceMemoryHigh).
  const cpuPercent = ctx.spec.thresholds.serviceCpuUtilization * 100;
  const memoryPercent = ctx.spec.thresholds.serviceMemoryUtilization * 100;
  services.forEach(({ cpu, memory }, i) => {
    widgets.push(new cloudwatch.GraphWidget({ title: 'CPU and memory (% of reservation)', left: [cpu, memory], width: 8, leftYAxis: { min: 0, max: 100 } }));
    alarm(cpu, `Cpu${i}`, 'ServiceCpuHigh', cpuPercent, `CPU above ${cpuPercent} % for 15 minutes`, 3);
    alarm(memory, `Memory${i}`, 'ServiceMemoryHigh', memoryPercent, `memory above ${memoryPercent} % for 15 minutes`, 3);
  });

  const targetGroups: { requests: cloudwatch.Metric; errors: cloudwatch.Metric; latency: cloudwatch.Metric }[] = ecsTasks
    ? [{
      requests: albMetric('RequestCount', 'Sum', ecsTasks.targetGroupDimensions),
      errors: albMetric('HTTPCode_Target_5XX_Count', 'Sum', ecsTasks.targetGroupDimensions),
      latency: albMetric('TargetResponseTime', 'p95', ecsTasks.targetGroupDimensions),
    }]
    : nodes.filter((n): n is elbv2.ApplicationTargetGroup => n instanceof elbv2.ApplicationTargetGroup).map(group => ({
      requests: byArn(group, group.metrics.requestCount({ period: PERIOD, statistic: 'Sum' })),
      errors: byArn(group, group.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: PERIOD, statistic: 'Sum' })),
      latency: byArn(group, group.metrics.targetResponseTime({ period: PERIOD, statistic: 'p95' })),
    }));
  // A service's deployments fail (and roll back) on its SLO alarms, named so its own stack can name them.
  const gate = ecsTasks ? deploymentGateOf(construct) : undefined;
  const gateName = (alert: string) => gate ? gateAlarmName(alarmNamePrefix(ctx.scope), source.job, alert) : undefined;
  const gating: string[] = [];
  targetGroups.forEach(({ requests, errors, latency }, i) => {
    const ratio = new cloudwatch.MathExpression({ expression: 'IF(requests > 0, errors / requests, 0)', usingMetrics: { requests, errors }, period: PERIOD, label: '5xx ratio' });
    widgets.push(...httpWidgets(requests, errors, latency, slo.latencyP95Seconds));
    const errorRate = alarm(ratio, `ErrorRatio${i}`, GATING_ALERTS.errorRate, slo.errorRate, errorDescription, 1, gateName(GATING_ALERTS.errorRate));
    alarm(latency, `Latency${i}`, 'SloLatencyP95High', slo.latencyP95Seconds, latencyDescription);
    if (!gate) return;
    // The fast burn's short window at its threshold: the hour-long confirmation the page waits for
    // would hold a bad deployment for an hour, and ECS derives its bake time from the alarm.
    const burnThreshold = Number(promNumber(BURN_RATE_WINDOWS.fast[0].factor * (1 - slo.availability)));
    const fastBurn = alarm(ratio, `FastBurn${i}`, GATING_ALERTS.fastBurn, burnThreshold,
      `5xx ratio above ${promNumber(burnThreshold * 100)} % over 5 minutes (${BURN_RATE_WINDOWS.fast[0].factor}x the error budget)`, 1, gateName(GATING_ALERTS.fastBurn));
    // The literal names, never `alarmName` (a reference to the root stack, which already reads the service's stack).
    if (fastBurn && errorRate) gating.push(gateName(GATING_ALERTS.fastBurn)!, gateName(GATING_ALERTS.errorRate)!);
  });
  if (gate && gating.length > 0) gate.gateOnAlarms(gating);

  nodes.filter((n): n is elbv2.ApplicationLoadBalancer => n instanceof elbv2.ApplicationLoadBalancer).forEach((lb, i) => {
    const requests = lb.metrics.requestCount({ period: PERIOD, statistic: 'Sum' });
    const elbErrors = lb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: PERIOD, statistic: 'Sum' });
    const targetErrors = lb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: PERIOD, statistic: 'Sum' });
    const latency = lb.metrics.targetResponseTime({ period: PERIOD, statistic: 'p95' });
    const ratio = new cloudwatch.MathExpression({
      expression: 'IF(requests > 0, (FILL(elb, 0) + FILL(target, 0)) / requests, 0)',
      usingMetrics: { requests, elb: elbErrors, target: targetErrors },
      period: PERIOD,
      label: '5xx ratio',
    });
    widgets.push(...httpWidgets(requests, elbErrors, latency, slo.latencyP95Seconds));
    alarm(ratio, `LoadBalancerErrorRatio${i}`, 'SloErrorRateHigh', slo.errorRate, `load balancer ${errorDescription}`);
    alarm(latency, `LoadBalancerLatency${i}`, 'SloLatencyP95High', slo.latencyP95Seconds, `load balancer ${latencyDescription}`);
  });

  ctx.dashboard.addWidgets(...widgets);
}

/** The metric with its TargetGroup dimension cut from the target group's ARN (deploys in moto too). */
function byArn(group: elbv2.ApplicationTargetGroup, metric: cloudwatch.Metric): cloudwatch.Metric {
  return metric.with({ dimensionsMap: { ...metric.dimensions, TargetGroup: targetGroupFullNameOfArn(group.targetGroupArn) } });
}

function ecsMetric(metricName: string, dimensionsMap: Record<string, string>): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'AWS/ECS', metricName, dimensionsMap, period: PERIOD, statistic: 'Average' });
}

function albMetric(metricName: string, statistic: string, dimensionsMap: Record<string, string>): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'AWS/ApplicationELB', metricName, dimensionsMap, period: PERIOD, statistic });
}

function httpWidgets(
  requests: cloudwatch.IMetric, errors: cloudwatch.IMetric, latency: cloudwatch.IMetric, objectiveSeconds: number,
): cloudwatch.IWidget[] {
  return [
    new cloudwatch.GraphWidget({ title: 'Requests and 5xx', left: [requests], right: [errors], width: 8 }),
    new cloudwatch.GraphWidget({
      title: 'p95 latency (s)',
      left: [latency],
      width: 8,
      leftAnnotations: [{ value: objectiveSeconds, label: 'objective', color: cloudwatch.Color.RED }],
    }),
  ];
}

export interface AlarmInput {
  readonly metric: cloudwatch.IMetric & { createAlarm(scope: Construct, id: string, props: cloudwatch.CreateAlarmOptions): cloudwatch.Alarm };
  readonly id: string;
  /** The Prometheus alert this alarm stands for on AWS. */
  readonly alert: string;
  readonly job: string;
  readonly threshold: number;
  readonly description: string;
  readonly evaluationPeriods: number;
  /**
   * A fixed alarm name, for alarms other stacks name (ECS deployment alarms).
   *
   * @default a name CloudFormation generates
   */
  readonly alarmName?: string;
  /**
   * Missing data: breaching for metrics a check publishes, where silence means the check is broken.
   *
   * @default NOT_BREACHING
   */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
}

/** An alarm to the alert topic (alarm and recovery), unless `aws.cloudWatchAlarms` is off. */
export function addAlarm(ctx: CloudWatchContext, scope: Construct, input: AlarmInput): cloudwatch.Alarm | undefined {
  if (!ctx.spec.aws.cloudWatchAlarms) return undefined;
  const created = input.metric.createAlarm(scope, input.id, {
    alarmName: input.alarmName,
    threshold: input.threshold,
    evaluationPeriods: input.evaluationPeriods,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: input.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: `[${input.alert}] ${input.job}: ${input.description}`,
  });
  created.addAlarmAction(new actions.SnsAction(ctx.topic));
  created.addOkAction(new actions.SnsAction(ctx.topic));
  ctx.alarms.push(created);
  return created;
}

/** What gating alarm names start with: the stack's name (unique in its account and region), else the platform's. */
function alarmNamePrefix(scope: Construct): string {
  const stackName = Stack.of(scope).stackName;
  return Token.isUnresolved(stackName) ? AwsPlatform.of(scope).platformName : stackName;
}

/**
 * Adds a dashboard section and alarms for one queue on AWS (SQS): backlog above the threshold for
 * 15 minutes, the oldest message older than its limit, any message in the dead-letter queue.
 */
export function watchQueueOnCloudWatch(ctx: CloudWatchContext, queue: QueueCloudWatchMetrics): void {
  const scope = new Construct(ctx.scope, `WatchQueue-${queue.name}`);
  // The queue's metrics are Metric or MathExpression objects, both of which create alarms.
  const alarm = (metric: cloudwatch.IMetric, id: string, alert: string, threshold: number, description: string, evaluationPeriods: number) =>
    addAlarm(ctx, scope, { metric: metric as AlarmInput['metric'], id, alert, job: queue.name, threshold, description, evaluationPeriods });
  const backlog = ctx.spec.thresholds.queueBacklogMessages;
  // Named after the Prometheus alerts they stand for; the age of the oldest message is SQS's alone.
  alarm(queue.depth, 'Backlog', 'QueueBacklogHigh', backlog, `more than ${backlog} messages waiting for 15 minutes`, 3);
  alarm(queue.ageOfOldestMessage, 'AgeOfOldestMessage', 'QueueMessageTooOld', queue.maxAgeSeconds, `a message has waited more than ${queue.maxAgeSeconds} s`, 1);
  alarm(queue.deadLetters, 'DeadLetters', 'QueueDeadLetters', 0, 'messages in the dead-letter queue', 1);
  ctx.dashboard.addWidgets(
    new cloudwatch.TextWidget({ markdown: `## Message queue: ${queue.name}\nSQS metrics.`, width: 24, height: 2 }),
    new cloudwatch.GraphWidget({ title: 'Messages waiting', left: [queue.depth], width: 8 }),
    new cloudwatch.GraphWidget({ title: 'Age of oldest message (s)', left: [queue.ageOfOldestMessage], width: 8 }),
    new cloudwatch.GraphWidget({ title: 'Dead-lettered messages', left: [queue.deadLetters], width: 8 }),
  );
}
