import { MessageQueue, QueueWorker } from '../../src/message-queue';
import { alertRuleGroups, alertsOf } from '../../src/observability/alerting/alert-rules';
import { RULES_INPUT } from '../observability/alert-cases';
import { awsStack, kubernetesChart } from '../util';

const WORKER = { image: 'nginx:1.27', healthCheckCommand: ['/app/worker', 'healthcheck'] };

describe('MessageQueue and QueueWorker portable metrics on kubernetes', () => {
  const render = () => {
    const chart = kubernetesChart();
    const queue = new MessageQueue(chart, 'Events');
    return { queue, worker: new QueueWorker(chart, 'Worker', { ...WORKER, queue }) };
  };

  test('backlog, dead letters and consumers are the PromQL of the queue alerts (rabbitmq_prometheus)', () => {
    const { queue, worker } = render();
    const alerts = alertsOf(alertRuleGroups({ ...RULES_INPUT, jobs: [{ job: queue.metricsSource!.job, kind: 'queue' }] }));
    const expr = (name: string) => alerts.find(a => a.alert === name)!.expr;
    expect(expr('QueueBacklogHigh')).toBe(`${queue.metricBacklog().promQl} > ${RULES_INPUT.thresholds.queueBacklogMessages}`);
    expect(expr('QueueDeadLetters')).toBe(`${queue.metricDeadLetteredMessages().promQl} > 0`);
    expect(expr('QueueNoConsumers')).toContain(`and on (job, queue) ${queue.metricConsumers().promQl} == 0`);
    expect(worker.metricBacklog().promQl).toBe(queue.metricBacklog().promQl);
    expect(worker.metricDeadLetteredMessages().promQl).toBe(queue.metricDeadLetteredMessages().promQl);
    expect(queue.prometheusMetric('rabbitmq_queue_messages_unacked').promQl).toBe(`rabbitmq_queue_messages_unacked{job="${queue.metricsSource!.job}"}`);
  });
});

describe('MessageQueue and QueueWorker portable metrics on AWS', () => {
  const render = () => {
    const stack = awsStack();
    const queue = new MessageQueue(stack, 'Events');
    return { queue, worker: new QueueWorker(stack, 'Worker', { ...WORKER, queue }) };
  };

  test('backlog and dead letters are SQS\'s CloudWatch metrics, with no PromQL', () => {
    const { queue, worker } = render();
    expect(queue.metricBacklog().promQl).toBeUndefined();
    expect(worker.metricBacklog().cloudWatch!.toMetricConfig()).toEqual(queue.metricMessagesVisible().toMetricConfig());
    expect(queue.metricDeadLetteredMessages().cloudWatch!.toMetricConfig().metricStat!.metricName).toBe('ApproximateNumberOfMessagesVisible');
    expect(worker.metricDeadLetteredMessages().cloudWatch!.toMetricConfig()).toEqual(queue.metricDeadLetterMessages().toMetricConfig());
    expect(worker.metricDeadLetteredMessages().promQl).toBeUndefined();
  });

  test('consumers and prometheusMetric name the construct and what to use instead', () => {
    const { queue } = render();
    expect(() => queue.metricConsumers()).toThrow(
      'Platform/Events: metricConsumers() has no meaning on aws: SQS does not count consumers: alert on metricAgeOfOldestMessage() (CloudWatch) or metricBacklog() instead');
    expect(() => queue.prometheusMetric('rabbitmq_queue_messages_unacked')).toThrow(
      'Platform/Events: prometheusMetric() has no meaning on aws: SQS publishes CloudWatch metrics only: use metricMessagesVisible(), metricAgeOfOldestMessage(), ' +
      'metricDeadLetterMessages(), or the portable metricBacklog() and metricDeadLetteredMessages()');
  });
});
