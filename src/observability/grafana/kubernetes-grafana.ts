import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { jaegerTracesToLogs, logsDashboard, lokiDatasource } from './grafana-logs';
import { typedKubeObject } from '../../platform/kube-object';
import { KubernetesPlatform } from '../../platform/kubernetes-platform';
import { CredentialFormat } from '../../platform/owned-credentials';
import { stableHash } from '../../platform/service-load-balancers';
import { toYaml } from '../alerting/alertmanager-config';
import { admit, Component, renderComponent } from '../kubernetes-component';
import { LOKI_HTTP_PORT } from '../logs/loki-config';
import { ALERTMANAGER_PORT, lazy, PROMETHEUS_PORT } from '../metrics/kubernetes-metrics';
import { ObservabilitySpec } from '../spec';
import { JAEGER_QUERY_PORT } from '../tracing/kubernetes-tracing';

export const GRAFANA_PORT = 3000;
const GRAFANA_USER = 472;
const DASHBOARDS_DIR = '/etc/grafana/dashboards';

export interface GrafanaObjects {
  readonly grafana: Component;
  readonly provisioning: k8s.KubeConfigMap;
  readonly dashboards: k8s.KubeConfigMap[];
}

/**
 * Grafana's provisioned data sources and dashboard provider (pure). With the in-cluster log store
 * (`logs`), Loki joins them, linked both ways with Jaeger by trace id.
 */
export function grafanaProvisioning(platform: { serviceHost(name: string): string }, logs = false): { datasources: string; dashboards: string } {
  const url = (name: string, port: number) => `http://${platform.serviceHost(name)}:${port}`;
  return {
    datasources: toYaml({
      apiVersion: 1,
      datasources: [
        { name: 'Prometheus', type: 'prometheus', uid: 'prometheus', access: 'proxy', url: url('prometheus', PROMETHEUS_PORT), isDefault: true, editable: false },
        {
          name: 'Alertmanager',
          type: 'alertmanager',
          uid: 'alertmanager',
          access: 'proxy',
          url: url('alertmanager', ALERTMANAGER_PORT),
          editable: false,
          jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
        },
        {
          name: 'Jaeger',
          type: 'jaeger',
          uid: 'jaeger',
          access: 'proxy',
          url: url('jaeger', JAEGER_QUERY_PORT),
          editable: false,
          ...logs ? { jsonData: jaegerTracesToLogs() } : {},
        },
        ...logs ? [lokiDatasource(url('loki', LOKI_HTTP_PORT))] : [],
      ],
    }),
    dashboards: toYaml({
      apiVersion: 1,
      providers: [{
        name: 'platform',
        folder: 'Platform',
        type: 'file',
        disableDeletion: true,
        allowUiUpdates: false,
        options: { path: DASHBOARDS_DIR },
      }],
    }),
  };
}

/**
 * Dashboards are spread over this many ConfigMaps, all projected into one directory: a ConfigMap
 * holds at most 1 MiB, and a thousand services' dashboards hold several.
 */
export const DASHBOARD_CONFIGMAPS = 8;

/** The ConfigMap a dashboard file lives in: from its name alone, so adding one never moves another. */
export function dashboardShard(file: string): number {
  return stableHash(file) % DASHBOARD_CONFIGMAPS;
}

/**
 * Renders Grafana: data sources and one dashboard per observed construct are provisioned from
 * ConfigMaps, the admin password comes from a referenced Secret, and state lives on an emptyDir
 * (everything that matters is provisioned, so a restarted Grafana comes back identical).
 */
