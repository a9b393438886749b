import { CacheCluster, CacheClusterMode } from '../../src/cache-cluster';
import { alertRuleGroups, alertsOf } from '../../src/observability/alerting/alert-rules';
import { CACHE_ENGINE_CPU_UTILIZATION } from '../../src/observability/metrics/signals';
import { PlatformMetricUnit } from '../../src/platform/platform-metric';
import { RULES_INPUT } from '../observability/alert-cases';
import { awsStack, kubernetesChart } from '../util';

describe('CacheCluster portable metrics on kubernetes', () => {
  const cache = () => new CacheCluster(kubernetesChart(), 'Sessions');
  const alert = (name: string) => alertsOf(alertRuleGroups({ ...RULES_INPUT, jobs: [{ job: 'sessions', kind: 'cache' }] })).find(a => a.alert === name)!.expr;

  test('each metric is the PromQL of the cache alert on it (redis_exporter), with no CloudWatch', () => {
    const c = cache();
    expect(alert('CacheMemoryHigh')).toBe(`${c.metricMemoryUtilization().promQl} > ${RULES_INPUT.thresholds.cacheMemoryUtilization}`);
    expect(alert('CacheCpuHigh')).toBe(`${c.metricEngineCpuUtilization().promQl} > ${CACHE_ENGINE_CPU_UTILIZATION}`);
    expect(alert('CacheEvicting')).toBe(`${c.metricEvictionRate().promQl} > 0`);
    expect(c.metricEvictionRate().unit).toBe(PlatformMetricUnit.PER_SECOND);
    expect(c.metricMemoryUtilization().cloudWatch).toBeUndefined();
    expect(c.prometheusMetric('redis_connected_clients').promQl).toBe('redis_connected_clients{job="sessions"}');
  });

  test('the CloudWatch methods still say they are AWS only', () => {
    expect(() => cache().metricCpuUtilization()).toThrow(/metricCpuUtilization is not supported on kubernetes/);
  });
});

describe('CacheCluster portable metrics on AWS', () => {
  test('CloudWatch over every node in the portable unit; no PromQL (ElastiCache has no exporter)', () => {
    const stack = awsStack();
    const c = new CacheCluster(stack, 'Sessions', { mode: CacheClusterMode.CLUSTER, shards: 2, replicas: 1 });
    const memory: any = c.metricMemoryUtilization().cloudWatch!.toMetricConfig().mathExpression;
    expect(memory.expression).toBe('MAX([m0, m1, m2, m3]) / 100');
    expect(Object.values(memory.usingMetrics).map((m: any) => m.dimensions.CacheClusterId)).toEqual(c.memberClusterIds);
    expect((c.metricEngineCpuUtilization().cloudWatch!.toMetricConfig() as any).mathExpression.usingMetrics.m0.metricName).toBe('EngineCPUUtilization');
    expect((c.metricEvictionRate().cloudWatch!.toMetricConfig() as any).mathExpression.expression).toBe('(m0 + m1 + m2 + m3) / PERIOD(m0)');
    expect(c.metricMemoryUtilization().promQl).toBeUndefined();
    expect(c.metricCpuUtilization().metricName).toBe('EngineCPUUtilization');
  });

  test('prometheusMetric names the construct and what to use instead', () => {
    const c = new CacheCluster(awsStack(), 'Sessions');
    expect(() => c.prometheusMetric('redis_connected_clients')).toThrow(
      'Platform/Sessions: prometheusMetric() has no meaning on aws: ElastiCache publishes no Prometheus metrics: use metric(metricName) for a CloudWatch metric, ' +
      'or the portable metricMemoryUtilization(), metricEngineCpuUtilization(), metricEvictionRate()');
  });
});
