import { AlertRule, AlertThresholds, HttpSignals, jobSelector, promNumber, RecordingRule, RuleGroup, WatchedJob } from './rule-types';
import { latencyQuantile } from '../metrics/http-expressions';
import { SIGNALS } from '../metrics/signals';

export type { WatchedJob } from './rule-types';

/** Service level objectives with every default applied. */
export interface SloTargets {
  /** Fraction of requests that must not fail with a 5xx, e.g. 0.999. */
  readonly availability: number;
  /** p95 latency objective in seconds, e.g. 0.5. */
  readonly latencyP95Seconds: number;
  /** Highest acceptable 5xx ratio over 5 minutes, e.g. 0.01. */
  readonly errorRate: number;
}

export interface AlertRulesInput {
  readonly jobs: readonly WatchedJob[];
  readonly slo: SloTargets;
  readonly thresholds: AlertThresholds;
  /** HTTP metric names of `service` jobs. */
  readonly serviceMetrics: HttpSignals;
}

/**
 * Multi-window, multi-burn-rate alerts (Google SRE workbook, "Alerting on SLOs", 30-day budget):
 * page when 2 % of the budget burns in 1 h or 5 % in 6 h; ticket when 10 % burns in 1 d or in 3 d.
 * Each long window is paired with a short one (1/12 of it) so the alert resets soon after recovery.
 */
export const BURN_RATE_WINDOWS = {
  fast: [{ long: '1h', short: '5m', factor: 14.4 }, { long: '6h', short: '30m', factor: 6 }],
  slow: [{ long: '1d', short: '2h', factor: 3 }, { long: '3d', short: '6h', factor: 1 }],
} as const;

const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];
export const ERROR_RATIO = (window: string) => `job:slo_request_errors:ratio_rate${window}`;
/** Scrape targets Prometheus cannot reach. */
export const TARGET_DOWN = 'up == 0';
export const ROUTE_P95 = 'job_route:request_duration_seconds:p95_rate5m';

/** Rule groups (pure): SLO recordings and alerts for HTTP kinds, scrape health, and per-kind resource alerts. */
export function alertRuleGroups(input: AlertRulesInput): RuleGroup[] {
  const byKind = groupByKind(input.jobs);
  const recordings: RecordingRule[] = [];
  for (const [kind, jobs] of byKind) {
    const http = SIGNALS[kind]?.http?.(input.serviceMetrics);
    if (http) recordings.push(...sloRecordings(kind, jobs.map(j => j.job), http));
  }
  const groups: RuleGroup[] = [];
  if (recordings.length > 0) {
    groups.push({ name: 'platform-slo-recordings', rules: recordings });
    groups.push({ name: 'platform-slo-alerts', rules: sloAlerts(input.slo) });
  }
  // Every scrape job, the stack's own components included: a target that cannot be scraped is blind.
  groups.push({ name: 'platform-targets', rules: [targetDown()] });
  for (const [kind, jobs] of byKind) {
    const rules = SIGNALS[kind]?.alerts(jobs, input.thresholds) ?? [];
    if (rules.length > 0) groups.push({ name: `platform-${kind}`, rules });
  }
  return groups;
}

/** Every alert rule in `groups`. */
export function alertsOf(groups: readonly RuleGroup[]): AlertRule[] {
  return groups.flatMap(g => g.rules).filter((r): r is AlertRule => 'alert' in r);
}

function groupByKind(jobs: readonly WatchedJob[]): Map<string, WatchedJob[]> {
  const byKind = new Map<string, WatchedJob[]>();
  for (const job of jobs) byKind.set(job.kind, [...(byKind.get(job.kind) ?? []), job]);
  return byKind;
}

/**
 * 5xx ratio over every burn-rate window, and p95 latency per route. The `kind` label keeps the
 * series of different kinds apart (two kinds recording one name would collide).
 */
