import * as fs from 'fs';
import * as path from 'path';
import { ALERT_CASES, promtoolTests, RULES_INPUT } from './alert-cases';
import { DESTINATIONS, everyCollectorConfig, kubernetesCollector } from './collector-configs';
import { expressionsAsRules, hasAmtool, hasPromtool, run, withFiles } from './engines';
import { alertRuleGroups, alertsOf } from '../../src/observability/alerting/alert-rules';
import { alertmanagerConfig, ampAlertmanagerConfig, toYaml } from '../../src/observability/alerting/alertmanager-config';
import { AlertReceiver } from '../../src/observability/alerting/receivers';
import { dashboardExpressions, dashboardUid, grafanaDashboard } from '../../src/observability/grafana/dashboards';
import { prometheusConfig } from '../../src/observability/metrics/prometheus-config';
import { adotPrometheusConfig } from '../../src/observability/tracing/otel-collector-config';
import { PlatformSecret } from '../../src/platform/secret';

const groups = alertRuleGroups(RULES_INPUT);
const rulesYaml = toYaml({ groups });
const testFiles = (cases: typeof ALERT_CASES) =>
  Object.fromEntries(Object.entries(promtoolTests('rules.yml', cases)).map(([name, file]) => [name, toYaml(file)]));

describe('alert rules with promtool', () => {
  test('promtool check rules accepts every group', () => {
    if (!hasPromtool()) return;
    const result = withFiles({ 'rules.yml': rulesYaml }, dir => run('promtool', ['check', 'rules', path.join(dir, 'rules.yml')]));
    expect(result.output).toContain(`SUCCESS: ${groups.flatMap(g => g.rules).length} rules found`);
    expect(result.status).toBe(0);
  });

  test('every alert has a unit test that fires and one that stays silent', () => {
    const alerts = alertsOf(groups).map(a => a.alert);
    expect(new Set(alerts).size).toBe(alerts.length);
    for (const alert of alerts) {
      expect(ALERT_CASES.filter(c => c.alert === alert && c.expected.length > 0).length).toBeGreaterThanOrEqual(1);
      expect(ALERT_CASES.filter(c => c.alert === alert && c.expected.length === 0).length).toBeGreaterThanOrEqual(1);
    }
    expect(ALERT_CASES.every(c => alerts.includes(c.alert))).toBe(true);
  });

  test('promtool test rules: every case passes', () => {
    if (!hasPromtool()) return;
    const tests = testFiles(ALERT_CASES);
    const result = withFiles({ 'rules.yml': rulesYaml, ...tests }, dir => run('promtool', ['test', 'rules', ...Object.keys(tests)], dir));
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
    console.info(`promtool test rules: ${alertsOf(groups).length} alert rules, ${ALERT_CASES.length} unit tests passed`);
  });

  test('promtool test rules fails a case whose expectation is wrong (the harness can fail)', () => {
    if (!hasPromtool()) return;
    const wrong = { ...ALERT_CASES[0], expected: [] };
    const tests = testFiles([wrong]);
    const result = withFiles({ 'rules.yml': rulesYaml, ...tests }, dir => run('promtool', ['test', 'rules', ...Object.keys(tests)], dir));
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/alertname: SloErrorBudgetBurnFast/);
  });
});

describe('prometheus.yml with promtool', () => {
  test('promtool check config accepts the Kubernetes configuration and its rule files', () => {
    if (!hasPromtool()) return;
    const result = withFiles({ 'rules/platform.yml': rulesYaml }, dir => {
      const config = prometheusConfig({
        platformName: 'shop',
        scrapeIntervalSeconds: 30,
        targets: RULES_INPUT.jobs.map(j => ({ job: j.job, dnsName: `${j.job}-metrics.shop.svc.cluster.local`, port: 9090, path: '/metrics' })),
        alertmanager: { dnsName: 'alertmanager-headless.shop.svc.cluster.local', port: 9093 },
        ruleFiles: path.join(dir, 'rules', '*.yml'),
      });
      fs.writeFileSync(path.join(dir, 'prometheus.yml'), toYaml(config));
      return run('promtool', ['check', 'config', path.join(dir, 'prometheus.yml')]);
    });
    expect(result.output).toMatch(/SUCCESS: .*prometheus\.yml is valid prometheus config file syntax/);
    expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(result.status).toBe(0);
  });

  test('promtool check config accepts the ADOT collector scrape configuration', () => {
    if (!hasPromtool()) return;
    const config = adotPrometheusConfig({
      region: 'us-east-1',
      clusterName: 'platform',
      remoteWriteUrl: 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write',
      scrapeIntervalSeconds: 30,
      scrapeEcsTasks: true,
      dnsTargets: [{ job: 'sessions', dnsName: 'sessions.platform.internal', port: 9121, path: '/metrics' }],
      logGroupName: 'otlp',
      haCluster: 'platform-adot',
    });
    const result = withFiles({ 'prometheus.yml': toYaml(config) }, dir => run('promtool', ['check', 'config', path.join(dir, 'prometheus.yml')]));
    expect(result.output).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
  });
});

