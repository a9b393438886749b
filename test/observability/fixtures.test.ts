import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { RULES_INPUT } from './alert-cases';
import { hasPromtool, run, withFiles } from './engines';
import { checksTestFile, ExpressionCheck, panelChecks, ruleChecks, withoutThresholds } from './expression-checks';
import { asInputSeries, fixtureHeader, fixtureSamples, parseExposition, Sample } from './metric-fixtures';
import { CacheCluster } from '../../src/cache-cluster';
import { Gateway, TlsSource } from '../../src/gateway';
import { MessageQueue } from '../../src/message-queue';
import { MongoShardedCluster } from '../../src/mongo-sharded-cluster';
import { AlertRulesInput, alertRuleGroups } from '../../src/observability/alerting/alert-rules';
import { toYaml } from '../../src/observability/alerting/alertmanager-config';
import { HttpSignals } from '../../src/observability/alerting/rule-types';
import { dashboardPanels } from '../../src/observability/grafana/dashboards';
import { KNOWN_KINDS } from '../../src/observability/metrics/signals';
import { ServiceCluster } from '../../src/service-cluster';
import { EngineSandbox, freePort, sleep } from '../cache-cluster/engine-harness';
import { requireTool } from '../conformance/tools';
import { kubernetesChart } from '../util';

/**
 * Every generated alert, recording rule and dashboard query is evaluated by promtool against
 * metric samples of the real exporters and servers at the pinned versions: upstream fixtures
 * (see each file's header) and a live scrape of Prometheus itself, which runs here.
 */

/** Which fixture stands for each kind; a kind without one fails the suite. */
const FIXTURE_OF: Record<string, { job: string; file?: string }> = {
  service: { job: 'users' },
  gateway: { job: 'edge', file: 'traefik-v3.prom' },
  cache: { job: 'sessions', file: 'redis_exporter-1.66.0.prom' },
  mongo: { job: 'catalog-db', file: 'mongodb_exporter-0.43.1.prom' },
  queue: { job: 'orders', file: 'rabbitmq-3.10.8.prom' },
};

/** Alerts that compare the present with the past: a steady scrape cannot trigger them (see ruleChecks). */
const EVENT_ALERTS: Record<string, string> = {
  CacheFailover: 'fires only when a replica of 10 minutes ago is a primary now',
};

/**
 * The service's metrics are those of a Prometheus client: here Prometheus's own (its process
 * collector and its HTTP handler metrics), with the metric names a user would give for them.
 */
const PROMETHEUS_HTTP: HttpSignals = {
  requests: 'prometheus_http_requests_total',
  duration: 'prometheus_http_request_duration_seconds',
  statusLabel: 'code',
  routeLabel: 'handler',
};

const STEPS = 40;
const EVAL_TIME = '30m';

function input(serviceMetrics: HttpSignals): AlertRulesInput {
  return {
    jobs: Object.entries(FIXTURE_OF).map(([kind, { job }]) => ({ job, kind, cpuCores: 1, memoryBytes: 2 ** 31 })),
    // The same SLOs and default thresholds as the promtool unit cases (values are neutralised here anyway).
    slo: RULES_INPUT.slo,
    thresholds: RULES_INPUT.thresholds,
    serviceMetrics,
  };
}

/** Runs every check in one promtool invocation; returns the names of those that failed. */
function failingChecks(rulesInput: AlertRulesInput, samples: readonly Sample[], checks: readonly ExpressionCheck[]): {
  failed: string[]; output: string;
} {
  const rules = toYaml({ groups: alertRuleGroups(rulesInput) });
  const tests = toYaml(checksTestFile('rules.yml', asInputSeries(samples, STEPS), checks, EVAL_TIME));
  const result = withFiles({ 'rules.yml': rules, 'checks.yml': tests }, dir => run('promtool', ['test', 'rules', 'checks.yml'], dir));
  const failedExprs = new Set([...result.output.matchAll(/expr: "absent\((.*)\)", time:/g)].map(m => JSON.parse(`"${m[1]}"`) as string));
  const failed = checks.filter(c => failedExprs.has(c.expr)).map(c => c.name);
  if (result.status !== 0 && failed.length === 0) throw new Error(`promtool failed without a recognisable check:\n${result.output}`);
  return { failed, output: result.output };
}

