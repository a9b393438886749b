import * as path from 'path';
import { Size } from 'aws-cdk-lib';
import { Chart } from 'cdk8s';
import { parse } from 'yaml';
import { ALERT_CASES, promtoolTests, RULES_INPUT } from './alert-cases';
import { hasPromtool, run, withFiles } from './engines';
import { FakeSource } from './fakes';
import { configMapData, dashboardFiles, RECEIVERS, render } from './kubernetes-fixture';
import { MetricsBackend, ObservabilityStack, ObservabilityStackProps, PrometheusOperatorOptions } from '../../src/observability';
import { alertRuleGroups, alertsOf } from '../../src/observability/alerting/alert-rules';
import { toYaml } from '../../src/observability/alerting/alertmanager-config';
import { sloGateQueries } from '../../src/observability/alerting/deployment-gate';
import { resolveObservabilitySpec } from '../../src/observability/spec';
import { AccessPurpose } from '../../src/platform/access-purpose';
import { NetworkPeer } from '../../src/platform/network';
import { PlatformProfile } from '../../src/platform/profile';
import { PlatformSecret } from '../../src/platform/secret';
import { platformWarningsOf } from '../../src/platform/warnings';
import { RolloutStrategy, ServiceCluster } from '../../src/service-cluster';
import { checkKubernetesManifests, crdSources, formatFindings, validateCustomResource } from '../conformance/kubernetes';
import { findObject, kubernetesChart, manifestsOf, objectsOfKind } from '../util';

const OPERATOR: PrometheusOperatorOptions = {
  prometheusNamespace: 'monitoring',
  monitorSelectorLabels: { release: 'kube-prometheus-stack' },
  ruleSelectorLabels: { release: 'kube-prometheus-stack', role: 'alert-rules' },
};
const operatorMode = (options: Partial<PrometheusOperatorOptions> = {}, props: ObservabilityStackProps = {}): ObservabilityStackProps => ({
  ...props,
  kubernetes: { ...props.kubernetes, metricsBackend: MetricsBackend.prometheusOperator({ ...OPERATOR, ...options }) },
});
/** The shared fixture (Users with metrics on 9090, Orders created after the stack), handing everything to the operator. */
const renderOperator = (options: Partial<PrometheusOperatorOptions> = {}, props: ObservabilityStackProps = {}) =>
  render({ ...operatorMode(options, props), receivers: undefined });
const PROMETHEUS_PEER = {
  podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
};

