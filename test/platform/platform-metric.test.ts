import * as path from 'path';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { CacheCluster } from '../../src/cache-cluster';
import { Gateway, TlsSource } from '../../src/gateway';
import { MessageQueue, QueueWorker } from '../../src/message-queue';
import { MongoShardedCluster } from '../../src/mongo-sharded-cluster';
import { ObservabilityStack } from '../../src/observability';
import { toYaml } from '../../src/observability/alerting/alertmanager-config';
import { PlatformMetric, PlatformMetricUnit } from '../../src/platform/platform-metric';
import { ServiceCluster } from '../../src/service-cluster';
import { expressionsAsRules, hasPromtool, run, withFiles } from '../observability/engines';
import { ONCALL } from '../observability/fakes';
import { kubernetesChart } from '../util';

describe('PlatformMetric', () => {
  test('fromPromQl keeps the expression; label and unit default to it and NONE', () => {
    const m = PlatformMetric.fromPromQl('sum(rate(orders_total[5m]))');
    expect([m.promQl, m.label, m.unit, m.cloudWatch]).toEqual(['sum(rate(orders_total[5m]))', 'sum(rate(orders_total[5m]))', PlatformMetricUnit.NONE, undefined]);
    expect(PlatformMetric.fromPromQl('vector(1)', { label: 'one', unit: PlatformMetricUnit.COUNT }).label).toBe('one');
  });

  test('fromPromQl refuses an empty expression', () => {
    expect(() => PlatformMetric.fromPromQl('  ')).toThrow('PlatformMetric.fromPromQl: the expression is empty: give a PromQL expression, e.g. \'up{job="users"}\'');
  });

  test('fromPromQl refuses what would swallow or split the alert\'s comparison', () => {
    expect(() => PlatformMetric.fromPromQl('up # comment')).toThrow('PlatformMetric.fromPromQl: "up # comment" has a comment (#): write the expression without one');
    expect(() => PlatformMetric.fromPromQl('up) or (vector(1)')).toThrow(
      'PlatformMetric.fromPromQl: "up) or (vector(1)" closes a bracket it did not open (")" at character 3): balance the brackets');
    expect(() => PlatformMetric.fromPromQl('sum(rate(x[5m])')).toThrow('PlatformMetric.fromPromQl: "sum(rate(x[5m])" leaves a bracket open ("("): balance the brackets');
    expect(() => PlatformMetric.fromPromQl('up{job="a}')).toThrow('PlatformMetric.fromPromQl: "up{job=\\"a}" leaves a string open ("…): close it');
    // Brackets and # inside string literals are data, escapes included.
    expect(PlatformMetric.fromPromQl('up{job="a)#\\"b", path=~\'x(\'}').promQl).toBe('up{job="a)#\\"b", path=~\'x(\'}');
  });

  test('fromCloudWatch keeps the metric and has no PromQL', () => {
    const metric = new cloudwatch.Metric({ namespace: 'AWS/SQS', metricName: 'NumberOfMessagesSent' });
    const m = PlatformMetric.fromCloudWatch(metric, { unit: PlatformMetricUnit.COUNT });
    expect(m.cloudWatch).toBe(metric);
    expect(m.promQl).toBeUndefined();
    expect(m.unit).toBe(PlatformMetricUnit.COUNT);
  });
});

describe('every construct metric on kubernetes is PromQL that Prometheus parses', () => {
  function allMetrics(): PlatformMetric[] {
    const chart = kubernetesChart();
    const observability = new ObservabilityStack(chart, 'Observability', { receivers: ONCALL });
    const service = new ServiceCluster(chart, 'Checkout', { image: 'ghcr.io/acme/checkout:1.0.0' });
    const gateway = new Gateway(chart, 'Api', { kubernetes: { tls: TlsSource.secret('api-tls') } });
    const cache = new CacheCluster(chart, 'Sessions');
    const db = new MongoShardedCluster(chart, 'OrdersDb');
    const queue = new MessageQueue(chart, 'Events');
    const worker = new QueueWorker(chart, 'Worker', { image: 'nginx:1.27', queue, healthCheckCommand: ['/app/worker', 'healthcheck'] });
    return [
      observability.metricTargetsDown(),
      service.metricRequestRate(), service.metricErrorRate(), service.metricLatencyP99(),
      service.metricCpuUtilization(), service.metricMemoryUtilization(),
      service.prometheusMetric('orders_total'),
      gateway.metricRequestRate(), gateway.metricErrorRate(), gateway.metricLatencyP99(), gateway.prometheusMetric('traefik_open_connections'),
      cache.metricMemoryUtilization(), cache.metricEngineCpuUtilization(), cache.metricEvictionRate(), cache.prometheusMetric('redis_connected_clients'),
      db.metricConnectionsUtilization(), db.metricReplicationLag(), db.prometheusMetric('mongodb_up'),
      queue.metricBacklog(), queue.metricDeadLetteredMessages(), queue.metricConsumers(), queue.prometheusMetric('rabbitmq_queue_messages_unacked'),
      worker.metricBacklog(), worker.metricDeadLetteredMessages(),
    ];
  }

  test('each has PromQL and no CloudWatch', () => {
    const metrics = allMetrics();
    expect(metrics.every(m => m.promQl !== undefined && m.cloudWatch === undefined)).toBe(true);
    expect(allMetrics()[0].promQl).toBe('count by (job) (up == 0)');
  });

  test('promtool check rules parses every expression', () => {
    if (!hasPromtool()) return;
    const rules = toYaml(expressionsAsRules(allMetrics().map(m => m.promQl!)));
    const result = withFiles({ 'metrics.yml': rules }, dir => run('promtool', ['check', 'rules', path.join(dir, 'metrics.yml')]));
    expect(result.output).toMatch(/SUCCESS: 24 rules found/);
    expect(result.status).toBe(0);
  });
});
