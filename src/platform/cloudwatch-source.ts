import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';

/**
 * How a managed AWS resource with no Prometheus exporter (ElastiCache, DocumentDB Elastic) is
 * watched: its CloudWatch metrics, and the EventBridge events of its failed backups. The
 * observability stack turns it into alarms and a dashboard section, as it turns a
 * `MetricsSource` into scrape jobs and rules.
 *
 * @internal
 */
export interface CloudWatchSource {
  /** Same kinds as `MetricsSource.kind` (`cache`, `mongo`). */
  readonly kind: string;
  /** The construct's name: alarms and the dashboard section carry it, as the job on Kubernetes. */
  readonly name: string;
  /**
   * EventBridge pattern of this resource's failed backups, and the alert name they raise.
   *
   * @default - the service publishes no such event
   */
  readonly backupFailedEvents?: {
    readonly alert: string;
    readonly pattern: { readonly source: string[]; readonly detailType: string[] };
  };
  /**
   * The age of the newest backup, published by a check the resource owns (the service publishes
   * neither a backup metric nor an event): an alarm past `overdueHours`, and when the check stops
   * reporting (missing data breaches).
   *
   * @default - no such check
   */
  readonly backupAge?: {
    readonly alert: string;
    /** Hours, the worst of each alarm period. */
    readonly metric: cloudwatch.Metric;
    readonly overdueHours: number;
    /** Consecutive periods over the threshold, or without data, before the alarm fires. */
    readonly periods: number;
  };
  /** The metric of every node (one for a whole-cluster metric): alarms take the worst of them. */
  nodeMetrics(metricName: string, statistic: string): cloudwatch.Metric[];
}

/** The CloudWatch source a construct offers through `_cloudWatchSource()`, when it does (duck typing). @internal */
export function cloudWatchSourceOf(construct: IConstruct): CloudWatchSource | undefined {
  const offer = (construct as { _cloudWatchSource?: unknown })._cloudWatchSource;
  return typeof offer === 'function' ? offer.call(construct) : undefined;
}
