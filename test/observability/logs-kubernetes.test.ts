import { Duration, Size } from 'aws-cdk-lib';
import { parse } from 'yaml';
import { everyCollectorConfig } from './collector-configs';
import { configMapData, dashboardFiles, inShop, podSpec, render, tcp } from './kubernetes-fixture';
import { collectorLogComponentProblems, lokiConfigProblems } from './strict-config';
import { LogDestination, ObservabilityStack, ObservabilityStackProps } from '../../src/observability';
import { lokiConfig } from '../../src/observability/logs/loki-config';
import { PlatformProfile } from '../../src/platform/profile';
import { PlatformSecret } from '../../src/platform/secret';
import { platformWarningsOf } from '../../src/platform/warnings';
import { ServiceCluster } from '../../src/service-cluster';
import { expectKubernetesConformance } from '../conformance/kubernetes';
import { findObject, kubernetesChart, manifestsOf, objectsOfKind } from '../util';

const collectorOf = (manifests: any[]) => parse(configMapData(manifests, 'otel-collector')['collector.yaml']);
const PASSWORD = PlatformSecret.named('logs-store', 'password');

function renderDevelopment(props: ObservabilityStackProps = {}) {
  const chart = kubernetesChart();
  PlatformProfile.DEVELOPMENT.applyTo(chart);
  new ServiceCluster(chart, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
  const stack = new ObservabilityStack(chart, 'Observability', props);
  return { stack, manifests: manifestsOf(chart) };
}

/** Every debug exporter anywhere in a collector configuration. */
const debugComponents = (config: any): string[] => [
  ...Object.keys(config.exporters ?? {}).filter(id => id.split('/')[0] === 'debug' || id.split('/')[0] === 'logging'),
  ...Object.entries<any>(config.service.pipelines).flatMap(([name, p]) => (p.exporters as string[]).filter(id => /^(debug|logging)(\/|$)/.test(id)).map(id => `${name}: ${id}`)),
];

describe('logs on Kubernetes: the in-cluster Loki', () => {
  test('two Loki replicas, each a full store on its own retained volume, spread, restricted, with a PDB', () => {
    const { manifests } = render({
      logs: LogDestination.platformStore({ retention: Duration.days(14) }), kubernetes: { logStorage: Size.gibibytes(80) },
    });
    const sts = findObject(manifests, 'StatefulSet', 'loki');
    expect(sts.spec.replicas).toBe(2);
    expect(sts.spec.serviceName).toBe('loki-headless');
    // The platform's shared claim helpers: labelled claims, retained on delete and on scale-down.
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(sts.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data', labels: expect.objectContaining({ 'app.kubernetes.io/name': 'loki' }) },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${80 * 1024}Mi` } } },
    }]);
    const pod = sts.spec.template.spec;
    expect(pod.containers[0]).toMatchObject({
      image: 'grafana/loki:3.1.0',
      args: ['-config.file=/etc/loki/loki.yaml', '-target=all'],
      resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '2Gi' } },
      securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    });
    // Loki writes only to its volume (and /tmp): no init container, no sysctl, no root.
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/loki' });
    expect(pod.initContainers).toBeUndefined();
    expect(pod.securityContext).toMatchObject({ runAsUser: 10001, fsGroup: 10001, runAsNonRoot: true });
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    expect(pod.topologySpreadConstraints.map((c: any) => c.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    expect(findObject(manifests, 'PodDisruptionBudget', 'loki').spec.maxUnavailable).toBe(1);
    expect(parse(configMapData(manifests, 'loki')['loki.yaml']).limits_config.retention_period).toBe(`${14 * 24}h`);
  });

  test('the store\'s objects are public for escape hatches; none with a store you run', () => {
    const { stack } = render();
    expect(stack.kubernetes!.logStore!.statefulSet.metadata.name).toBe('loki');
    expect(stack.kubernetes!.logStore!.configMap!.metadata.name).toBe('loki');
    expect(stack.kubernetes!.logStore!.disruptionBudget).toBeDefined();
    expect(render({ logs: LogDestination.otlp({ url: 'https://logs.example.com/otlp' }) }).stack.kubernetes!.logStore).toBeUndefined();
  });

  test('only the collector writes and only Grafana (and Prometheus, for metrics) reads', () => {
    const { manifests } = render();
    const policy = findObject(manifests, 'NetworkPolicy', 'loki').spec;
    expect(policy.ingress).toEqual([
      { from: [inShop('otel-collector')], ports: tcp(3100) },
      { from: [inShop('grafana')], ports: tcp(3100) },
      { from: [inShop('prometheus')], ports: tcp(3100) },
    ]);
    expect(policy.egress).toEqual([]);
    expect(findObject(manifests, 'NetworkPolicy', 'otel-collector').spec.egress).toContainEqual({ to: [inShop('loki')], ports: tcp(3100) });
    expect(findObject(manifests, 'NetworkPolicy', 'grafana').spec.egress).toContainEqual({ to: [inShop('loki')], ports: tcp(3100) });
    // No store outside the cluster: the collector gets no internet egress for logs.
    expect(JSON.stringify(findObject(manifests, 'NetworkPolicy', 'otel-collector').spec.egress)).not.toContain('0.0.0.0/0');
  });

  test('the collector writes every log record to every replica, retrying through a restart', () => {
    const collector = collectorOf(render().manifests);
    expect(collector.service.pipelines.logs.exporters).toEqual(['otlphttp/loki-0', 'otlphttp/loki-1']);
    expect(collector.exporters['otlphttp/loki-1']).toEqual({
      endpoint: 'http://loki-1.loki-headless.shop.svc.cluster.local:3100/otlp',
      retry_on_failure: { enabled: true, initial_interval: '5s', max_interval: '30s', max_elapsed_time: '15m' },
      sending_queue: { enabled: true, num_consumers: 4, queue_size: 100 },
    });
  });

  test('development: one smaller replica on a 10 GiB volume, a week of logs, and a warning', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { manifests, stack } = renderDevelopment();
    const sts = findObject(manifests, 'StatefulSet', 'loki');
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(`${10 * 1024}Mi`);
    expect(sts.spec.template.spec.containers[0].resources.requests).toEqual({ cpu: '100m', memory: '512Mi' });
    expect(objectsOfKind(manifests, 'PodDisruptionBudget').map(p => p.metadata.name)).not.toContain('loki');
    expect(parse(configMapData(manifests, 'loki')['loki.yaml']).limits_config.retention_period).toBe('168h');
    expect(collectorOf(manifests).service.pipelines.logs.exporters).toEqual(['otlphttp/loki-0']);
    expect(platformWarningsOf(stack).map(w => w.message)).toContain('kubernetes.logStoreReplicas is 1, which the development profile allows: ' +
      'logs are not searchable while the only Loki restarts, and a lost volume loses every log; production needs at least 2');
    expectKubernetesConformance(manifests);
    warn.mockRestore();
  });

  test('Grafana: a Loki data source linked both ways with Jaeger by trace id, and a log search dashboard every dashboard links to', () => {
    const { manifests } = render();
    const datasources = parse(configMapData(manifests, 'grafana')['datasources.yml']).datasources;
    const loki = datasources.find((d: any) => d.type === 'loki');
    expect(loki).toMatchObject({ uid: 'loki', url: 'http://loki.shop.svc.cluster.local:3100', access: 'proxy', editable: false });
    // `$$` is Grafana's escape for `$` in provisioning files, so `${__value.raw}` reaches the data source unexpanded.
    expect(loki.jsonData.derivedFields).toContainEqual({
      name: 'TraceID', matcherType: 'label', matcherRegex: 'trace_id', datasourceUid: 'jaeger', url: '$${__value.raw}', urlDisplayLabel: 'Trace',
    });
    const inLine = new RegExp(loki.jsonData.derivedFields.find((f: any) => f.matcherType === 'regex').matcherRegex);
    expect(inLine.exec('level=info trace_id=4bf92f3577b34da6a3ce929d0e0e4736 msg=done')?.[1]).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(inLine.exec('{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}')?.[1]).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    const jaeger = datasources.find((d: any) => d.type === 'jaeger');
    expect(jaeger.jsonData.tracesToLogsV2).toMatchObject({
      datasourceUid: 'loki', customQuery: true, tags: [{ key: 'service.name', value: 'service_name' }], query: '{$${__tags}} | trace_id="$${__trace.traceId}"',
    });
    const files = dashboardFiles(manifests);
    const logs = JSON.parse(files['_platform-logs.json']);
    expect(logs.tags).toContain('platform-logs');
    expect(logs.panels.map((p: any) => [p.type, p.datasource.uid])).toEqual([['timeseries', 'loki'], ['logs', 'loki']]);
    expect(JSON.parse(files['users.json']).links).toEqual([expect.objectContaining({ type: 'dashboards', tags: ['platform-logs'], keepTime: true })]);
  });

  test('no debug exporter in any collector configuration: every one the library generates, and every synthesized one', () => {
    const synthesized = [render(), render({ logs: LogDestination.otlp({ url: 'https://logs.example.com/otlp' }) }),
      render({ kubernetes: { nodeLogCollection: { namespace: 'node-logs' } } })]
      .flatMap(({ manifests }) => objectsOfKind(manifests, 'ConfigMap').filter(c => c.data?.['collector.yaml']).map(c => parse(c.data['collector.yaml'])));
    const all = [...everyCollectorConfig().map(([, c]) => c), ...synthesized];
    expect(all.length).toBeGreaterThan(12);
    expect(all.flatMap(debugComponents)).toEqual([]);
    // The walk finds one when there is one.
    expect(debugComponents({ exporters: { debug: {} }, service: { pipelines: { logs: { exporters: ['debug'] } } } })).toEqual(['debug', 'logs: debug']);
  });
});

