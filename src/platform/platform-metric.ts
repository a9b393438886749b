import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { invalidPropMessage, PlatformValidationError } from './errors';
import { PlatformTarget } from './target';
import type { HttpSignals } from '../observability/alerting/rule-types';

/**
 * What a construct's metric measures, so a threshold means the same on both targets.
 */
export enum PlatformMetricUnit {
  /** A fraction between 0 and 1 (utilisation, error ratio): 0.8 is 80 %. */
  RATIO = 'ratio',
  /** Events per second. */
  PER_SECOND = 'per-second',
  /** Seconds. */
  SECONDS = 'seconds',
  /** A count at one instant (messages waiting, connections). */
  COUNT = 'count',
  /** Bytes. */
  BYTES = 'bytes',
  /** Whatever the underlying series measures (a metric chosen by name). */
  NONE = 'none',
}

/** Options of a metric built from a PromQL expression or a CloudWatch metric. */
export interface PlatformMetricOptions {
  /**
   * Name of the metric in alerts and messages.
   *
   * @default - the PromQL expression, or the CloudWatch metric's string form
   */
  readonly label?: string;
  /**
   * What the metric measures.
   *
   * @default PlatformMetricUnit.NONE
   */
  readonly unit?: PlatformMetricUnit;
}

/**
 * A metric of a platform construct, on either target: a PromQL expression wherever Prometheus-format
 * metrics exist (the stack's Prometheus on Kubernetes; Amazon Managed Service for Prometheus on AWS,
 * where the collector scrapes services and gateways), a CloudWatch metric where AWS publishes one
 * (load balancers, ECS, ElastiCache, DocumentDB Elastic, SQS), or both. When it has both, the two
 * measure the same thing in the same unit, so one threshold fits either.
 *
 * Alert on it with `ObservabilityStack.addAlert`: PromQL becomes a Prometheus rule, a CloudWatch-only
 * metric a CloudWatch alarm.
 */
export class PlatformMetric {
  /** A metric from your own PromQL expression (any series the stack's Prometheus holds). */
  public static fromPromQl(expression: string, options: PlatformMetricOptions = {}): PlatformMetric {
    if (expression.trim() === '') throw new PlatformValidationError('PlatformMetric.fromPromQl: the expression is empty: give a PromQL expression, e.g. \'up{job="users"}\'');
    const problem = promQlShapeProblem(expression);
    if (problem) throw new PlatformValidationError(`PlatformMetric.fromPromQl: ${JSON.stringify(expression)} ${problem}`);
    return new PlatformMetric(options.label ?? expression, options.unit ?? PlatformMetricUnit.NONE, () => expression, undefined);
  }

  /** A metric from a CloudWatch metric or math expression (AWS only). */
  public static fromCloudWatch(metric: cloudwatch.IMetric, options: PlatformMetricOptions = {}): PlatformMetric {
    return new PlatformMetric(options.label ?? metric.toString(), options.unit ?? PlatformMetricUnit.NONE, undefined, metric);
  }

  /**
   * A construct's metric. `promQl` receives the HTTP metric names the observability stack was given
   * (`metricNames`), so a service's expressions follow them.
   *
   * @internal
   */
  public static _of(
    label: string, unit: PlatformMetricUnit, promQl?: (names: HttpSignals) => string, cloudWatchMetric?: cloudwatch.IMetric,
  ): PlatformMetric {
    return new PlatformMetric(label, unit, promQl, cloudWatchMetric);
  }

  /** Name of the metric in alerts and messages. */
  public readonly label: string;
  /** What the metric measures. */
  public readonly unit: PlatformMetricUnit;
  /**
   * The CloudWatch metric (AWS).
   *
   * @default undefined when AWS publishes none: use `promQl`
   */
  public readonly cloudWatch?: cloudwatch.IMetric;

  private constructor(label: string, unit: PlatformMetricUnit, private readonly render: ((names: HttpSignals) => string) | undefined,
    cloudWatchMetric: cloudwatch.IMetric | undefined) {
    this.label = label;
    this.unit = unit;
    this.cloudWatch = cloudWatchMetric;
  }

  /**
   * The PromQL expression, with the conventional HTTP metric names (`http_requests_total`,
   * `http_request_duration_seconds`); alerts use the names the observability stack was given.
   *
   * @default undefined when there are no Prometheus-format metrics: use `cloudWatch`
   */
  public get promQl(): string | undefined {
    return this.render?.(DEFAULT_HTTP_SIGNALS);
  }

  /**
   * The PromQL expression with the given HTTP metric names.
   *
   * @internal
   */
  public _promQlWith(names: HttpSignals): string | undefined {
    return this.render?.(names);
  }
}

/** The HTTP metric names a service's Prometheus client exports by default (see ObservabilityStack `metricNames`). */
export const DEFAULT_HTTP_SIGNALS: HttpSignals = {
  requests: 'http_requests_total',
  duration: 'http_request_duration_seconds',
  statusLabel: 'code',
  routeLabel: 'route',
};

/**
 * The error of a metric method that means nothing on the construct's target: names the construct,
 * the method, the target and what to use instead.
 */
export function metricNotOnTarget(scope: IConstruct, method: string, target: PlatformTarget, instead: string): PlatformValidationError {
  return new PlatformValidationError(`${scope.node.path}: ${method}() has no meaning on ${target}: ${instead}`);
}

/** Prometheus metric names (the data model's grammar): the generic `prometheusMetric(name)` accepts these only. */
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Whether `name` is a Prometheus metric name. */
export function isPrometheusMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

/**
 * The generic `prometheusMetric(metricName)` of a construct: that series of the construct's scrape
 * job. The name is checked against Prometheus's grammar, so it can never extend the expression.
 */
export function prometheusSeries(scope: IConstruct, job: string, metricName: string): PlatformMetric {
  if (!isPrometheusMetricName(metricName)) {
    throw new PlatformValidationError(invalidPropMessage(scope, 'prometheusMetric(metricName)', 'is not a Prometheus metric name', metricName,
      'letters, digits, _ and :, not starting with a digit (e.g. "http_requests_total")'));
  }
  return PlatformMetric._of(`${job} ${metricName}`, PlatformMetricUnit.NONE, () => `${metricName}{job="${job}"}`);
}

const CLOSING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * Why `expression` cannot be embedded in a rule as one operand, if it cannot: alerts write
 * `(<expression>) > <threshold>`, so a comment (`#` runs to the end of the line) or an unbalanced
 * bracket would swallow or split the comparison, and one broken rule fails the whole rule file.
 * String literals are skipped, with their escapes.
 */
export function promQlShapeProblem(expression: string): string | undefined {
  const open: string[] = [];
  let quote: string | undefined;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (c === '#') {
      return 'has a comment (#): write the expression without one';
    } else if (c === '(' || c === '[' || c === '{') {
      open.push(c);
    } else if (c in CLOSING) {
      if (open.pop() !== CLOSING[c]) return `closes a bracket it did not open ("${c}" at character ${i + 1}): balance the brackets`;
    }
  }
  if (quote) return `leaves a string open (${quote}…): close it`;
  if (open.length > 0) return `leaves a bracket open ("${open[open.length - 1]}"): balance the brackets`;
  return undefined;
}
