import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { AlertRule, HttpSignals, promNumber, RuleGroup } from './rule-types';
import { invalidPropMessage } from '../../platform/errors';
import { goTemplateText } from '../../platform/escape/go-template';
import { PlatformMetric } from '../../platform/platform-metric';
import { PlatformTarget } from '../../platform/target';

/** How a user alert compares its metric with the threshold. */
export enum AlertComparison {
  /** Fires while the metric is above the threshold. */
  GREATER_THAN = '>',
  /** Fires while the metric is at or above the threshold. */
  GREATER_THAN_OR_EQUAL = '>=',
  /** Fires while the metric is below the threshold. */
  LESS_THAN = '<',
  /** Fires while the metric is at or below the threshold. */
  LESS_THAN_OR_EQUAL = '<=',
}

/** Severity of a user alert: the built-in alerts' severities, routed alike. */
export enum AlertSeverity {
  /** Pages someone now (Alertmanager repeats it every hour). */
  PAGE = 'page',
  /** Broken: act today. */
  CRITICAL = 'critical',
  /** Needs attention; silenced while a critical alert of the same alert and job fires. */
  WARNING = 'warning',
  /** A ticket: the trend needs work, not now. */
  TICKET = 'ticket',
}

/** An alert of your own on any portable metric, for `ObservabilityStack.addAlert`. */
export interface UserAlertOptions {
  /** What to watch: a construct's `metric*()` or `PlatformMetric.fromPromQl`/`fromCloudWatch`. */
  readonly metric: PlatformMetric;
  /** The value compared with the metric, in the metric's unit (a ratio is 0–1). */
  readonly threshold: number;
  /**
   * How the metric compares with the threshold.
   *
   * @default AlertComparison.GREATER_THAN
   */
  readonly comparison?: AlertComparison;
  /**
   * How long the condition must hold before the alert fires (Prometheus `for`; CloudWatch
   * evaluation periods of the metric's period, rounded up).
   *
   * @default Duration.minutes(5)
   */
  readonly duration?: Duration;
  /**
   * Severity, routed like the built-in alerts.
   *
   * @default AlertSeverity.WARNING
   */
  readonly severity?: AlertSeverity;
  /** One line saying what is wrong; plain text (never a template). */
  readonly summary: string;
  /**
   * What to do about it; plain text (never a template).
   *
   * @default - the summary
   */
  readonly description?: string;
}

/** A user alert with every default applied. */
export interface UserAlertSpec {
  readonly id: string;
  readonly metric: PlatformMetric;
  readonly threshold: number;
  readonly comparison: AlertComparison;
  readonly durationSeconds: number;
  readonly severity: AlertSeverity;
  readonly summary: string;
  readonly description: string;
}

/** The rule group holding user alerts. */
export const USER_ALERT_GROUP = 'platform-user-alerts';
/** Alert names: Prometheus label-value safe and a valid construct id on AWS, as the built-in alerts are named. */
const ALERT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
/** CloudWatch limits an alarm description to 1024 characters, `[<id>] ` included. */
const MAX_TEXT = 900;
/** CloudWatch alarms on metric math take at most 10 metrics. */
const MAX_ALARM_METRICS = 10;
/** CloudWatch evaluates at most a day of periods. */
const MAX_DURATION_SECONDS = 24 * 3600;

export function resolveUserAlert(id: string, options: UserAlertOptions): UserAlertSpec {
  return {
    id,
    metric: options.metric,
    threshold: options.threshold,
    comparison: options.comparison ?? AlertComparison.GREATER_THAN,
    durationSeconds: (options.duration ?? Duration.minutes(5)).toSeconds({ integral: false }),
    severity: options.severity ?? AlertSeverity.WARNING,
    summary: options.summary,
    description: options.description ?? options.summary,
  };
}

