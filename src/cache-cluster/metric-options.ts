import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * Options of a CacheCluster metric.
 */
export interface CacheMetricOptions extends cloudwatch.MetricOptions {
  /**
   * The node to measure, by its ElastiCache member id (see `memberClusterIds`). ElastiCache
   * publishes engine metrics per node, not per replication group.
   *
   * @default the first node (the initial primary) for most metrics; the first replica for ReplicationLag
   */
  readonly cacheClusterId?: string;
}
