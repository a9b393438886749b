import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';

/**
 * The CloudWatch metrics of a queue on AWS, for the observability stack: SQS has no Prometheus
 * endpoint, so queues are found by this hook rather than by a `metricsSource`.
 */
export interface QueueCloudWatchMetrics {
  /** Name of the queue (the dashboard section and alarm names). */
  readonly name: string;
  /** Messages visible in every work queue. */
  readonly depth: cloudwatch.IMetric;
  /** Age of the oldest message (highest-priority queue). */
  readonly ageOfOldestMessage: cloudwatch.IMetric;
  /** Messages in the dead-letter queue. */
  readonly deadLetters: cloudwatch.IMetric;
  /** Seconds a message may wait before the age alarm fires. */
  readonly maxAgeSeconds: number;
}

/** The queue metrics `construct` offers through `_queueCloudWatchMetrics()` (duck typing), if any. */
export function queueCloudWatchMetricsOf(construct: IConstruct): QueueCloudWatchMetrics | undefined {
  const hook = (construct as { _queueCloudWatchMetrics?: unknown })._queueCloudWatchMetrics;
  return typeof hook === 'function' ? hook.call(construct) : undefined;
}