describe('logs on Kubernetes: container logs', () => {
  test('the node-level collectors send container logs through the platform collector to the store', () => {
    const { manifests } = render({ kubernetes: { nodeLogCollection: { namespace: 'node-logs' } } });
    const node = parse(findObject(manifests, 'ConfigMap', 'node-log-collector').data['collector.yaml']);
    expect(node.exporters.otlp.endpoint).toBe('otel-collector.shop.svc.cluster.local:4317');
    expect(collectorOf(manifests).service.pipelines.logs).toMatchObject({ receivers: ['otlp'], exporters: ['otlphttp/loki-0', 'otlphttp/loki-1'] });
    // Off by default: reading host paths needs a namespace at Pod Security "privileged".
    expect(objectsOfKind(render().manifests, 'DaemonSet')).toHaveLength(0);
  });
});

describe('logs on Kubernetes: a store you already run', () => {
  test('OTLP: the Authorization header comes from a Secret, no Loki runs, egress opens on the URL port', () => {
    const { manifests } = render({ logs: LogDestination.otlp({ url: 'https://logs.example.com:8443/otlp', authorizationSecret: PASSWORD }) });
    expect(objectsOfKind(manifests, 'StatefulSet').map(s => s.metadata.name)).not.toContain('loki');
    const collector = collectorOf(manifests);
    expect(collector.exporters['otlphttp/logs']).toMatchObject({ endpoint: 'https://logs.example.com:8443/otlp', headers: { Authorization: '${env:LOGS_AUTHORIZATION}' } });
    expect(podSpec(manifests, 'Deployment', 'otel-collector').containers[0].env).toEqual([
      { name: 'LOGS_AUTHORIZATION', valueFrom: { secretKeyRef: { name: 'logs-store', key: 'password' } } },
    ]);
    expect(findObject(manifests, 'NetworkPolicy', 'otel-collector').spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: tcp(8443) });
    expect(parse(configMapData(manifests, 'grafana')['datasources.yml']).datasources.map((d: any) => d.type)).not.toContain('loki');
    expect(Object.keys(dashboardFiles(manifests))).not.toContain('_platform-logs.json');
    expectKubernetesConformance(manifests);
  });

  test('Elasticsearch: user in the configuration, password from a Secret', () => {
    const { manifests } = render({
      logs: LogDestination.elasticsearch({ url: 'https://es.example.com:9200', index: 'platform-logs', credentials: { username: 'otel', passwordSecret: PASSWORD } }),
    });
    const collector = collectorOf(manifests);
    expect(collector.exporters['elasticsearch/logs']).toMatchObject({
      endpoints: ['https://es.example.com:9200'], logs_index: 'platform-logs', user: 'otel', password: '${env:LOGS_PASSWORD}',
    });
    expect(collector.service.pipelines.logs.exporters).toEqual(['elasticsearch/logs']);
    expect(podSpec(manifests, 'Deployment', 'otel-collector').containers[0].env).toEqual([
      { name: 'LOGS_PASSWORD', valueFrom: { secretKeyRef: { name: 'logs-store', key: 'password' } } },
    ]);
    expect(objectsOfKind(manifests, 'Secret')).toHaveLength(0);
    expectKubernetesConformance(manifests);
  });

  test('OpenSearch: basic auth through the collector\'s basicauth extension', () => {
    const { manifests } = render({ logs: LogDestination.openSearch({ url: 'https://os.example.com', credentials: { username: 'otel', passwordSecret: PASSWORD } }) });
    const collector = collectorOf(manifests);
    expect(collector.exporters['opensearch/logs']).toMatchObject({
      http: { endpoint: 'https://os.example.com', auth: { authenticator: 'basicauth/logs' } }, dataset: 'default', namespace: 'platform',
    });
    expect(collector.extensions['basicauth/logs']).toEqual({ client_auth: { username: 'otel', password: '${env:LOGS_PASSWORD}' } });
    expect(collector.service.extensions).toEqual(['health_check', 'basicauth/logs']);
    expectKubernetesConformance(manifests);
  });

  test('every user string is data for the collector: a "$" never expands', () => {
    const collector = collectorOf(render({
      logs: LogDestination.elasticsearch({ url: 'https://es.example.com/a$HOME', credentials: { username: 'u${env:HOME}', passwordSecret: PASSWORD } }),
    }).manifests);
    expect(collector.exporters['elasticsearch/logs'].endpoints).toEqual(['https://es.example.com/a$$HOME']);
    expect(collector.exporters['elasticsearch/logs'].user).toBe('u$${env:HOME}');
  });
});