/** Problems of one user alert (pure), given the ids already taken and the stack's target. */
export function userAlertProblems(
  scope: IConstruct, alert: UserAlertSpec, taken: readonly string[], target: PlatformTarget, cloudWatchAlarms = true,
): string[] {
  const problems: string[] = [];
  const prop = (name: string) => `addAlert(${JSON.stringify(alert.id)}).${name}`;
  if (!ALERT_NAME.test(alert.id)) {
    problems.push(invalidPropMessage(scope, 'addAlert id', 'is not an alert name', alert.id,
      'a letter, then letters, digits or _, at most 63 characters (e.g. "CheckoutSlow")'));
  } else if (taken.includes(alert.id)) {
    problems.push(invalidPropMessage(scope, 'addAlert id', 'is already used by another alert of this stack', alert.id, 'give each alert its own id'));
  }
  if (!Number.isFinite(alert.threshold)) {
    problems.push(invalidPropMessage(scope, prop('threshold'), 'must be a finite number', String(alert.threshold), 'a number in the metric\'s unit'));
  }
  if (alert.durationSeconds < 0 || alert.durationSeconds > MAX_DURATION_SECONDS) {
    problems.push(invalidPropMessage(scope, prop('duration'), 'is out of range', `${alert.durationSeconds} s`, 'between 0 and 24 hours (CloudWatch evaluates at most a day)'));
  }
  for (const [name, text] of [['summary', alert.summary], ['description', alert.description]] as const) {
    if (text.trim() === '' || text.length > MAX_TEXT) {
      problems.push(invalidPropMessage(scope, prop(name), text.trim() === '' ? 'is empty' : 'is too long', text.length > 40 ? `${text.slice(0, 40)}…` : text,
        `1 to ${MAX_TEXT} characters of plain text`));
    }
  }
  if (target === PlatformTarget.KUBERNETES && alert.metric.promQl === undefined) {
    problems.push(invalidPropMessage(scope, prop('metric'), 'has no PromQL expression, and Kubernetes has no CloudWatch', alert.metric.label,
      'a construct\'s metric*() on kubernetes, or PlatformMetric.fromPromQl'));
  }
  const cloudWatchOnly = target === PlatformTarget.AWS && alert.metric.promQl === undefined ? alert.metric.cloudWatch : undefined;
  if (cloudWatchOnly && !cloudWatchAlarms) {
    // The built-in alarms are left out with the flag; a user's alert cannot be dropped without a word.
    problems.push(invalidPropMessage(scope, prop('metric'), 'can only be a CloudWatch alarm (it has no PromQL expression), but aws.cloudWatchAlarms is false',
      alert.metric.label, 'set aws.cloudWatchAlarms to true (which adds the built-in alarms too), or alert on a metric with a PromQL expression, ' +
      'which becomes a rule of the Prometheus workspace'));
  }
  const metricsInExpression = Object.keys(cloudWatchOnly?.toMetricConfig().mathExpression?.usingMetrics ?? {}).length;
  if (metricsInExpression > MAX_ALARM_METRICS) {
    problems.push(invalidPropMessage(scope, prop('metric'), `combines more CloudWatch metrics than an alarm takes (${MAX_ALARM_METRICS})`,
      `${alert.metric.label}: ${metricsInExpression} metrics`, 'alert on one node\'s metric, e.g. PlatformMetric.fromCloudWatch(cache.metric(name, { cacheClusterId }))'));
  }
  return problems;
}

/**
 * The rule group of the alerts that have PromQL (pure). Summaries and descriptions are Go template
 * text for themselves: Prometheus expands annotations as templates, and a user's `{{` stays text.
 */
export function userAlertGroup(alerts: readonly UserAlertSpec[], names: HttpSignals): RuleGroup | undefined {
  const rules: AlertRule[] = alerts.filter(a => a.metric._promQlWith(names) !== undefined).map(a => ({
    alert: a.id,
    expr: `(${a.metric._promQlWith(names)}) ${a.comparison} ${promNumber(a.threshold)}`,
    ...(a.durationSeconds > 0 ? { for: `${Math.ceil(a.durationSeconds)}s` } : {}),
    labels: { severity: a.severity, source: 'user' },
    annotations: { summary: goTemplateText(a.summary), description: goTemplateText(a.description) },
  }));
  return rules.length > 0 ? { name: USER_ALERT_GROUP, rules } : undefined;
}

const CLOUDWATCH_COMPARISON: Record<AlertComparison, cloudwatch.ComparisonOperator> = {
  [AlertComparison.GREATER_THAN]: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  [AlertComparison.GREATER_THAN_OR_EQUAL]: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  [AlertComparison.LESS_THAN]: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
  [AlertComparison.LESS_THAN_OR_EQUAL]: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
};

/** The CloudWatch alarm properties of a user alert whose metric is CloudWatch only (pure). */
export function userAlarmProps(alert: UserAlertSpec, metric: cloudwatch.IMetric): cloudwatch.AlarmProps {
  const config = metric.toMetricConfig();
  const periodSeconds = config.metricStat?.period.toSeconds() ?? config.mathExpression?.period ?? 300;
  return {
    metric,
    threshold: alert.threshold,
    comparisonOperator: CLOUDWATCH_COMPARISON[alert.comparison],
    evaluationPeriods: Math.max(1, Math.ceil(alert.durationSeconds / periodSeconds)),
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    // The built-in alarms' convention: the alert name first, so both targets name an alert alike.
    alarmDescription: `[${alert.id}] ${alert.severity}: ${alert.summary}`,
  };
}
