import { parse } from 'yaml';
import { FakeSource, ONCALL } from './fakes';
import { configMapData, dashboardFiles, inShop, podSpec, render, selector, tcp } from './kubernetes-fixture';
import { ObservabilityStack } from '../../src/observability';
import { NetworkPeer } from '../../src/platform/network';
import { platformWarningsOf } from '../../src/platform/warnings';
import { ServiceCluster } from '../../src/service-cluster';
import { checkKubernetesManifests } from '../conformance/kubernetes';
import { findObject, kubernetesChart, manifestsOf, objectsOfKind } from '../util';

describe('ObservabilityStack on Kubernetes: discovery and wiring', () => {
  test('discovers every construct with a metricsSource, including those created after it', () => {
    const { manifests, stack } = render();
    expect(stack.watchedMetricsSources().map(s => s.job)).toEqual(['users', 'orders']);
    const config = parse(configMapData(manifests, 'prometheus')['prometheus.yml']);
    const jobs = Object.fromEntries(config.scrape_configs.map((c: any) => [c.job_name, c]));
    expect(Object.keys(jobs)).toEqual(['prometheus', 'alertmanager', 'otel-collector', 'jaeger', 'loki', 'users', 'orders']);
    expect(jobs.users).toEqual({
      job_name: 'users',
      metrics_path: '/metrics',
      scheme: 'http',
      dns_sd_configs: [{ names: ['users-scrape.shop.svc.cluster.local'], type: 'A', port: 9090, refresh_interval: '30s' }],
    });
    expect(jobs.orders.dns_sd_configs[0]).toMatchObject({ names: ['orders-scrape.shop.svc.cluster.local'], port: 8080 });
    expect(config.alerting.alertmanagers[0].dns_sd_configs[0].names).toEqual(['alertmanager-headless.shop.svc.cluster.local']);
  });
  test('least privilege discovery: headless Services per source, and no API access for Prometheus', () => {
    const { manifests } = render();
    expect(findObject(manifests, 'Service', 'users-scrape').spec).toEqual({
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: selector('users'),
      ports: [{ name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' }],
    });
    expect(objectsOfKind(manifests, 'Role')).toHaveLength(0);
    expect(objectsOfKind(manifests, 'ClusterRole')).toHaveLength(0);
    expect(podSpec(manifests, 'StatefulSet', 'prometheus').automountServiceAccountToken).toBe(false);
  });
  test('Prometheus is admitted by every scraped workload, to the metrics port only, and opens its own egress', () => {
    const { manifests } = render();
    // users serves on 8080 and exposes metrics on 9090: Prometheus reaches 9090 alone.
    expect(findObject(manifests, 'NetworkPolicy', 'users').spec.ingress).toEqual([{ from: [inShop('prometheus')], ports: tcp(9090) }]);
    expect(findObject(manifests, 'NetworkPolicy', 'orders').spec.ingress).toContainEqual({ from: [inShop('prometheus')], ports: tcp(8080) });
    const egress = findObject(manifests, 'NetworkPolicy', 'prometheus').spec.egress;
    expect(egress).toContainEqual({ to: [inShop('users')], ports: tcp(9090) });
    expect(egress).toContainEqual({ to: [inShop('orders')], ports: tcp(8080) });
    expect(egress).toContainEqual({ to: [inShop('alertmanager')], ports: tcp(9093) });
  });
  test('services may send OTLP to the collector, and only they', () => {
    const { manifests, stack } = render();
    expect(stack.otlpEndpoint.url).toBe('http://otel-collector.shop.svc.cluster.local:4318');
    const ingress = findObject(manifests, 'NetworkPolicy', 'otel-collector').spec.ingress;
    expect(ingress).toContainEqual({ from: [inShop('users')], ports: tcp(4317, 4318) });
    expect(ingress).toContainEqual({ from: [inShop('orders')], ports: tcp(4317, 4318) });
    expect(findObject(manifests, 'NetworkPolicy', 'users').spec.egress).toContainEqual({ to: [inShop('otel-collector')], ports: tcp(4318) });
  });
  test('watch observes only the listed constructs', () => {
    const chart = kubernetesChart();
    const users = new ServiceCluster(chart, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
    new ServiceCluster(chart, 'Orders', { image: 'ghcr.io/acme/orders:2.0.0' });
    new ObservabilityStack(chart, 'Observability', { watch: [users], receivers: ONCALL });
    const manifests = manifestsOf(chart);
    expect(Object.keys(dashboardFiles(manifests)).sort()).toEqual(['_platform-logs.json', 'users.json']);
    expect(objectsOfKind(manifests, 'Service').filter(s => s.metadata.name.endsWith('-scrape')).map(s => s.metadata.name)).toEqual(['users-scrape']);
  });
  test('any construct with a metricsSource is observed: cache and MongoDB alerts and dashboards come from the signals table', () => {
    const { manifests, chart } = render({}, c => {
      new FakeSource(c, 'Sessions', { job: 'sessions', kind: 'cache' });
      new FakeSource(c, 'CatalogDb', { job: 'catalog-db', kind: 'mongo', port: 9216 });
    });
    const rules = parse(configMapData(manifests, 'prometheus-rules')['platform.yml']);
    expect(rules.groups.map((g: any) => g.name)).toEqual(['platform-slo-recordings', 'platform-slo-alerts', 'platform-targets', 'platform-service', 'platform-cache', 'platform-mongo']);
    expect(rules.groups.find((g: any) => g.name === 'platform-cache').rules.map((r: any) => r.alert))
      .toEqual(['CacheMemoryHigh', 'CacheCpuHigh', 'CacheEvicting', 'CacheReplicationLagHigh', 'CacheSnapshotFailed', 'CacheReplicaLinkDown', 'CacheFailover']);
    expect(JSON.parse(dashboardFiles(manifests)['catalog-db.json']).title).toBe('MongoDB: catalog-db');
    const sessions = chart.node.findChild('Sessions') as FakeSource;
    expect(sessions.metricsAdmitted.map(p => p.networkIdentity.podLabels)).toEqual([selector('prometheus')]);
    // Scrapers get the metrics port only, never what allowFrom opens.
    expect(sessions.admitted).toEqual([]);
  });
  test('allowUiFrom opens Grafana, which signs users in, and not the unauthenticated Jaeger UI', () => {
    const { manifests } = render({}, c => {
      (c.node.findChild('Observability') as ObservabilityStack).allowUiFrom(NetworkPeer.fromPodLabels({ app: 'ingress-nginx' }, 'ingress'));
    });
    const ingress = { podSelector: { matchLabels: { app: 'ingress-nginx' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } };
    expect(findObject(manifests, 'NetworkPolicy', 'grafana').spec.ingress).toEqual([{ from: [ingress], ports: tcp(3000) }]);
    expect(JSON.stringify(findObject(manifests, 'NetworkPolicy', 'jaeger').spec.ingress)).not.toContain('ingress-nginx');
  });
  test('the Jaeger UI opens only when acknowledged as unauthenticated, with a warning', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { manifests, stack } = render({}, c => {
      (c.node.findChild('Observability') as ObservabilityStack)
        .allowUiFrom(NetworkPeer.fromPodLabels({ app: 'ingress-nginx' }, 'ingress'), { unauthenticatedJaegerUi: true });
    });
    const ingress = { podSelector: { matchLabels: { app: 'ingress-nginx' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } };
    expect(findObject(manifests, 'NetworkPolicy', 'jaeger').spec.ingress).toContainEqual({ from: [ingress], ports: tcp(16686) });
    expect(platformWarningsOf(stack).map(w => w.message)).toEqual(['unauthenticatedJaegerUi opens the Jaeger UI, which has no authentication: ' +
      'every admitted client reads every trace; guard it with an authenticating proxy, or read traces through Grafana']);
    warn.mockRestore();
  });
  test('node-level log collection is opt-in, in its own namespace at Pod Security level privileged', () => {
    const { manifests } = render({ kubernetes: { nodeLogCollection: { namespace: 'node-logs' } } });
    expect(findObject(manifests, 'Namespace', 'node-logs').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(findObject(manifests, 'Namespace', 'node-logs').metadata).not.toHaveProperty('namespace');
    const pod = podSpec(manifests, 'DaemonSet', 'node-log-collector');
    expect(pod.volumes).toContainEqual({ name: 'pod-logs', hostPath: { path: '/var/log/pods', type: 'Directory' } });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(findObject(manifests, 'NetworkPolicy', 'otel-collector').spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: selector('node-log-collector') }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'node-logs' } } }],
      ports: tcp(4317),
    });
    // Exactly what "restricted" forbids, on the DaemonSet only: the host path and root.
    const findings = checkKubernetesManifests(manifests).findings;
    expect(new Set(findings.map(f => f.object))).toEqual(new Set(['apps/v1/DaemonSet node-logs/node-log-collector']));
    expect(new Set(findings.map(f => f.rule))).toEqual(new Set(['PodSecurity-HostPathVolumes', 'PodSecurity-VolumeTypes', 'PodSecurity-RunAsNonRoot', 'PodSecurity-RunAsUser']));
    expect(objectsOfKind(render().manifests, 'DaemonSet')).toHaveLength(0);
  });
});