describe('ObservabilityStack with an existing Prometheus Operator', () => {
  test('matches the snapshot', () => {
    expect(renderOperator().manifests).toMatchSnapshot();
  });

  test('conformance: strict schema (every ServiceMonitor and the PrometheusRule against the operator\'s own CRDs), Pod Security and reliability rules', () => {
    const { manifests } = renderOperator();
    const custom = manifests.filter(o => o.apiVersion === 'monitoring.coreos.com/v1');
    expect(custom.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      ['PrometheusRule/platform-rules', 'ServiceMonitor/jaeger', 'ServiceMonitor/loki', 'ServiceMonitor/orders', 'ServiceMonitor/otel-collector', 'ServiceMonitor/users']);
    expect(formatFindings(checkKubernetesManifests(manifests).findings)).toBe('');
    console.info(`prometheus operator objects: ${custom.length} valid against ${crdSources().filter(s => s.startsWith('monitoring.coreos.com/')).join('; ')}`);
  });

  test('the CRD check fails an unknown field, a wrong type and a bad name (the harness can fail)', () => {
    const monitor = findObject(renderOperator().manifests, 'ServiceMonitor', 'users');
    const broken = {
      ...monitor,
      metadata: { ...monitor.metadata, name: 'Users' },
      spec: { ...monitor.spec, endpoints: [{ ...monitor.spec.endpoints[0], honourLabels: true, scheme: 'ftp' }], jobLabel: 3 },
    };
    expect(validateCustomResource(broken).map(f => f.message).sort()).toEqual([
      'metadata.name: "Users" is not a DNS subdomain',
      'spec.endpoints[0].honourLabels: unknown field',
      'spec.endpoints[0].scheme: "ftp" is not one of http, https, HTTP, HTTPS',
      'spec.jobLabel: expected string, got integer',
    ]);
    const rule = findObject(renderOperator().manifests, 'PrometheusRule', 'platform-rules');
    // partial_response_strategy is a Go RE2 pattern with (?i): WARN is valid, the interval is not.
    const badRule = { ...rule, spec: { groups: [{ ...rule.spec.groups[0], interval: '5 minutes', partial_response_strategy: 'WARN' }] } };
    expect(validateCustomResource(badRule).map(f => f.message)).toEqual([
      expect.stringMatching(/^spec\.groups\[0\]\.interval: "5 minutes" does not match/),
    ]);
    // A kind of the operator's with no stored CRD is an unknown kind, never passed unchecked.
    expect(checkKubernetesManifests([{ ...monitor, kind: 'PodMonitor' }]).findings.map(f => `${f.rule} ${f.object}`)).toEqual(['Schema-UnknownKind monitoring.coreos.com/v1/PodMonitor shop/users']);
  });

  test('only the collector, Jaeger and the log store run: no Prometheus, Alertmanager or Grafana', () => {
    const { manifests, stack } = renderOperator();
    expect(objectsOfKind(manifests, 'StatefulSet').map(o => o.metadata.name)).toEqual(['jaeger', 'loki']);
    expect(objectsOfKind(manifests, 'Deployment').map(o => o.metadata.name).sort()).toEqual(['orders', 'otel-collector', 'users']);
    const resources = stack.kubernetes!;
    const bundledOnly = [resources.prometheus, resources.alertmanager, resources.grafana, resources.prometheusRules];
    expect(bundledOnly).toEqual([undefined, undefined, undefined, undefined]);
    const monitors = resources.prometheusOperator!.serviceMonitors;
    expect(monitors.map(m => m.name).sort()).toEqual(['jaeger', 'loki', 'orders', 'otel-collector', 'users']);
    expect(resources.prometheusOperator!.prometheusRule.kind).toBe('PrometheusRule');
    expect(stack.otlpEndpoint.url).toBe('http://otel-collector.shop.svc.cluster.local:4318');
  });

  test('each ServiceMonitor scrapes exactly what the bundled Prometheus scrapes: Service, port, path, scheme, timing, labels', () => {
    const operator = renderOperator({}, { scrapeInterval: undefined }).manifests;
    const bundled = parse(configMapData(render().manifests, 'prometheus')['prometheus.yml']);
    const jobs = bundled.scrape_configs.filter((c: any) => !['prometheus', 'alertmanager'].includes(c.job_name));
    expect(jobs.map((c: any) => c.job_name).sort()).toEqual(['jaeger', 'loki', 'orders', 'otel-collector', 'users']);
    for (const job of jobs) {
      const monitor = findObject(operator, 'ServiceMonitor', job.job_name);
      const [endpoint] = monitor.spec.endpoints;
      const [sd] = job.dns_sd_configs;
      // The Service the monitor selects is the one whose DNS name the bundled Prometheus resolves, and its named port is that port.
      const service = findObject(operator, 'Service', monitor.spec.selector.matchLabels['app.kubernetes.io/name']);
      expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
      expect(`${service.metadata.name}.${monitor.spec.namespaceSelector.matchNames[0]}.svc.cluster.local`).toBe(sd.names[0]);
      expect(service.spec.ports.find((p: any) => p.name === endpoint.port).port).toBe(sd.port);
      expect(service.spec.clusterIP).toBe('None');
      expect(endpoint).toEqual({
        port: endpoint.port,
        path: job.metrics_path,
        scheme: job.scheme,
        interval: bundled.global.scrape_interval,
        scrapeTimeout: bundled.global.scrape_timeout,
        ...(job.honor_labels ? { honorLabels: true } : {}),
        // The operator names the job after the Service: the rules select on the construct's job name.
        relabelings: [{ action: 'replace', targetLabel: 'job', replacement: job.job_name }],
      });
      expect(monitor.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    }
  });

  test('the PrometheusRule holds the bundled rule file\'s groups, labelled for the rule selector', () => {
    const rule = findObject(renderOperator().manifests, 'PrometheusRule', 'platform-rules');
    const bundled = parse(configMapData(render().manifests, 'prometheus-rules')['platform.yml']);
    expect(rule.spec).toEqual(bundled);
    expect(rule.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack', role: 'alert-rules' });
  });

  test('dashboards: the bundled dashboards, in ConfigMaps carrying the Grafana sidecar label', () => {
    const { manifests } = renderOperator();
    expect(dashboardFiles(manifests)).toEqual(dashboardFiles(render().manifests));
    expect(Object.keys(dashboardFiles(manifests)).sort()).toEqual(['_platform-logs.json', 'orders.json', 'users.json']);
    for (const map of manifests.filter(o => o.kind === 'ConfigMap' && o.metadata.name.startsWith('grafana-dashboards-'))) {
      expect(map.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
    }
    const custom = renderOperator({ grafanaDashboardLabels: { 'grafana.example/dashboard': 'platform' } }).manifests;
    expect(findObject(custom, 'ConfigMap', 'grafana-dashboards-0').metadata.labels).toMatchObject({ 'grafana.example/dashboard': 'platform' });
    expect(findObject(custom, 'ConfigMap', 'grafana-dashboards-0').metadata.labels.grafana_dashboard).toBeUndefined();
  });

  test('NetworkPolicies admit the operator\'s Prometheus, in its namespace, to the metrics ports only', () => {
    const { manifests } = renderOperator();
    expect(findObject(manifests, 'NetworkPolicy', 'users').spec.ingress).toContainEqual({ from: [PROMETHEUS_PEER], ports: [{ protocol: 'TCP', port: 9090 }] });
    expect(findObject(manifests, 'NetworkPolicy', 'otel-collector').spec.ingress).toContainEqual({ from: [PROMETHEUS_PEER], ports: [{ protocol: 'TCP', port: 8889 }] });
    expect(findObject(manifests, 'NetworkPolicy', 'jaeger').spec.ingress).toContainEqual({ from: [PROMETHEUS_PEER], ports: [{ protocol: 'TCP', port: 14269 }] });
    const custom = renderOperator({ prometheusNamespace: 'observability', prometheusPodLabels: { prometheus: 'k8s' } }).manifests;
    expect(findObject(custom, 'NetworkPolicy', 'users').spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { prometheus: 'k8s' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }],
      ports: [{ protocol: 'TCP', port: 9090 }],
    });
  });

  test('a source outside the stack\'s namespace gets its Service and ServiceMonitor in its own namespace', () => {
    const chart = kubernetesChart();
    const cache = new FakeSource(chart, 'Sessions', { job: 'sessions', kind: 'cache', namespace: 'data' });
    new ObservabilityStack(chart, 'Observability', operatorMode());
    const objects = manifestsOf(chart);
    const monitor = findObject(objects, 'ServiceMonitor', 'sessions');
    expect(monitor.metadata.namespace).toBe('data');
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['data'] });
    expect(objects.find(o => o.kind === 'Service' && o.metadata.name === 'sessions-scrape').metadata.namespace).toBe('data');
    expect(cache.metricsAdmitted.map(p => p.networkIdentity.namespace)).toEqual(['monitoring']);
  });

  test('allowFrom with AccessPurpose.UI: no Grafana to open; the Jaeger query API only when asked for explicitly', () => {
    const { stack } = renderOperator();
    expect(() => stack.allowFrom(NetworkPeer.fromPodLabels({ app: 'grafana' }, 'monitoring'), { purpose: AccessPurpose.UI })).toThrow(
      'platform/Observability: allowFrom(peer, { purpose: AccessPurpose.UI }) has no Grafana to open with kubernetes.metricsBackend MetricsBackend.prometheusOperator: ' +
      'the operator\'s Grafana shows the dashboards. To let it (or another client) read traces, admit it to the Jaeger query API with ' +
      'allowFrom(peer, { purpose: AccessPurpose.UI, unauthenticatedJaegerUi: true })');
    const chart = kubernetesChart();
    const observability = new ObservabilityStack(chart, 'Observability', operatorMode());
    observability.allowFrom(NetworkPeer.fromPodLabels({ 'app.kubernetes.io/name': 'grafana' }, 'monitoring'), { purpose: AccessPurpose.UI, unauthenticatedJaegerUi: true });
    expect(findObject(manifestsOf(chart), 'NetworkPolicy', 'jaeger').spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'grafana' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ protocol: 'TCP', port: 16686 }],
    });
  });

  test('production needs no receivers: the operator\'s Alertmanager routes the alerts', () => {
    const chart = kubernetesChart();
    expect(() => new ObservabilityStack(chart, 'Observability', operatorMode())).not.toThrow();
    const bundled = kubernetesChart();
    expect(() => new ObservabilityStack(bundled, 'Observability', {})).toThrow(/receivers is empty/);
  });
});