function get(port: number, urlPath: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // A connection per request: none is reused after the server may have closed it.
    http.request({ host: '127.0.0.1', port, path: urlPath, method, timeout: 5000, agent: false }, res => {
      let body = '';
      res.on('data', d => { body += String(d); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject).end();
  });
}

const READY_WAIT_MS = 90_000;

/** Starts the Debian `prometheus` on a free loopback port, queries it a little, and scrapes its /metrics. */
async function scrapePrometheus(sandbox: EngineSandbox): Promise<string> {
  const port = await freePort();
  const dir = sandbox.subdir('prometheus');
  const config = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(config, 'scrape_configs: []\n');
  sandbox.start('prometheus', 'prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn']);
  // Until /-/ready answers 200: a bound on a Prometheus that never starts, not a speed requirement
  // (on a loaded machine its start took longer than the 20 s this once allowed, and the test went on
  // to query a server that was not listening yet).
  const deadline = Date.now() + READY_WAIT_MS;
  for (;;) {
    const ready = await get(port, '/-/ready').catch(() => undefined);
    if (ready?.status === 200) break;
    if (!sandbox.running('prometheus')) throw new Error(`prometheus exited:\n${sandbox.log('prometheus')}`);
    if (Date.now() > deadline) throw new Error(`prometheus not ready after ${READY_WAIT_MS} ms:\n${sandbox.log('prometheus')}`);
    await sleep(200);
  }
  for (const query of ['up', 'vector(1)']) await get(port, `/api/v1/query?query=${encodeURIComponent(query)}`);
  await get(port, '/api/v1/query?query=%28'); // a 400
  // Admin APIs are off by default: a 5xx, so the 5xx ratio has a real 5xx series to count.
  const unavailable = await get(port, '/api/v1/admin/tsdb/snapshot', 'POST');
  if (unavailable.status < 500) throw new Error(`expected a 5xx from the disabled admin API, got ${unavailable.status}`);
  const metrics = await get(port, '/metrics');
  if (metrics.status !== 200) throw new Error(`/metrics answered ${metrics.status}`);
  return metrics.body;
}

