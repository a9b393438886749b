import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { PrometheusOperatorOptions } from './metrics-backend';
import { MONITORING_API_VERSION, prometheusRuleSpec, serviceMonitorSpec } from './prometheus-operator';
import { deploymentGateOf } from '../../platform/deployment-gate';
import { Endpoint } from '../../platform/endpoint';
import { invalidPropMessage, PlatformValidationError } from '../../platform/errors';
import { typedKubeObject } from '../../platform/kube-object';
import { KubernetesPlatform } from '../../platform/kubernetes-platform';
import { NetworkPeer } from '../../platform/network';
import { PlatformProfile } from '../../platform/profile';
import { sloGateQueries } from '../alerting/deployment-gate';
import { RuleGroup } from '../alerting/rule-types';
import { logsDashboard } from '../grafana/grafana-logs';
import { DASHBOARD_CONFIGMAPS, dashboardShard } from '../grafana/kubernetes-grafana';
import { common, KubernetesRendering, stateful, tracingScrapeTargets } from '../kubernetes';
import { admit } from '../kubernetes-component';
import { connectLogStore, LOKI_NAME, renderLogStore } from '../logs/kubernetes-logs';
import { renderNodeLogCollection } from '../logs/kubernetes-node-logs';
import { LOKI_HTTP_PORT } from '../logs/loki-config';
import { allowScrapeFrom, networkIdentityOf, WatchedSource } from '../metrics/discovery';
import { lazy } from '../metrics/kubernetes-metrics';
import { KubernetesScrapeTarget, kubernetesScrapeTarget, renderMetricsService, sourceScrapeTarget } from '../metrics/kubernetes-scrape-targets';
import { ObservabilitySpec } from '../spec';
import { JAEGER_ADMIN_PORT, JAEGER_QUERY_PORT, renderTracingPipeline } from '../tracing/kubernetes-tracing';
import { COLLECTOR_METRICS_PORT, OTLP_GRPC_PORT, OTLP_HTTP_PORT } from '../tracing/otel-collector-config';

export const DEFAULT_PROMETHEUS_POD_LABELS = { 'app.kubernetes.io/name': 'prometheus' };
export const DEFAULT_GRAFANA_DASHBOARD_LABELS = { grafana_dashboard: '1' };

/** What the operator-mode renderer needs from the stack (computed at synthesis). */
export interface OperatorContent {
  readonly ruleGroups: () => readonly RuleGroup[];
  readonly dashboardFiles: () => Record<string, string>;
}

/** The operator's Prometheus pods, as a peer the observed constructs' policies admit. */
export function operatorPrometheusPeer(options: PrometheusOperatorOptions): NetworkPeer {
  return NetworkPeer.fromPodLabels(options.prometheusPodLabels ?? DEFAULT_PROMETHEUS_POD_LABELS, options.prometheusNamespace);
}

/**
 * Renders the stack for an existing Prometheus Operator: the OpenTelemetry Collector and Jaeger
 * still run (traces, OTLP metrics and logs); Prometheus, Alertmanager and Grafana are the
 * operator's. They are handed a ServiceMonitor per scrape target, a PrometheusRule and the
 * dashboards as ConfigMaps labelled for Grafana's sidecar.
 */
