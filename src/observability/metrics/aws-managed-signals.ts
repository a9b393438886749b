import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { addAlarm, CloudWatchContext } from './aws-cloudwatch';
import { CACHE_ENGINE_CPU_UTILIZATION, SIGNALS } from './signals';
import { CloudWatchSource } from '../../platform/cloudwatch-source';
import { AlertThresholds, promNumber } from '../alerting/rule-types';

const PERIOD = Duration.minutes(5);
/** CloudWatch alarms take at most 10 metrics in one expression: larger clusters get one alarm per 10 nodes. */
const METRICS_PER_ALARM = 10;
/** ElastiCache reports replication lag in seconds (redis_exporter in bytes, hence a threshold of its own). */
export const CACHE_REPLICATION_LAG_SECONDS = 30;
/** CPU, percent, before `CacheCpuHigh` / `MongoCpuHigh`: the Redis thread's limit on Kubernetes too. */
export const MANAGED_CPU_PERCENT = CACHE_ENGINE_CPU_UTILIZATION * 100;

/** One CloudWatch signal of a managed resource: an alarm (when `alert` is set) and a dashboard graph. */
export interface ManagedSignal {
  /** Dashboard graph title: the Kubernetes panel's title when both show the same signal. */
  readonly title: string;
  readonly metricName: string;
  readonly statistic: string;
  /** How the nodes' values combine on the graph and in the alarm. */
  readonly combine: 'MAX' | 'SUM';
  /** The Prometheus alert this alarm stands for (its name on Kubernetes when both watch it). */
  readonly alert?: string;
  readonly threshold?: number;
  /** Five-minute periods the threshold must be exceeded. */
  readonly periods?: number;
  readonly description?: string;
}

/**
 * What CloudWatch offers for each managed kind (pure). ElastiCache (AWS/ElastiCache, per node):
 * EngineCPUUtilization, DatabaseMemoryUsagePercentage, Evictions, ReplicationLag, CurrConnections,
 * IsMaster. DocumentDB Elastic (AWS/DocDB-Elastic, per cluster): PrimaryInstanceCPUUtilization,
 * DatabaseConnections and the Opcounters* metrics of the DocumentDB metric list, which AWS documents
 * as applying to elastic clusters too.
 */
export function managedSignals(kind: string, t: AlertThresholds): ManagedSignal[] {
  if (kind === 'cache') {
    const memory = promNumber(t.cacheMemoryUtilization * 100);
    return [
      {
        title: 'Engine CPU (%)',
        metricName: 'EngineCPUUtilization',
        statistic: 'Maximum',
        combine: 'MAX',
        alert: 'CacheCpuHigh',
        threshold: MANAGED_CPU_PERCENT,
        periods: 3,
        description: `Redis engine CPU above ${MANAGED_CPU_PERCENT} % for 15 minutes`,
      },
      {
        title: 'Memory used / max',
        metricName: 'DatabaseMemoryUsagePercentage',
        statistic: 'Maximum',
        combine: 'MAX',
        alert: 'CacheMemoryHigh',
        threshold: t.cacheMemoryUtilization * 100,
        periods: 2,
        description: `a node above ${memory} % of maxmemory for 10 minutes`,
      },
      {
        title: 'Evictions',
        metricName: 'Evictions',
        statistic: 'Sum',
        combine: 'SUM',
        alert: 'CacheEvicting',
        threshold: 0,
        periods: 3,
        description: 'evicting keys for 15 minutes: the cache is too small for its working set',
      },
      {
        title: 'Replication lag',
        metricName: 'ReplicationLag',
        statistic: 'Maximum',
        combine: 'MAX',
        alert: 'CacheReplicationLagHigh',
        threshold: CACHE_REPLICATION_LAG_SECONDS,
        periods: 1,
        description: `a replica more than ${CACHE_REPLICATION_LAG_SECONDS} s behind its primary`,
      },
      { title: 'Connections', metricName: 'CurrConnections', statistic: 'Maximum', combine: 'SUM' },
      { title: 'Primaries', metricName: 'IsMaster', statistic: 'Maximum', combine: 'SUM' },
    ];
  }
  if (kind === 'mongo') {
    return [
      {
        title: 'Primary CPU (%)',
        metricName: 'PrimaryInstanceCPUUtilization',
        statistic: 'Average',
        combine: 'MAX',
        alert: 'MongoCpuHigh',
        threshold: MANAGED_CPU_PERCENT,
        periods: 3,
        description: `shard primaries above ${MANAGED_CPU_PERCENT} % CPU for 15 minutes`,
      },
      { title: 'Connections', metricName: 'DatabaseConnections', statistic: 'Average', combine: 'SUM' },
      { title: 'Operations', metricName: 'OpcountersQuery', statistic: 'Sum', combine: 'SUM' },
    ];
  }
  return [];
}