describe('alertmanager.yml with amtool', () => {
  const receivers = [
    AlertReceiver.webhook('https://hooks.example.com/alerts'),
    AlertReceiver.slack({ apiUrlSecret: PlatformSecret.named('slack-webhook', 'url'), channel: '#alerts' }),
    AlertReceiver.email({
      to: 'oncall@example.com',
      sender: 'alerts@example.com',
      smarthost: 'smtp.example.com:587',
      username: 'alerts',
      passwordSecret: PlatformSecret.named('smtp', 'password'),
    }),
  ];
  const secretFile = (s: PlatformSecret) => `/etc/alertmanager/secrets/${s.secretName}/${s.key}`;

  test.each([
    ['Kubernetes, every receiver type', alertmanagerConfig(receivers, secretFile)],
    ['Kubernetes, no receiver (alerts only in the UI)', alertmanagerConfig([], secretFile)],
    ['Amazon Managed Service for Prometheus (SNS)', ampAlertmanagerConfig('arn:aws:sns:us-east-1:123456789012:alerts', 'us-east-1')],
  ])('amtool check-config accepts %s', (_name, config) => {
    if (!hasAmtool()) return;
    const result = withFiles({ 'alertmanager.yml': toYaml(config) }, dir => run('amtool', ['check-config', path.join(dir, 'alertmanager.yml')]));
    expect(result.output).toContain('SUCCESS');
    expect(result.output).toContain('1 receivers');
    expect(result.output).toContain('2 inhibit rules');
    expect(result.status).toBe(0);
  });

  test('credentials are referenced by file, never inlined', () => {
    const text = toYaml(alertmanagerConfig(receivers, secretFile));
    expect(text).toContain('api_url_file: /etc/alertmanager/secrets/slack-webhook/url');
    expect(text).toContain('auth_password_file: /etc/alertmanager/secrets/smtp/password');
    expect(text).not.toMatch(/api_url:|auth_password:/);
  });
});

describe('dashboards with promtool', () => {
  test('every PromQL expression of every dashboard parses', () => {
    const expressions = RULES_INPUT.jobs.flatMap(({ job, kind }) =>
      dashboardExpressions(grafanaDashboard({ job, kind, serviceMetrics: RULES_INPUT.serviceMetrics, errorBudget: 0.001 })));
    expect(expressions.length).toBeGreaterThan(20);
    if (!hasPromtool()) return;
    const result = withFiles({ 'dashboards.yml': toYaml(expressionsAsRules(expressions)) },
      dir => run('promtool', ['check', 'rules', path.join(dir, 'dashboards.yml')]));
    expect(result.output).toContain(`SUCCESS: ${expressions.length} rules found`);
    expect(result.status).toBe(0);
  });

  test('the parse check rejects a broken expression', () => {
    if (!hasPromtool()) return;
    const result = withFiles({ 'bad.yml': toYaml(expressionsAsRules(['sum by (job (rate(x[5m]))'])) },
      dir => run('promtool', ['check', 'rules', path.join(dir, 'bad.yml')]));
    expect(result.status).not.toBe(0);
  });
});

/** What an OpenTelemetry Collector refuses at start: pipelines naming undefined components, unknown extensions. */
function collectorProblems(config: any): string[] {
  const problems: string[] = [];
  for (const [name, pipeline] of Object.entries<any>(config.service.pipelines)) {
    for (const kind of ['receivers', 'processors', 'exporters']) {
      for (const id of pipeline[kind] ?? []) if (!(id in (config[kind] ?? {}))) problems.push(`${name}: ${kind} ${id} is not defined`);
    }
    if (!/^(traces|metrics|logs)(\/.+)?$/.test(name)) problems.push(`${name} is not a pipeline type`);
  }
  for (const id of config.service.extensions ?? []) if (!(id in (config.extensions ?? {}))) problems.push(`extension ${id} is not defined`);
  for (const id of Object.keys(config.extensions ?? {})) if (!config.service.extensions.includes(id)) problems.push(`extension ${id} is never enabled`);
  return problems;
}

describe('collector and Grafana configurations (no binary here: checked structurally)', () => {
  test.each(everyCollectorConfig())('%s: every pipeline component is defined, every extension enabled', (_name, config) => {
    expect(collectorProblems(config)).toEqual([]);
  });

  test('the structural check catches a pipeline naming an undefined exporter', () => {
    const broken = kubernetesCollector(DESTINATIONS['in-cluster Loki']) as any;
    delete broken.exporters['otlp/jaeger'];
    expect(collectorProblems(broken)).toEqual(['traces: exporters otlp/jaeger is not defined']);
  });

  test('dashboards: unique panel ids on a 24-column grid, a uid Grafana accepts, every query with a refId', () => {
    for (const { job, kind } of [...RULES_INPUT.jobs, { job: 'a-very-long-service-name-that-exceeds-forty-chars', kind: 'service' }]) {
      const dashboard: any = grafanaDashboard({ job, kind, serviceMetrics: RULES_INPUT.serviceMetrics, errorBudget: 0.001 });
      expect(dashboard.uid.length).toBeLessThanOrEqual(40);
      expect(new Set(dashboard.panels.map((p: any) => p.id)).size).toBe(dashboard.panels.length);
      for (const panel of dashboard.panels) {
        expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
        expect(panel.targets.every((t: any) => /^[A-Z]$/.test(t.refId) && t.expr)).toBe(true);
      }
    }
    expect(dashboardUid('a-very-long-service-name-that-exceeds-forty-chars')).not.toBe(dashboardUid('a-very-long-service-name-that-exceeds-forty-chars-2'));
  });
});
