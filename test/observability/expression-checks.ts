import { AlertRule, PanelSpec, RuleGroup } from '../../src/observability/alerting/rule-types';

/** One thing that must hold in a fixture: `expr` (wrapped in absent()) must select a series. */
export interface ExpressionCheck {
  /** What is checked, for the failure message. */
  readonly name: string;
  /** A PromQL expression that must return at least one series. */
  readonly expr: string;
}

/**
 * The expression with every comparison against a number turned into a filter that keeps every
 * sample: what the alert or panel looks at, whatever its threshold and whatever the fixture's values.
 */
export function withoutThresholds(expr: string): string {
  return expr.replace(/\s(==|!=|>=|<=|>|<)\s+(-?[0-9][0-9.e+-]*)(?![\w.])/g, ' >= -Inf');
}

/** Every `metric{matchers}` selector of an expression. */
export function vectorSelectors(expr: string): string[] {
  return [...new Set([...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/g)].map(m => m[0]))];
}

/** Labels an alert's annotations read (`$labels.x`). */
export function annotationLabels(rule: AlertRule): string[] {
  return [...new Set(Object.values(rule.annotations).flatMap(text => [...text.matchAll(/\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)/g)].map(m => m[1])))];
}

/** Labels a legend format reads (`{{x}}`). */
export function legendLabels(legend: string): string[] {
  return [...new Set([...legend.matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g)].map(m => m[1]))];
}

/** `expr` returns a series whose `label` is set (not empty). */
export function hasLabel(expr: string, label: string): string {
  return `count by (${label}) (${expr}) unless on (${label}) count by (${label}) (vector(1))`;
}

function checksOf(what: string, expr: string, labels: readonly string[], wholeExpression: boolean): ExpressionCheck[] {
  const signal = withoutThresholds(expr);
  return [
    ...vectorSelectors(expr).map(selector => ({ name: `${what}: ${selector} selects a series`, expr: selector })),
    ...wholeExpression ? [
      { name: `${what}: the expression selects a series`, expr: signal },
      ...labels.map(label => ({ name: `${what}: label ${label} is set on its result`, expr: hasLabel(signal, label) })),
    ] : [],
  ];
}

/**
 * What must hold for every rule: each selector selects a series, the expression (thresholds
 * aside) returns one, and every label the annotations read is set on it. `eventAlerts` maps
 * alerts that compare the present with the past (a steady fixture cannot trigger them) to why:
 * only their selectors are checked here; their promtool unit cases cover the rest.
 */
export function ruleChecks(groups: readonly RuleGroup[], eventAlerts: Record<string, string>): ExpressionCheck[] {
  return groups.flatMap(g => g.rules.flatMap(rule => 'alert' in rule
    ? checksOf(`alert ${rule.alert}`, rule.expr, annotationLabels(rule), !(rule.alert in eventAlerts))
    : checksOf(`recording ${rule.record}`, rule.expr, [], true)));
}

/** What must hold for every dashboard query: it returns a series, with every label its legend reads. */
export function panelChecks(job: string, panels: readonly PanelSpec[]): ExpressionCheck[] {
  return panels.flatMap(panel => panel.queries.flatMap(q =>
    checksOf(`dashboard ${job} "${panel.title}" ${q.expr}`, q.expr, legendLabels(q.legend), true)));
}

/** A `promtool test rules` file asserting every check at `evalTime` (absent() of a non-empty result is empty). */
export function checksTestFile(
  ruleFile: string, series: ReadonlyArray<{ series: string; values: string }>, checks: readonly ExpressionCheck[], evalTime: string,
): unknown {
  return {
    rule_files: [ruleFile],
    evaluation_interval: '1m',
    tests: [{
      interval: '1m',
      input_series: series,
      promql_expr_test: checks.map(c => ({ expr: `absent(${c.expr})`, eval_time: evalTime, exp_samples: [] })),
    }],
  };
}