function sloRecordings(kind: string, jobs: readonly string[], http: HttpSignals): RecordingRule[] {
  const labels = { kind };
  const all = jobSelector(jobs);
  const errors = jobSelector(jobs, `${http.statusLabel}=~"5.."`);
  const ratios = WINDOWS.map(w => ({
    record: ERROR_RATIO(w),
    // `or … * 0` records an explicit 0 for jobs that have served no 5xx yet.
    expr: `(sum by (job) (rate(${http.requests}{${errors}}[${w}])) or sum by (job) (rate(${http.requests}{${all}}[${w}])) * 0)` +
      ` / sum by (job) (rate(${http.requests}{${all}}[${w}]))`,
    labels,
  }));
  return [...ratios, { record: ROUTE_P95, expr: latencyQuantile(0.95, http, all, true), labels }];
}

/**
 * The burn-rate condition over `windows` (pure). `selector` narrows the recorded ratios (e.g.
 * `job="orders"`): the deployment gate evaluates the alerts' own condition for one service.
 */
export function burnRateExpression(slo: SloTargets, windows: ReadonlyArray<{ long: string; short: string; factor: number }>, selector = ''): string {
  const budget = 1 - slo.availability;
  const ratio = (window: string) => selector ? `${ERROR_RATIO(window)}{${selector}}` : ERROR_RATIO(window);
  return windows
    .map(({ long, short, factor }) => {
      const threshold = promNumber(factor * budget);
      return `(${ratio(long)} > ${threshold} and ${ratio(short)} > ${threshold})`;
    })
    .join(' or ');
}

/** The condition of `SloErrorRateHigh` (pure), narrowed by `selector` as in `burnRateExpression`. */
export function errorRateExpression(slo: SloTargets, selector = ''): string {
  return `${ERROR_RATIO('5m')}${selector ? `{${selector}}` : ''} > ${promNumber(slo.errorRate)}`;
}

function sloAlerts(slo: SloTargets): AlertRule[] {
  const burn = (windows: ReadonlyArray<{ long: string; short: string; factor: number }>) => burnRateExpression(slo, windows);
  const target = `${promNumber(slo.availability * 100)} %`;
  return [
    {
      alert: 'SloErrorBudgetBurnFast',
      expr: burn(BURN_RATE_WINDOWS.fast),
      labels: { severity: 'page', slo: 'availability' },
      annotations: {
        summary: '{{ $labels.job }} is burning its error budget fast',
        description: `At this 5xx ratio ({{ $value | humanizePercentage }}) the ${target} availability budget of 30 days is gone in under 5 days.`,
      },
    },
    {
      alert: 'SloErrorBudgetBurnSlow',
      expr: burn(BURN_RATE_WINDOWS.slow),
      labels: { severity: 'ticket', slo: 'availability' },
      annotations: {
        summary: '{{ $labels.job }} is steadily burning its error budget',
        description: `At this 5xx ratio ({{ $value | humanizePercentage }}) the ${target} availability budget of 30 days runs out before the window ends.`,
      },
    },
    {
      alert: 'SloErrorRateHigh',
      expr: errorRateExpression(slo),
      for: '5m',
      labels: { severity: 'warning', slo: 'error-rate' },
      annotations: {
        summary: '{{ $labels.job }} answers too many requests with 5xx',
        description: `{{ $value | humanizePercentage }} of requests failed over 5 minutes (objective: under ${promNumber(slo.errorRate * 100)} %).`,
      },
    },
    {
      alert: 'SloLatencyP95High',
      expr: `${ROUTE_P95} > ${promNumber(slo.latencyP95Seconds)}`,
      for: '5m',
      labels: { severity: 'warning', slo: 'latency' },
      annotations: {
        summary: '{{ $labels.job }} route {{ $labels.route }} is slow',
        description: `p95 latency is {{ $value | humanizeDuration }} (objective: under ${promNumber(slo.latencyP95Seconds * 1000)} ms).`,
      },
    },
  ];
}

function targetDown(): AlertRule {
  return {
    alert: 'MetricsTargetDown',
    expr: TARGET_DOWN,
    for: '5m',
    labels: { severity: 'critical' },
    annotations: {
      summary: '{{ $labels.job }} instance {{ $labels.instance }} is down',
      description: 'Prometheus has not been able to scrape {{ $labels.instance }} for 5 minutes.',
    },
  };
}
