import { Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { MessageQueue } from '../../src/message-queue';
import { ObservabilityStack } from '../../src/observability';
import { expectKubernetesConformance } from '../conformance/kubernetes';
import { ONCALL } from '../observability/fakes';
import { awsStack, findObject, kubernetesChart, manifestsOf, objectsOfKind } from '../util';

describe('the observability stack discovers message queues', () => {
  test('Kubernetes: a scrape job for rabbitmq_prometheus, Prometheus admitted, queue alerts and dashboard panels', () => {
    const chart = kubernetesChart();
    const observability = new ObservabilityStack(chart, 'Observability', { receivers: ONCALL });
    new MessageQueue(chart, 'Orders');
    const manifests = manifestsOf(chart);
    expect(observability.watchedMetricsSources().map(s => [s.job, s.kind, s.port])).toEqual([['orders', 'queue', 15692]]);
    const configMaps = objectsOfKind(manifests, 'ConfigMap');
    const prometheusYml = configMaps.map(c => c.data?.['prometheus.yml']).find(Boolean);
    const jobs = parse(prometheusYml).scrape_configs.map((c: any) => c.job_name);
    expect(jobs).toContain('orders');
    const rules = configMaps.flatMap(c => Object.values(c.data ?? {})).join('\n');
    for (const alert of ['QueueBacklogHigh', 'QueueNoConsumers', 'QueueDeadLetters']) expect(rules).toContain(`alert: ${alert}`);
    expect(rules).toContain('rabbitmq_queue_messages_ready{job=~"orders", queue=~".+-dlq"}');
    const dashboards = configMaps.flatMap(c => Object.values(c.data ?? {})).filter((v: any) => String(v).includes('Dead-lettered messages'));
    expect(dashboards).toHaveLength(1);
    const ingress = findObject(manifests, 'NetworkPolicy', 'orders').spec.ingress;
    expect(ingress.some((r: any) => r.from[0].podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'prometheus'
      && r.ports.some((p: any) => p.port === 15692))).toBe(true);
    expectKubernetesConformance(manifests);
  });

  test('AWS: CloudWatch alarms on backlog, age of oldest message and dead letters, and a dashboard section', () => {
    const stack = awsStack();
    new ObservabilityStack(stack, 'Observability', { receivers: ONCALL });
    new MessageQueue(stack, 'Orders', { priorityLevels: 2 });
    const template = Template.fromStack(stack);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties);
    const queueAlarms = alarms.filter(a => / orders: /.test(a.AlarmDescription));
    expect(queueAlarms.map(a => [a.AlarmDescription, a.Threshold, a.EvaluationPeriods])).toEqual([
      ['[QueueBacklogHigh] orders: more than 1000 messages waiting for 15 minutes', 1000, 3],
      ['[QueueMessageTooOld] orders: a message has waited more than 600 s', 600, 1],
      ['[QueueDeadLetters] orders: messages in the dead-letter queue', 0, 1],
    ]);
    // Depth sums both priority queues.
    expect(queueAlarms[0].Metrics.find((m: any) => m.Expression).Expression).toBe('q0 + q1');
    expect(JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'))).toContain('Message queue: orders');
  });
});