export function renderObservabilityWithOperator(scope: Construct, spec: ObservabilitySpec, content: OperatorContent): KubernetesRendering {
  const options = spec.kubernetes.prometheusOperator!;
  const platform = KubernetesPlatform.of(scope);
  platform._orderAfter(scope);
  const ns = platform.namespace;
  const prometheus = operatorPrometheusPeer(options);
  const operatorScope = new Construct(scope, 'PrometheusOperator');

  const tracing = renderTracingPipeline(scope, platform, spec);
  admit(tracing.collector, prometheus, [COLLECTOR_METRICS_PORT], ns, scope);
  admit(tracing.jaeger, prometheus, [JAEGER_ADMIN_PORT], ns, scope);
  const nodeLogs = spec.kubernetes.nodeLogNamespace
    ? renderNodeLogCollection(scope, platform, spec, spec.kubernetes.nodeLogNamespace, tracing.collector) : undefined;

  const serviceMonitor = (id: string, target: KubernetesScrapeTarget, owner?: IConstruct) => new ApiObject(operatorScope, id, {
    apiVersion: MONITORING_API_VERSION,
    kind: 'ServiceMonitor',
    metadata: withLabels({ ...platform.metadata(target.job, 'observability', owner), namespace: target.namespace }, options.monitorSelectorLabels),
    spec: serviceMonitorSpec({ target, platformName: platform.platformName, scrapeIntervalSeconds: spec.scrapeIntervalSeconds }),
  });
  const serviceMonitors = tracingScrapeTargets(ns).map(target => serviceMonitor(`ServiceMonitor-${target.job}`, target, operatorScope));
  const prometheusRule = new ApiObject(operatorScope, 'PrometheusRule', {
    apiVersion: MONITORING_API_VERSION,
    kind: 'PrometheusRule',
    metadata: withLabels(platform.metadata('platform-rules', 'observability', operatorScope), options.ruleSelectorLabels),
    spec: lazy(() => prometheusRuleSpec(content.ruleGroups())),
  });
  // The log search dashboard too (the others link to it): it reads a Loki data source with uid "loki".
  const withLogs = () => ({
    ...content.dashboardFiles(), ...spec.logs.kind === 'platform' ? { '_platform-logs.json': JSON.stringify(logsDashboard()) } : {},
  });
  const grafanaDashboards = dashboardConfigMaps(operatorScope, platform, options, withLogs);
  // The log store runs in this mode too: the collector writes to it, the operator's Prometheus scrapes it.
  const logStore = spec.logs.kind === 'platform' ? renderLogStore(scope, platform, spec, PlatformProfile.of(scope).allowsReducedAvailability) : undefined;
  if (logStore) {
    connectLogStore(logStore.loki, [tracing.collector.peer, prometheus], ns, scope);
    serviceMonitors.push(serviceMonitor(`ServiceMonitor-${LOKI_NAME}`, kubernetesScrapeTarget({
      job: LOKI_NAME, serviceName: `${LOKI_NAME}-headless`, namespace: ns, port: LOKI_HTTP_PORT, portName: 'http', path: '/metrics',
    }), operatorScope));
  }

  const metricsServices: k8s.KubeService[] = [];
  const platformObjects = platform.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
  const watch = (sources: readonly WatchedSource[]) => {
    for (const watched of sources) {
      const { construct } = watched;
      // A canary is judged by the operator's Prometheus, which only the user can name.
      const gate = deploymentGateOf(construct);
      if (gate && !options.prometheusUrl) {
        throw new PlatformValidationError(invalidPropMessage(scope, 'kubernetes.metricsBackend.prometheusUrl',
          `is not set, but ${construct.node.path} rolls out with RolloutStrategy.sloGatedCanary(), whose analysis queries the operator's Prometheus`, undefined,
          'give MetricsBackend.prometheusOperator({ prometheusUrl }) the address of that Prometheus\' HTTP API as the Argo Rollouts controller reaches it ' +
          '(e.g. "http://kube-prometheus-stack-prometheus.monitoring.svc:9090"), or use RolloutStrategy.rollingUpdate()'));
      }
      if (gate) gate.gateOnPrometheus(options.prometheusUrl!, sloGateQueries(watched.source.job, spec.slo));
      const service = renderMetricsService(scope, platform, watched, platformObjects);
      metricsServices.push(service);
      const monitor = serviceMonitor(`ServiceMonitor-${watched.source.job}`, sourceScrapeTarget(watched, ns), operatorScope);
      for (const o of platformObjects) monitor.node.addDependency(o);
      serviceMonitors.push(monitor);
      // The operator's Prometheus lives in its own namespace: the source's policy must admit it.
      allowScrapeFrom(construct, prometheus);
      const identity = networkIdentityOf(construct);
      if (identity?.podLabels) admit(tracing.collector, identity, [OTLP_GRPC_PORT, OTLP_HTTP_PORT], ns, scope);
    }
  };

  return {
    resources: {
      grafanaDashboards,
      collector: { ...common(tracing.collector, tracing.collectorConfig), deployment: tracing.collector.deployment! },
      jaeger: { ...common(tracing.jaeger), statefulSet: tracing.jaeger.statefulSet!, headlessService: tracing.jaeger.headlessService! },
      metricsServices,
      nodeLogs,
      logStore: logStore ? stateful(logStore.loki, logStore.config) : undefined,
      prometheusOperator: { serviceMonitors, prometheusRule },
    },
    otlpEndpoint: new Endpoint(platform.serviceHost('otel-collector'), OTLP_HTTP_PORT, 'http'),
    watch,
    allowOtlpFrom: peer => admit(tracing.collector, peer, [OTLP_GRPC_PORT, OTLP_HTTP_PORT], ns, scope),
    allowUiFrom: (peer, jaeger) => {
      if (!jaeger) {
        throw new PlatformValidationError(`${scope.node.path}: allowFrom(peer, { purpose: AccessPurpose.UI }) has no Grafana to open with kubernetes.metricsBackend ` +
          'MetricsBackend.prometheusOperator: the operator\'s Grafana shows the dashboards. To let it (or another client) read traces, ' +
          'admit it to the Jaeger query API with allowFrom(peer, { purpose: AccessPurpose.UI, unauthenticatedJaegerUi: true })');
      }
      admit(tracing.jaeger, peer, [JAEGER_QUERY_PORT], ns, scope);
    },
  };
}

/** The dashboards, spread over ConfigMaps as the bundled Grafana's are, labelled for the sidecar. */
function dashboardConfigMaps(
  scope: Construct, platform: KubernetesPlatform, options: PrometheusOperatorOptions, dashboardFiles: () => Record<string, string>,
): k8s.KubeConfigMap[] {
  let rendered: Record<string, string> | undefined;
  const allFiles = () => {
    if (!rendered) {
      rendered = dashboardFiles();
      queueMicrotask(() => { rendered = undefined; });
    }
    return rendered;
  };
  const labels = options.grafanaDashboardLabels ?? DEFAULT_GRAFANA_DASHBOARD_LABELS;
  return Array.from({ length: DASHBOARD_CONFIGMAPS }, (_, shard) => typedKubeObject(k8s.KubeConfigMap, scope, `Dashboards${shard}`, {
    metadata: withLabels(platform.metadata(`grafana-dashboards-${shard}`, 'observability', scope), labels),
    data: lazy(() => Object.fromEntries(Object.entries(allFiles()).filter(([file]) => dashboardShard(file) === shard))),
  }));
}

function withLabels(metadata: k8s.ObjectMeta, labels: { [key: string]: string } | undefined): k8s.ObjectMeta {
  return { ...metadata, labels: { ...metadata.labels, ...labels } };
}