export function renderGrafana(
  scope: Construct, platform: KubernetesPlatform, spec: ObservabilitySpec, dashboardFiles: () => Record<string, string>,
): GrafanaObjects {
  const grafanaScope = new Construct(scope, 'Grafana');
  const logs = spec.logs.kind === 'platform';
  const files = grafanaProvisioning(platform, logs);
  const provisioning = typedKubeObject(k8s.KubeConfigMap, grafanaScope, 'Config', {
    metadata: platform.metadata('grafana', 'observability', grafanaScope),
    data: { 'datasources.yml': files.datasources, 'dashboards.yml': files.dashboards },
  });
  // Render every dashboard once per synthesis, however many shards ask (synthesis is synchronous).
  let rendered: Record<string, string> | undefined;
  const allFiles = () => {
    if (!rendered) {
      // `_…` is not a DNS label, so no construct's dashboard (named after its job) can take the name.
      rendered = { ...dashboardFiles(), ...logs ? { '_platform-logs.json': JSON.stringify(logsDashboard()) } : {} };
      queueMicrotask(() => { rendered = undefined; });
    }
    return rendered;
  };
  const dashboards = Array.from({ length: DASHBOARD_CONFIGMAPS }, (_, shard) => typedKubeObject(k8s.KubeConfigMap, grafanaScope, `Dashboards${shard}`, {
    metadata: platform.metadata(`grafana-dashboards-${shard}`, 'observability', grafanaScope),
    data: lazy(() => Object.fromEntries(Object.entries(allFiles()).filter(([file]) => dashboardShard(file) === shard))),
  }));
  const admin = spec.kubernetes.grafanaAdminSecret;
  if (spec.kubernetes.grafanaAdminSecretOwned) platform.declareOwnedCredential(grafanaScope, admin, CredentialFormat.PASSWORD);
  const grafana = renderComponent(grafanaScope, platform, {
    name: 'grafana',
    replicas: 1,
    user: GRAFANA_USER,
    image: spec.kubernetes.images.grafana,
    env: [
      { name: 'GF_SECURITY_ADMIN_USER', value: 'admin' },
      { name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: admin.secretName!, key: admin.key! } } },
      { name: 'GF_PATHS_DATA', value: '/var/lib/grafana' },
      { name: 'GF_PATHS_LOGS', value: '/var/lib/grafana/logs' },
      { name: 'GF_PATHS_PROVISIONING', value: '/etc/grafana/provisioning' },
      { name: 'GF_LOG_MODE', value: 'console' },
      { name: 'GF_USERS_ALLOW_SIGN_UP', value: 'false' },
      { name: 'GF_AUTH_ANONYMOUS_ENABLED', value: 'false' },
      { name: 'GF_ANALYTICS_REPORTING_ENABLED', value: 'false' },
      { name: 'GF_ANALYTICS_CHECK_FOR_UPDATES', value: 'false' },
    ],
    ports: [{ name: 'http', port: GRAFANA_PORT }],
    readiness: { path: '/api/health', port: 'http' },
    liveness: { path: '/api/health', port: 'http' },
    cpu: '100m',
    memory: '512Mi',
    volumes: [
      { name: 'data', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
      {
        name: 'provisioning',
        configMap: { name: 'grafana', items: [{ key: 'datasources.yml', path: 'datasources/platform.yml' }, { key: 'dashboards.yml', path: 'dashboards/platform.yml' }] },
      },
      {
        name: 'dashboards',
        projected: { sources: dashboards.map((_, shard) => ({ configMap: { name: `grafana-dashboards-${shard}` } })) },
      },
    ],
    mounts: [
      { name: 'data', mountPath: '/var/lib/grafana' },
      { name: 'provisioning', mountPath: '/etc/grafana/provisioning', readOnly: true },
      { name: 'dashboards', mountPath: DASHBOARDS_DIR, readOnly: true },
    ],
    podAnnotations: {
      'observability.platform/config-checksum': createHash('sha256').update(files.datasources + files.dashboards).digest('hex').slice(0, 16),
    },
  });
  return { grafana, provisioning, dashboards };
}

/** Grafana queries Prometheus, Alertmanager and Jaeger. */
export function connectGrafana(
  grafana: Component, targets: { prometheus: Component; alertmanager: Component; jaeger: Component }, namespace: string, scope: Construct,
): void {
  admit(targets.prometheus, grafana.peer, [PROMETHEUS_PORT], namespace, scope);
  admit(targets.alertmanager, grafana.peer, [ALERTMANAGER_PORT], namespace, scope);
  admit(targets.jaeger, grafana.peer, [JAEGER_QUERY_PORT], namespace, scope);
}
