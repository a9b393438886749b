import * as path from 'path';
import { hasPromtool, run, withFiles } from './engines';
import { AlertReceiver, ObservabilityStack } from '../../src/observability';
import { toYaml } from '../../src/observability/alerting/alertmanager-config';
import { RolloutStrategy, ServiceCluster } from '../../src/service-cluster';
import { findObject, kubernetesChart, manifestsOf } from '../util';

/**
 * The canary analysis, proved with the real engine: the queries the synthesized AnalysisTemplate
 * carries, evaluated by promtool over the rule file the same ObservabilityStack renders. The
 * analysis succeeds while every query returns 0 (`result[0] == 0`).
 */
function gatedPlatform() {
  const chart = kubernetesChart();
  new ServiceCluster(chart, 'Orders', { image: 'ghcr.io/acme/orders:2.0.0', rollout: RolloutStrategy.sloGatedCanary() });
  const observability = new ObservabilityStack(chart, 'Observability', { receivers: [AlertReceiver.webhook('https://oncall.example.com/hooks/platform')] });
  const template = findObject(manifestsOf(chart), 'AnalysisTemplate', 'orders');
  const queries: Record<string, string> = Object.fromEntries(template.spec.metrics.map((m: any) => [m.name, m.provider.prometheus.query]));
  return { rulesYaml: observability.renderAlertRules(), queries };
}

const request = (code: string, values: string) => ({ series: `http_requests_total{job="orders", instance="10.0.0.7:8080", code="${code}"}`, values });

/**
 * 100 requests per second for 7 hours on the stable version (longer than the longest fast-burn
 * window); then a canary takes 20 % of the traffic for 30 minutes. A burning canary answers all of
 * its share with 500s.
 */
const SCENARIOS = {
  burning: [request('200', '0+6000x420 2524800+4800x29'), request('500', '0x420 1200+1200x29')],
  // A healthy service fails 0.05 % of its requests: well inside a 99.9 % objective.
  healthy: [request('200', '0+6000x450'), request('500', '0+3x450')],
};

type Expected = Record<keyof typeof SCENARIOS, Record<string, number>>;

function promtoolCases(queries: Record<string, string>, evalTime: string, expected: Expected) {
  return (Object.keys(SCENARIOS) as Array<keyof typeof SCENARIOS>).map(scenario => ({
    name: `${scenario} canary at ${evalTime}`,
    interval: '1m',
    input_series: SCENARIOS[scenario],
    promql_expr_test: Object.entries(queries).map(([name, expr]) =>
      ({ expr, eval_time: evalTime, exp_samples: [{ labels: '{}', value: expected[scenario][name] }] })),
  }));
}

function promtoolTest(rulesYaml: string, tests: unknown[]) {
  const file = toYaml({ rule_files: ['rules.yml'], evaluation_interval: '1m', tests });
  return withFiles({ 'rules.yml': rulesYaml, 'tests.yml': file }, dir => run('promtool', ['test', 'rules', path.join(dir, 'tests.yml')], dir));
}

describe('the SLO-gated canary analysis with promtool', () => {
  const { rulesYaml, queries } = gatedPlatform();

  test('the analysis carries the fast-burn and error-rate queries', () => {
    expect(Object.keys(queries)).toEqual(['error-budget-burn-fast', 'error-rate']);
  });

  test('a burning canary fails both measurements; a healthy one passes them', () => {
    if (!hasPromtool()) return;
    // 15 minutes into the canary: the 5-minute ratio is 20 %, the 1-hour ratio 5 %; both above 14.4 × 0.1 %.
    const result = promtoolTest(rulesYaml, promtoolCases(queries, '435m', {
      burning: { 'error-budget-burn-fast': 1, 'error-rate': 1 },
      healthy: { 'error-budget-burn-fast': 0, 'error-rate': 0 },
    }));
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  test('the error rate stops a burning canary within minutes, before the hour window confirms the burn', () => {
    if (!hasPromtool()) return;
    // 3 minutes in: the 1-hour ratio (1 %) and the 6-hour one (0.17 %) are under their burn thresholds; the 5-minute one (20 %) is far above 1 %.
    const result = promtoolTest(rulesYaml, promtoolCases(queries, '423m', {
      burning: { 'error-budget-burn-fast': 0, 'error-rate': 1 },
      healthy: { 'error-budget-burn-fast': 0, 'error-rate': 0 },
    }));
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  test('the harness can fail: a burning canary expected to pass is reported', () => {
    if (!hasPromtool()) return;
    const result = promtoolTest(rulesYaml, promtoolCases(queries, '435m', {
      burning: { 'error-budget-burn-fast': 0, 'error-rate': 0 },
      healthy: { 'error-budget-burn-fast': 0, 'error-rate': 0 },
    }));
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('ratio_rate1h');
    expect(result.output).toMatch(/exp: \{\} 0E\+00\s+got: \{\} 1E\+00/);
  });
});
