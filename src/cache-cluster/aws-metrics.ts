import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { CacheClusterMode } from './engine';
import { CacheMetricOptions } from './metric-options';
import { CacheClusterSpec } from './spec';


/**
 * ElastiCache's member ids: `<id>-00N` for each node of a replication group, `<id>-000S-00N` for
 * node N of shard S in cluster mode.
 */
export function memberClusterIds(spec: CacheClusterSpec): string[] {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const perShard = 1 + spec.replicas;
  if (spec.mode === CacheClusterMode.CLUSTER) {
    return Array.from({ length: spec.shards * perShard }, (_, i) =>
      `${spec.name}-${pad(Math.floor(i / perShard) + 1, 4)}-${pad((i % perShard) + 1, 3)}`);
  }
  return Array.from({ length: perShard }, (_, i) => `${spec.name}-${pad(i + 1, 3)}`);
}

/** One AWS/ElastiCache metric of one node. */
export function cacheMetric(
  spec: CacheClusterSpec, metricName: string, statistic: string, options: CacheMetricOptions = {}, defaultNode = 0,
): cloudwatch.Metric {
  const members = memberClusterIds(spec);
  const { cacheClusterId, ...metricOptions } = options;
  return new cloudwatch.Metric({
    namespace: 'AWS/ElastiCache',
    metricName,
    statistic,
    period: Duration.minutes(1),
    ...metricOptions,
    dimensionsMap: { CacheClusterId: cacheClusterId ?? members[Math.min(defaultNode, members.length - 1)], ...metricOptions.dimensionsMap },
  });
}