test('the development profile warns of no single Prometheus or Alertmanager: they are the operator\'s', () => {
  const warningsOf = (props: ObservabilityStackProps) => {
    const chart = kubernetesChart();
    PlatformProfile.DEVELOPMENT.applyTo(chart);
    new ObservabilityStack(chart, 'Observability', props);
    return platformWarningsOf(chart).map(w => w.id);
  };
  expect(warningsOf(operatorMode())).toEqual([]);
  expect(warningsOf({}).length).toBeGreaterThanOrEqual(2);
});

describe('the PrometheusRule as emitted, with promtool', () => {
  /** A chart observing one fake construct per job of the shared rule cases, in operator mode. */
  function emittedRuleSpec() {
    const chart = kubernetesChart();
    for (const job of RULES_INPUT.jobs) new FakeSource(chart, job.job, job);
    new ObservabilityStack(chart, 'Observability', operatorMode());
    return findObject(manifestsOf(chart), 'PrometheusRule', 'platform-rules').spec;
  }

  test('its groups are the rule cases\' groups', () => {
    expect(emittedRuleSpec()).toEqual(JSON.parse(JSON.stringify({ groups: alertRuleGroups(RULES_INPUT) })));
  });

  test('promtool check rules and every promtool rule test pass against it', () => {
    if (!hasPromtool()) return;
    const rules = toYaml(emittedRuleSpec());
    const tests = Object.fromEntries(Object.entries(promtoolTests('rules.yml', ALERT_CASES)).map(([name, file]) => [name, toYaml(file)]));
    const result = withFiles({ 'rules.yml': rules, ...tests }, dir => {
      const check = run('promtool', ['check', 'rules', path.join(dir, 'rules.yml')]);
      expect(check.status).toBe(0);
      return run('promtool', ['test', 'rules', ...Object.keys(tests)], dir);
    });
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
    console.info(`promtool on the emitted PrometheusRule: ${alertsOf(alertRuleGroups(RULES_INPUT)).length} alert rules, ${ALERT_CASES.length} rule tests passed`);
  });
});