describe('generated configurations against the upstream references', () => {
  test('loki.yaml uses only fields of the Loki 3.1 configuration reference, with the documented kinds of value', () => {
    for (const days of [1, 7, 30, 400]) expect(lokiConfigProblems(lokiConfig({ retentionDays: days }))).toEqual([]);
    const { manifests } = render();
    expect(lokiConfigProblems(parse(configMapData(manifests, 'loki')['loki.yaml']))).toEqual([]);
  });

  test('the Loki check refuses unknown fields and wrong kinds (it can fail)', () => {
    const config: any = lokiConfig({ retentionDays: 7 });
    config.limits_config.retention_days = 7;
    config.compactor.retention_enabled = 'yes';
    config.schema_config.configs[0].index.perod = '24h';
    expect(lokiConfigProblems(config)).toEqual([
      'schema_config.configs[0].index.perod: not a field of the Loki 3.1 configuration',
      'compactor.retention_enabled: must be a boolean (documented as <boolean>)',
      'limits_config.retention_days: not a field of the Loki 3.1 configuration',
    ]);
  });

  test.each(everyCollectorConfig())('%s: the log exporters and extensions use only their components\' fields', (_name, config) => {
    const { problems, uncovered } = collectorLogComponentProblems(config);
    expect(problems).toEqual([]);
    // Not covered: CloudWatch Logs on AWS and the node-level collectors' OTLP/gRPC hop to the platform collector, both unchanged here.
    expect(uncovered.filter(type => type !== 'awscloudwatchlogs' && type !== 'otlp')).toEqual([]);
  });

  test('the collector check refuses an unknown exporter field (it can fail)', () => {
    const [, config] = everyCollectorConfig()[0];
    const broken = JSON.parse(JSON.stringify(config));
    broken.exporters['otlphttp/loki-0'].retry = { enabled: true };
    expect(collectorLogComponentProblems(broken).problems).toEqual(['exporters.otlphttp/loki-0.retry: not a field of this component']);
  });
});