describe('alert rules and dashboards against real exporter metrics', () => {
  const sandbox = new EngineSandbox();
  let samples: Sample[] | undefined;

  beforeAll(async () => {
    if (!hasPromtool() || !requireTool('prometheus', 'apt-get install prometheus')) return;
    const service = parseExposition(await scrapePrometheus(sandbox), FIXTURE_OF.service.job, '10.0.0.1:8080');
    samples = [
      ...service,
      ...Object.values(FIXTURE_OF).flatMap(({ job, file }) => file ? fixtureSamples(file, job) : []),
    ];
  }, READY_WAIT_MS + 60_000);
  afterAll(() => sandbox.stop());

  test('every kind the stack knows has a fixture, and every fixture says where it comes from', () => {
    expect(Object.keys(FIXTURE_OF).sort()).toEqual([...KNOWN_KINDS].sort());
    for (const { file } of Object.values(FIXTURE_OF)) {
      if (!file) continue;
      expect(fixtureHeader(file)).toMatch(/@ v?\d+\.\d+|doc\.traefik\.io/);
      expect(fixtureHeader(file)).toMatch(/(percona|oliver006|traefik|rabbitmq)\/[a-z_]+/);
    }
  });

  test('every alert, recording rule and dashboard query selects series, with every label it prints', () => {
    if (!samples) return;
    const rulesInput = input(PROMETHEUS_HTTP);
    const checks = [
      ...ruleChecks(alertRuleGroups(rulesInput), EVENT_ALERTS),
      ...Object.entries(FIXTURE_OF).flatMap(([kind, { job }]) =>
        panelChecks(job, dashboardPanels({ job, kind, serviceMetrics: PROMETHEUS_HTTP, errorBudget: 0.001 }))),
    ];
    expect(checks.length).toBeGreaterThan(100);
    const { failed, output } = failingChecks(rulesInput, samples, checks);
    expect({ failed, output: failed.length ? output : '' }).toEqual({ failed: [], output: '' });
    console.info(`real exporter samples: ${checks.length} checks over every rule and dashboard query, ${samples.length} samples`);
  }, 120_000);

  test('every construct metric selects series of the real exporters (the same expressions as the rules)', () => {
    if (!samples) return;
    const chart = kubernetesChart();
    const service = new ServiceCluster(chart, 'Users', { image: 'ghcr.io/acme/users:1.0.0' });
    const gateway = new Gateway(chart, 'Edge', { kubernetes: { tls: TlsSource.secret('edge-tls') } });
    const cache = new CacheCluster(chart, 'Sessions');
    const db = new MongoShardedCluster(chart, 'CatalogDb', { clusterName: 'catalog-db' });
    const queue = new MessageQueue(chart, 'Orders');
    const metrics = {
      'service request rate': service.metricRequestRate(),
      'service error rate': service.metricErrorRate(),
      'service p99': service.metricLatencyP99(),
      'service cpu': service.metricCpuUtilization(),
      'service memory': service.metricMemoryUtilization(),
      'gateway request rate': gateway.metricRequestRate(),
      'gateway error rate': gateway.metricErrorRate(),
      'gateway p99': gateway.metricLatencyP99(),
      'cache memory': cache.metricMemoryUtilization(),
      'cache cpu': cache.metricEngineCpuUtilization(),
      'cache evictions': cache.metricEvictionRate(),
      'mongo connections': db.metricConnectionsUtilization(),
      'mongo lag': db.metricReplicationLag(),
      'queue backlog': queue.metricBacklog(),
      'queue dead letters': queue.metricDeadLetteredMessages(),
      'queue consumers': queue.metricConsumers(),
    };
    const checks = Object.entries(metrics).map(([name, metric]) => ({ name, expr: metric._promQlWith(PROMETHEUS_HTTP)! }));
    expect(Object.values(metrics).map(m => m.promQl === undefined)).not.toContain(true);
    const { failed, output } = failingChecks(input(PROMETHEUS_HTTP), samples, checks);
    expect({ failed, output: failed.length ? output : '' }).toEqual({ failed: [], output: '' });
  }, 120_000);

  test('the harness fails an alert on labels the exporter does not emit', () => {
    if (!samples) return;
    const rulesInput = input(PROMETHEUS_HTTP);
    const bogus = [{
      name: 'platform-bogus',
      rules: [{
        alert: 'MongoLagOnMadeUpLabels',
        expr: 'max by (job, set, name) (mongodb_rs_members_optimeDate{job="catalog-db", member_state="SECONDARY"}) > 0',
        labels: { severity: 'warning' },
        annotations: { summary: '{{ $labels.name }} of {{ $labels.set }} lags' },
      }],
    }];
    const { failed } = failingChecks(rulesInput, samples, ruleChecks(bogus, {}));
    expect(failed).toEqual([
      'alert MongoLagOnMadeUpLabels: label name is set on its result',
      'alert MongoLagOnMadeUpLabels: label set is set on its result',
    ]);
  });

  test('thresholds are neutralised, label matchers and functions are not', () => {
    expect(withoutThresholds('rate(x{le="0.5"}[5m]) > 0.45 and y == 0 or z >= 3')).toBe('rate(x{le="0.5"}[5m]) >= -Inf and y >= -Inf or z >= -Inf');
  });
});
