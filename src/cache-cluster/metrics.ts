import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { cacheMetric, memberClusterIds } from './aws-metrics';
import { CacheClusterSpec } from './spec';
import { jobSelector } from '../observability/alerting/rule-types';
import { cacheEngineCpu, cacheEvictionRate, cacheMemoryUtilization } from '../observability/metrics/signals';
import { METRIC_PERIOD } from '../platform/http-metrics';
import { PlatformMetric, PlatformMetricUnit } from '../platform/platform-metric';

/** How one portable cache metric reads on each target. */
interface CacheMetricDefinition {
  readonly label: string;
  readonly unit: PlatformMetricUnit;
  /** PromQL over redis_exporter's series of the job's nodes (the alert's expression). */
  readonly promQl: (selector: string) => string;
  /** ElastiCache metric, statistic, how nodes combine and the expression turning one node's value into the portable unit. */
  readonly elastiCache: { readonly metricName: string; readonly statistic: string; readonly combine: 'MAX' | 'SUM'; readonly perNode: string };
}

const DEFINITIONS = {
  memoryUtilization: {
    label: 'memory used / maxmemory',
    unit: PlatformMetricUnit.RATIO,
    promQl: cacheMemoryUtilization,
    elastiCache: { metricName: 'DatabaseMemoryUsagePercentage', statistic: 'Maximum', combine: 'MAX', perNode: '/ 100' },
  },
  engineCpuUtilization: {
    label: 'Redis thread CPU (cores)',
    unit: PlatformMetricUnit.RATIO,
    promQl: cacheEngineCpu,
    elastiCache: { metricName: 'EngineCPUUtilization', statistic: 'Maximum', combine: 'MAX', perNode: '/ 100' },
  },
  evictionRate: {
    label: 'evictions per second',
    unit: PlatformMetricUnit.PER_SECOND,
    promQl: cacheEvictionRate,
    elastiCache: { metricName: 'Evictions', statistic: 'Sum', combine: 'SUM', perNode: '/ PERIOD(m0)' },
  },
} satisfies Record<string, CacheMetricDefinition>;

/** The names of the portable cache metrics. */
export type CacheMetricName = keyof typeof DEFINITIONS;

/**
 * A portable metric of the whole cache: per node in PromQL (redis_exporter on Kubernetes, the same
 * expression as the cache alerts), the highest (or total) over every node in CloudWatch on AWS.
 */
export function cachePortableMetric(name: CacheMetricName, spec: CacheClusterSpec, job: string | undefined): PlatformMetric {
  const d: CacheMetricDefinition = DEFINITIONS[name];
  const label = `${spec.name} ${d.label}`;
  if (job !== undefined) return PlatformMetric._of(label, d.unit, () => d.promQl(jobSelector([job])));
  const nodes = Object.fromEntries(memberClusterIds(spec).map((cacheClusterId, i) =>
    [`m${i}`, cacheMetric(spec, d.elastiCache.metricName, d.elastiCache.statistic, { cacheClusterId, period: METRIC_PERIOD })]));
  const ids = Object.keys(nodes);
  const combined = ids.length === 1 ? ids[0] : d.elastiCache.combine === 'MAX' ? `MAX([${ids.join(', ')}])` : ids.join(' + ');
  const expression = d.elastiCache.combine === 'SUM' ? `(${combined}) ${d.elastiCache.perNode}` : `${combined} ${d.elastiCache.perNode}`;
  const cw = new cloudwatch.MathExpression({ expression, usingMetrics: nodes, period: METRIC_PERIOD, label });
  return PlatformMetric._of(label, d.unit, undefined, cw);
}