/**
 * A dashboard section and alarms for a managed resource from its CloudWatch source; its failed
 * backups, when the service publishes them to EventBridge, are routed by the caller (one rule per
 * event pattern for the whole stack). A backup age the resource's own check publishes gets a graph
 * and an alarm that also fires when the check stops reporting.
 */
export function watchManagedOnCloudWatch(ctx: CloudWatchContext, source: CloudWatchSource): void {
  const scope = new Construct(ctx.scope, `Watch-${source.name}`);
  const title = SIGNALS[source.kind]?.title ?? source.kind;
  const widgets: cloudwatch.IWidget[] = [new cloudwatch.TextWidget({
    markdown: `## ${title}: ${source.name}\nCloudWatch metrics of the managed service (no Prometheus exporter on AWS).`, width: 24, height: 2,
  })];
  for (const signal of managedSignals(source.kind, ctx.spec.thresholds)) {
    const nodes = source.nodeMetrics(signal.metricName, signal.statistic);
    const chunks = chunk(nodes, METRICS_PER_ALARM);
    const combined = chunks.map(metrics => combine(signal, metrics));
    widgets.push(new cloudwatch.GraphWidget({ title: signal.title, left: combined, width: 8 }));
    if (signal.alert) {
      combined.forEach((metric, i) => addAlarm(ctx, scope, {
        metric,
        id: chunks.length > 1 ? `${signal.alert}${i}` : signal.alert!,
        alert: signal.alert!,
        job: source.name,
        threshold: signal.threshold!,
        description: signal.description!,
        evaluationPeriods: signal.periods ?? 1,
      }));
    }
  }
  const backupAge = source.backupAge;
  if (backupAge) {
    const overdue = promNumber(backupAge.overdueHours);
    widgets.push(new cloudwatch.GraphWidget({
      title: 'Hours since the last backup',
      left: [backupAge.metric],
      width: 8,
      leftAnnotations: [{ value: backupAge.overdueHours, label: 'overdue', color: cloudwatch.Color.RED }],
    }));
    addAlarm(ctx, scope, {
      metric: backupAge.metric,
      id: backupAge.alert,
      alert: backupAge.alert,
      job: source.name,
      threshold: backupAge.overdueHours,
      description: `no snapshot newer than ${overdue} hours, or the hourly backup check has stopped reporting (${backupAge.periods} periods in a row)`,
      evaluationPeriods: backupAge.periods,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
  }
  ctx.dashboard.addWidgets(...widgets);
}

function combine(signal: ManagedSignal, metrics: readonly cloudwatch.Metric[]): cloudwatch.Metric | cloudwatch.MathExpression {
  if (metrics.length === 1) return metrics[0].with({ period: PERIOD });
  const usingMetrics = Object.fromEntries(metrics.map((m, i) => [`m${i}`, m.with({ period: PERIOD })]));
  return new cloudwatch.MathExpression({ expression: `${signal.combine}(METRICS())`, usingMetrics, period: PERIOD, label: signal.title });
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
