import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { PlatformMetric, PlatformMetricUnit } from './platform-metric';
import { ERROR_RATIO } from '../observability/alerting/alert-rules';
import { HttpSignals } from '../observability/alerting/rule-types';
import { latencyQuantile, requestRate } from '../observability/metrics/http-expressions';

/** CloudWatch period of construct metrics: the 5-minute window of the PromQL rates. */
export const METRIC_PERIOD = Duration.minutes(5);

/** Where a workload's HTTP metrics come from: its scrape job, and which HTTP names it exports. */
export interface HttpMetricSource {
  /** Scrape job (the construct's name). */
  readonly job: string;
  /** The metric names, given the observability stack's names for services. */
  readonly names: (service: HttpSignals) => HttpSignals;
  /**
   * Dimensions of its `AWS/ApplicationELB` metrics (AWS), when it sits behind a load balancer: the
   * target group's (`LoadBalancer` and `TargetGroup`), or the whole load balancer's (`LoadBalancer`).
   */
  readonly loadBalancer?: { readonly [name: string]: string };
}

const selector = (job: string) => `job="${job}"`;

/** Requests per second over 5 minutes. */
export function requestRateMetric(source: HttpMetricSource): PlatformMetric {
  const cw = source.loadBalancer && perSecond(albMetric('RequestCount', 'Sum', source.loadBalancer), `${source.job} requests/s`);
  return PlatformMetric._of(`${source.job} requests per second`, PlatformMetricUnit.PER_SECOND,
    names => `sum by (job) (${requestRate(source.names(names), selector(source.job))})`, cw);
}

/**
 * Fraction of requests answered with a 5xx over 5 minutes: the stack's SLO recording (the series
 * `SloErrorRateHigh` alerts on), or the target group's 5xx count over its request count.
 */
export function errorRateMetric(source: HttpMetricSource): PlatformMetric {
  const cw = source.loadBalancer && new cloudwatch.MathExpression({
    expression: 'IF(requests > 0, errors / requests, 0)',
    usingMetrics: {
      requests: albMetric('RequestCount', 'Sum', source.loadBalancer),
      errors: albMetric('HTTPCode_Target_5XX_Count', 'Sum', source.loadBalancer),
    },
    period: METRIC_PERIOD,
    label: `${source.job} 5xx ratio`,
  });
  return PlatformMetric._of(`${source.job} 5xx ratio`, PlatformMetricUnit.RATIO, () => `${ERROR_RATIO('5m')}{${selector(source.job)}}`, cw);
}

/** A latency quantile (seconds) over 5 minutes, e.g. 0.99. */
export function latencyMetric(source: HttpMetricSource, quantile: number): PlatformMetric {
  const percentile = `p${Number((quantile * 100).toPrecision(4))}`;
  const cw = source.loadBalancer && albMetric('TargetResponseTime', percentile, source.loadBalancer);
  return PlatformMetric._of(`${source.job} ${percentile} latency`, PlatformMetricUnit.SECONDS,
    names => latencyQuantile(quantile, source.names(names), selector(source.job), false), cw);
}

/** An `AWS/ApplicationELB` metric over the metric period. */
export function albMetric(metricName: string, statistic: string, dimensionsMap: { readonly [name: string]: string }): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'AWS/ApplicationELB', metricName, statistic, dimensionsMap: { ...dimensionsMap }, period: METRIC_PERIOD });
}

/** A per-period sum as a per-second rate. */
export function perSecond(metric: cloudwatch.IMetric, label: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({ expression: 'm / PERIOD(m)', usingMetrics: { m: metric }, period: METRIC_PERIOD, label });
}

/** A percentage metric (0–100) as a fraction, so thresholds match the PromQL ratio. */
export function asFraction(metric: cloudwatch.IMetric, label: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({ expression: 'm / 100', usingMetrics: { m: metric }, period: METRIC_PERIOD, label });
}