describe('operator mode refuses what it cannot honour', () => {
  const messageOf = (props: ObservabilityStackProps, setup?: (chart: Chart) => void) => {
    const chart = kubernetesChart();
    setup?.(chart);
    try {
      new ObservabilityStack(chart, 'Observability', props);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('no error');
  };
  const bundledOnly = 'only configures the bundled stack, which does not run with kubernetes.metricsBackend MetricsBackend.prometheusOperator';

  test.each([
    ['receivers', { receivers: RECEIVERS }, '(got ["slack","webhook","email"]): leave it unset: the operator\'s Alertmanager routes every alert by its own configuration'],
    ['retention', { retention: '30d' }, '(got "30d"): leave it unset: the operator\'s Prometheus keeps metrics as its Prometheus resource says (spec.retention)'],
    ['kubernetes.prometheusReplicas', { kubernetes: { prometheusReplicas: 3 } }, '(got 3): leave it unset: the operator\'s Prometheus resource sets its replicas'],
    ['kubernetes.prometheusStorage', { kubernetes: { prometheusStorage: Size.gibibytes(100) } }, '(got 100): leave it unset'],
    ['kubernetes.retentionSize', { kubernetes: { retentionSize: '40GB' } }, '(got "40GB"): leave it unset'],
    ['kubernetes.alertmanagerReplicas', { kubernetes: { alertmanagerReplicas: 3 } }, '(got 3): leave it unset'],
    ['kubernetes.grafanaAdminSecret', { kubernetes: { grafanaAdminSecret: PlatformSecret.named('g', 'p') } }, '(got "g"): leave it unset: the existing Grafana keeps its own sign-in'],
    ['kubernetes.images.prometheus', { kubernetes: { images: { prometheus: 'prom/prometheus:v2.54.0' } } }, '(got "prom/prometheus:v2.54.0"): leave it unset'],
    ['kubernetes.images.alertmanager', { kubernetes: { images: { alertmanager: 'prom/alertmanager:v0.27.0' } } }, '(got "prom/alertmanager:v0.27.0"): leave it unset: the operator chooses the Alertmanager image'],
    ['kubernetes.images.grafana', { kubernetes: { images: { grafana: 'grafana/grafana:11.1.0' } } }, '(got "grafana/grafana:11.1.0"): leave it unset: the existing Grafana is used'],
  ])('%s', (prop, props, tail) => {
    const message = messageOf(operatorMode({}, props as ObservabilityStackProps));
    expect(message).toContain(`platform/Observability: ${prop} ${bundledOnly} ${tail}`);
  });

  test.each([
    [{ prometheusNamespace: 'Monitoring' }, 'kubernetes.metricsBackend.prometheusNamespace is not a namespace name (got "Monitoring"): use the namespace of the operator\'s Prometheus pods'],
    [{ prometheusPodLabels: {} }, 'kubernetes.metricsBackend.prometheusPodLabels is empty (got {}): name the Prometheus pods\' labels'],
    [{ monitorSelectorLabels: { 'release!': 'kps' } }, 'kubernetes.metricsBackend.monitorSelectorLabels has a key that is not a label key (got "release!"): use [prefix/]name'],
    [{ ruleSelectorLabels: { role: 'alert rules' } }, 'kubernetes.metricsBackend.ruleSelectorLabels["role"] is not a label value (got "alert rules"): use at most 63 letters'],
    [{ grafanaDashboardLabels: { 'app.kubernetes.io/name': 'dash' } }, 'kubernetes.metricsBackend.grafanaDashboardLabels has a key the platform sets on its own objects (got "app.kubernetes.io/name")'],
    [{ prometheusPodLabels: { prometheus: '-k8s' } }, 'kubernetes.metricsBackend.prometheusPodLabels["prometheus"] is not a label value (got "-k8s")'],
    [{ prometheusUrl: 'kube-prometheus-stack-prometheus.monitoring:9090' }, 'kubernetes.metricsBackend.prometheusUrl is not an http(s) URL ' +
      '(got "kube-prometheus-stack-prometheus.monitoring:9090"): use the address of the operator\'s Prometheus HTTP API'],
    [{ prometheusUrl: 'http://admin:secret@prometheus.monitoring:9090' }, 'kubernetes.metricsBackend.prometheusUrl carries a user name or password ' +
      '(got "http://admin:secret@prometheus.monitoring:9090"): remove the user name and password from the URL'],
  ])('%j', (options, message) => {
    expect(messageOf(operatorMode(options as Partial<PrometheusOperatorOptions>))).toContain(`platform/Observability: ${message}`);
  });
});

describe('an SLO-gated canary with the operator\'s Prometheus', () => {
  const PROMETHEUS_URL = 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090';
  const gated = (options: Partial<PrometheusOperatorOptions>) => {
    const chart = kubernetesChart();
    new ServiceCluster(chart, 'Orders', { image: 'ghcr.io/acme/orders:2.0.0', rollout: RolloutStrategy.sloGatedCanary() });
    const observability = new ObservabilityStack(chart, 'Observability', operatorMode(options));
    return { manifests: () => manifestsOf(chart), observability };
  };

  test('the analysis queries the Prometheus given as prometheusUrl, with the SLO queries of the rules the operator loads', () => {
    const { manifests, observability } = gated({ prometheusUrl: PROMETHEUS_URL });
    const template = findObject(manifests(), 'AnalysisTemplate', 'orders');
    const metrics = template.spec.metrics.map((m: any) => ({ name: m.name, ...m.provider.prometheus }));
    expect(metrics).toEqual(sloGateQueries('orders', resolveObservabilitySpec({}).slo).map(q => ({ name: q.name, address: PROMETHEUS_URL, query: q.query })));
    // The recording rules the queries read are in the PrometheusRule the operator loads.
    const recorded = parse(toYaml(findObject(manifests(), 'PrometheusRule', 'platform-rules').spec)).groups
      .flatMap((g: any) => g.rules).map((r: any) => r.record).filter(Boolean);
    const read = metrics.flatMap((m: any) => m.query.match(/[a-z_]+:[a-z_:0-9]+/g) ?? []);
    expect(read.length).toBeGreaterThan(0);
    expect(recorded).toEqual(expect.arrayContaining(read));
    expect(observability.kubernetes!.prometheusOperator).toBeDefined();
  });

  test('without prometheusUrl, synthesis fails naming the prop to set, not a missing ObservabilityStack', () => {
    expect(() => gated({}).manifests()).toThrow('platform/Observability: kubernetes.metricsBackend.prometheusUrl is not set, but platform/Orders rolls out with ' +
      'RolloutStrategy.sloGatedCanary(), whose analysis queries the operator\'s Prometheus (got undefined): give MetricsBackend.prometheusOperator({ prometheusUrl })');
  });

  test('a service rolled out without a gate needs no prometheusUrl', () => {
    const chart = kubernetesChart();
    new ServiceCluster(chart, 'Orders', { image: 'ghcr.io/acme/orders:2.0.0' });
    new ObservabilityStack(chart, 'Observability', operatorMode({}));
    expect(objectsOfKind(manifestsOf(chart), 'AnalysisTemplate')).toEqual([]);
  });
});
