import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { utilization, serviceCpu, serviceMemory } from '../observability/metrics/signals';
import { EcsTasks } from '../platform/ecs-tasks';
import { asFraction, METRIC_PERIOD } from '../platform/http-metrics';
import { PlatformMetric, PlatformMetricUnit } from '../platform/platform-metric';

/**
 * CPU or memory of each instance as a fraction of its declared size: the expression of
 * `ServiceCpuHigh`/`ServiceMemoryHigh`, and ECS's utilization of the reservation on AWS.
 */
export function serviceUtilizationMetric(
  resource: 'cpu' | 'memory', job: string, size: number, ecsTasks: EcsTasks | undefined,
): PlatformMetric {
  const [expression, ecsName, what] = resource === 'cpu'
    ? [serviceCpu, 'CPUUtilization', 'CPU'] as const
    : [serviceMemory, 'MemoryUtilization', 'memory'] as const;
  const label = `${job} ${what} utilization`;
  const cw = ecsTasks && asFraction(new cloudwatch.Metric({
    namespace: 'AWS/ECS', metricName: ecsName, statistic: 'Average', dimensionsMap: { ...ecsTasks.serviceDimensions }, period: METRIC_PERIOD,
  }), label);
  return PlatformMetric._of(label, PlatformMetricUnit.RATIO, () => utilization(expression, [{ job, kind: 'service' }], () => size, size), cw);
}
