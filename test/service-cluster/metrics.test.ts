import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { alertRuleGroups, alertsOf, ERROR_RATIO } from '../../src/observability/alerting/alert-rules';
import { PlatformMetricUnit } from '../../src/platform/platform-metric';
import { ServiceCluster } from '../../src/service-cluster';
import { RULES_INPUT } from '../observability/alert-cases';
import { awsStack, kubernetesChart } from '../util';

const IMAGE = 'ghcr.io/acme/checkout:1.0.0';
/** The CloudWatch metric config of a portable metric. */
const config = (metric: cloudwatch.IMetric | undefined): any => metric!.toMetricConfig();

describe('ServiceCluster metrics on kubernetes', () => {
  const service = () => new ServiceCluster(kubernetesChart(), 'Checkout', { image: IMAGE, cpu: 0.5 });

  test('request rate, error rate and p99 latency are PromQL over the service\'s job; no CloudWatch', () => {
    const s = service();
    expect(s.metricRequestRate().promQl).toBe('sum by (job) (rate(http_requests_total{job="checkout"}[5m]))');
    expect(s.metricErrorRate().promQl).toBe(`${ERROR_RATIO('5m')}{job="checkout"}`);
    expect(s.metricLatencyP99().promQl).toBe('histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket{job="checkout"}[5m])))');
    expect(s.metricLatencyP99().unit).toBe(PlatformMetricUnit.SECONDS);
    for (const m of [s.metricRequestRate(), s.metricErrorRate(), s.metricLatencyP99(), s.metricCpuUtilization(), s.metricMemoryUtilization()]) {
      expect(m.cloudWatch).toBeUndefined();
    }
  });

  test('CPU and memory utilization are the expressions of ServiceCpuHigh and ServiceMemoryHigh', () => {
    const s = service();
    const jobs = [{ job: 'checkout', kind: 'service', cpuCores: 0.5, memoryBytes: 1024 ** 3 }];
    const alerts = alertsOf(alertRuleGroups({ ...RULES_INPUT, jobs }));
    const t = RULES_INPUT.thresholds;
    expect(alerts.find(a => a.alert === 'ServiceCpuHigh')!.expr).toBe(`(${s.metricCpuUtilization().promQl}) > ${t.serviceCpuUtilization}`);
    expect(s.metricCpuUtilization().promQl).toBe('rate(process_cpu_seconds_total{job=~"checkout"}[5m]) / 0.5');
    expect(s.metricMemoryUtilization().promQl).toMatch(/^process_resident_memory_bytes\{job=~"checkout"\} \/ \d+$/);
    expect(s.metricMemoryUtilization().unit).toBe(PlatformMetricUnit.RATIO);
  });

  test('prometheusMetric: any series of the job; a name outside Prometheus\'s grammar is refused', () => {
    const s = service();
    expect(s.prometheusMetric('orders_placed_total').promQl).toBe('orders_placed_total{job="checkout"}');
    expect(() => s.prometheusMetric('x"} or vector(1) #')).toThrow(
      'platform/Checkout: prometheusMetric(metricName) is not a Prometheus metric name (got "x\\"} or vector(1) #"): ' +
      'letters, digits, _ and :, not starting with a digit (e.g. "http_requests_total")');
  });
});

describe('ServiceCluster metrics on AWS', () => {
  const render = () => {
    const stack = awsStack();
    return { stack, s: new ServiceCluster(stack, 'Checkout', { image: IMAGE }) };
  };

  test('each metric has the PromQL of the collector-scraped series and the load balancer\'s or ECS\'s CloudWatch metric', () => {
    const { s } = render();
    expect(s.metricErrorRate().promQl).toBe(`${ERROR_RATIO('5m')}{job="checkout"}`);
    const errors = config(s.metricErrorRate().cloudWatch).mathExpression;
    expect(errors.expression).toBe('IF(requests > 0, errors / requests, 0)');
    expect(errors.usingMetrics.errors.toMetricConfig().metricStat.metricName).toBe('HTTPCode_Target_5XX_Count');
    expect(config(s.metricLatencyP99().cloudWatch).metricStat).toMatchObject({ namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', statistic: 'p99' });
    expect(config(s.metricRequestRate().cloudWatch).mathExpression.expression).toBe('m / PERIOD(m)');
    const cpu = config(s.metricCpuUtilization().cloudWatch).mathExpression;
    expect(cpu.expression).toBe('m / 100');
    expect(cpu.usingMetrics.m.toMetricConfig().metricStat).toMatchObject({ namespace: 'AWS/ECS', metricName: 'CPUUtilization' });
    expect(config(s.metricMemoryUtilization().cloudWatch).mathExpression.usingMetrics.m.toMetricConfig().metricStat.metricName).toBe('MemoryUtilization');
  });

  test('prometheusMetric works on AWS too (the collector scrapes services into Amazon Managed Prometheus)', () => {
    expect(render().s.prometheusMetric('orders_placed_total').promQl).toBe('orders_placed_total{job="checkout"}');
  });
});
