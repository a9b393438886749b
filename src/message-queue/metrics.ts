import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { jobSelector } from '../observability/alerting/rule-types';
import { DEAD_LETTER, queueConsumers, queueReady, WORK } from '../observability/metrics/signals';
import { PlatformMetric, PlatformMetricUnit } from '../platform/platform-metric';

/** Which queues of a broker a metric reads. */
export type QueueSelection = 'work' | 'deadLetter';

/**
 * Ready messages per queue: in PromQL the expression of `QueueBacklogHigh`/`QueueDeadLetters`
 * (rabbitmq_prometheus, whichever node leads the queue), in CloudWatch SQS's visible messages.
 */
export function readyMessagesMetric(
  queueName: string, job: string | undefined, queues: QueueSelection, sqs: cloudwatch.IMetric | undefined,
): PlatformMetric {
  const label = `${queueName} ${queues === 'work' ? 'messages waiting' : 'dead-lettered messages'}`;
  const matcher = queues === 'work' ? WORK : DEAD_LETTER;
  return PlatformMetric._of(label, PlatformMetricUnit.COUNT, job === undefined ? undefined : () => queueReady(jobSelector([job], matcher)), sqs);
}

/** Consumers of each work queue (RabbitMQ; the expression of `QueueNoConsumers`). */
export function consumersMetric(queueName: string, job: string): PlatformMetric {
  return PlatformMetric._of(`${queueName} consumers`, PlatformMetricUnit.COUNT, () => queueConsumers(jobSelector([job], WORK)));
}
