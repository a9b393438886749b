import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { toYaml } from './alerting/alertmanager-config';
import { ARGO_ROLLOUTS_CONTROLLER, sloGateQueries } from './alerting/deployment-gate';
import { connectGrafana, GRAFANA_PORT, renderGrafana } from './grafana/kubernetes-grafana';
import { admit, Component } from './kubernetes-component';
import { connectLogStore, LOKI_NAME, renderLogStore } from './logs/kubernetes-logs';
import { renderNodeLogCollection } from './logs/kubernetes-node-logs';
import { LOKI_HTTP_PORT } from './logs/loki-config';
import { allowScrapeFrom, networkIdentityOf, WatchedSource } from './metrics/discovery';
import { ALERTMANAGER_PORT, PROMETHEUS_PORT, renderMetricsPipeline } from './metrics/kubernetes-metrics';
import { KubernetesScrapeTarget, kubernetesScrapeTarget, renderMetricsService, sourceScrapeTarget } from './metrics/kubernetes-scrape-targets';
import { prometheusConfig } from './metrics/prometheus-config';
import { ObservabilityKubernetesResources, ObservabilityStatefulObjects } from './resources';
import { ObservabilitySpec } from './spec';
import { JAEGER_ADMIN_PORT, JAEGER_QUERY_PORT, renderTracingPipeline } from './tracing/kubernetes-tracing';
import { COLLECTOR_METRICS_PORT, OTLP_GRPC_PORT, OTLP_HTTP_PORT } from './tracing/otel-collector-config';
import { deploymentGateOf } from '../platform/deployment-gate';
import { Endpoint } from '../platform/endpoint';
import { invalidPropMessage } from '../platform/errors';
import { KubernetesPlatform } from '../platform/kubernetes-platform';
import { NetworkPeer } from '../platform/network';
import { PlatformProfile } from '../platform/profile';

/** Scrape jobs of the stack's own components; observed constructs may not use these names. */
export const KUBERNETES_OWN_JOBS = ['prometheus', 'alertmanager', 'otel-collector', 'jaeger', LOKI_NAME];
/**
 * Prometheus finds each source through a headless Service of its own, `<job>-scrape`: a suffix no
 * construct uses for its own Services (the gateway and Mongo already own `<name>-metrics`).
 * `<job>-scrape` must stay a DNS label.
 */
export const KUBERNETES_MAX_JOB_LENGTH = 63 - '-scrape'.length;

/** What the construct needs from the content it owns (computed at synthesis). */
export interface KubernetesContent {
  readonly sources: () => readonly WatchedSource[];
  readonly rulesYaml: () => string;
  readonly dashboardFiles: () => Record<string, string>;
}

export interface KubernetesRendering {
  readonly resources: ObservabilityKubernetesResources;
  readonly otlpEndpoint: Endpoint;
  /** Called once, at synthesis, with every observed construct. */
  readonly watch: (sources: readonly WatchedSource[]) => void;
  readonly allowUiFrom: (peer: NetworkPeer, jaeger: boolean) => void;
  /** Admits `peer` to the collector's OTLP ports (gRPC and HTTP). */
  readonly allowOtlpFrom: (peer: NetworkPeer) => void;
}

export { metricsServiceName } from './metrics/kubernetes-scrape-targets';

/**
 * Renders Prometheus, Alertmanager, Grafana, the OpenTelemetry Collector and Jaeger; observed
 * constructs are wired in at synthesis (headless metrics Services, NetworkPolicy rules).
 */
export function renderObservabilityOnKubernetes(scope: Construct, spec: ObservabilitySpec, content: KubernetesContent): KubernetesRendering {
  const platform = KubernetesPlatform.of(scope);
  platform._orderAfter(scope);
  const ns = platform.namespace;
  const host = (name: string) => platform.serviceHost(name);
  const own = [
    kubernetesScrapeTarget({ job: 'alertmanager', serviceName: 'alertmanager-headless', namespace: ns, port: ALERTMANAGER_PORT, portName: 'web', path: '/metrics' }),
    ...tracingScrapeTargets(ns),
    ...spec.logs.kind === 'platform'
      ? [kubernetesScrapeTarget({ job: LOKI_NAME, serviceName: `${LOKI_NAME}-headless`, namespace: ns, port: LOKI_HTTP_PORT, portName: 'http', path: '/metrics' })]
      : [],
  ];
  const prometheusYaml = () => toYaml(prometheusConfig({
    platformName: platform.platformName,
    scrapeIntervalSeconds: spec.scrapeIntervalSeconds,
    targets: [...own, ...content.sources().map(watched => sourceScrapeTarget(watched, ns))],
    alertmanager: { dnsName: host('alertmanager-headless'), port: ALERTMANAGER_PORT },
    ruleFiles: '/etc/prometheus/rules/*.yml',
  }));

  const metrics = renderMetricsPipeline(scope, platform, spec, { prometheusYaml, rulesYaml: content.rulesYaml });
  const tracing = renderTracingPipeline(scope, platform, spec);
  const ui = renderGrafana(scope, platform, spec, content.dashboardFiles);
  connectGrafana(ui.grafana, { prometheus: metrics.prometheus, alertmanager: metrics.alertmanager, jaeger: tracing.jaeger }, ns, scope);
  const logStore = spec.logs.kind === 'platform' ? renderLogStore(scope, platform, spec, PlatformProfile.of(scope).allowsReducedAvailability) : undefined;
  if (logStore) connectLogStore(logStore.loki, [tracing.collector.peer, ui.grafana.peer, metrics.prometheus.peer], ns, scope);
  admit(tracing.collector, metrics.prometheus.peer, [COLLECTOR_METRICS_PORT], ns, scope);
  admit(tracing.jaeger, metrics.prometheus.peer, [JAEGER_ADMIN_PORT], ns, scope);
  const nodeLogs = spec.kubernetes.nodeLogNamespace
    ? renderNodeLogCollection(scope, platform, spec, spec.kubernetes.nodeLogNamespace, tracing.collector) : undefined;

  const metricsServices: k8s.KubeService[] = [];
  const platformObjects = platform.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
  let rolloutsAdmitted = false;
  const watch = (sources: readonly WatchedSource[]) => {
    for (const watched of sources) {
      const { construct, source } = watched;
      const gate = deploymentGateOf(construct);
      if (gate) {
        gate.gateOnPrometheus(`http://${host('prometheus')}:${PROMETHEUS_PORT}`, sloGateQueries(source.job, spec.slo));
        // The Argo Rollouts controller runs the analyses: it must reach Prometheus (once is enough).
        if (!rolloutsAdmitted) admit(metrics.prometheus, ARGO_ROLLOUTS_CONTROLLER, [PROMETHEUS_PORT], ns, scope);
        rolloutsAdmitted = true;
      }
      metricsServices.push(renderMetricsService(scope, platform, watched, platformObjects));
      const prometheus = metrics.prometheus;
      if (!allowScrapeFrom(construct, prometheus.peer)) {
        // Without allowFrom the target's own policy must admit Prometheus; open Prometheus' side at least.
        prometheus.peer._grantEgress({ podLabels: source.selector, namespace: source.namespace || ns, port: source.port });
      }
      const identity = networkIdentityOf(construct);
      if (identity?.podLabels) admit(tracing.collector, identity, [OTLP_GRPC_PORT, OTLP_HTTP_PORT], ns, scope);
    }
  };

  return {
    resources: {
      prometheus: stateful(metrics.prometheus, metrics.prometheusConfig),
      prometheusRules: metrics.prometheusRules,
      alertmanager: stateful(metrics.alertmanager, metrics.alertmanagerConfig),
      grafana: { ...common(ui.grafana, ui.provisioning), deployment: ui.grafana.deployment! },
      grafanaDashboards: ui.dashboards,
      collector: { ...common(tracing.collector, tracing.collectorConfig), deployment: tracing.collector.deployment! },
      jaeger: stateful(tracing.jaeger),
      logStore: logStore ? stateful(logStore.loki, logStore.config) : undefined,
      metricsServices,
      nodeLogs,
    },
    // OTLP/HTTP on both targets (gRPC also listens on 4317 here).
    otlpEndpoint: new Endpoint(host('otel-collector'), OTLP_HTTP_PORT, 'http'),
    watch,
    allowOtlpFrom: peer => admit(tracing.collector, peer, [OTLP_GRPC_PORT, OTLP_HTTP_PORT], ns, scope),
    allowUiFrom: (peer, jaeger) => {
      admit(ui.grafana, peer, [GRAFANA_PORT], ns, scope);
      if (jaeger) admit(tracing.jaeger, peer, [JAEGER_QUERY_PORT], ns, scope);
    },
  };
}

/** Problems with observed constructs that only Kubernetes has: Prometheus finds replicas by their labels. */
export function kubernetesSourceProblems(scope: Construct, sources: readonly WatchedSource[]): string[] {
  return sources.flatMap(({ construct, source }) => [
    ...(Object.keys(source.selector ?? {}).length > 0 ? [] : [invalidPropMessage(scope, `metricsSource of ${construct.node.path}: selector`,
      'is empty on kubernetes', source.selector, 'a metrics source must select its pods by labels so Prometheus can find each replica')]),
    ...(KUBERNETES_OWN_JOBS.includes(source.job) ? [invalidPropMessage(scope, `metricsSource of ${construct.node.path}: job`,
      'is reserved for the observability stack', source.job, `rename the construct: ${KUBERNETES_OWN_JOBS.join(', ')} are the stack's own jobs`)] : []),
  ]);
}

/** The objects every observability component has, for its resources. */
export function common(component: Component, configMap?: k8s.KubeConfigMap) {
  return {
    serviceAccount: component.serviceAccount,
    service: component.service,
    networkPolicy: component.networkPolicy,
    configMap,
    disruptionBudget: component.disruptionBudget,
  };
}

export function stateful(component: Component, configMap?: k8s.KubeConfigMap): ObservabilityStatefulObjects {
  return { ...common(component, configMap), statefulSet: component.statefulSet!, headlessService: component.headlessService! };
}

/** The collector's and Jaeger's own metrics, scraped in both modes (the collector re-exposes other jobs' metrics). */
export function tracingScrapeTargets(namespace: string): KubernetesScrapeTarget[] {
  return [
    kubernetesScrapeTarget({
      job: 'otel-collector', serviceName: 'otel-collector-headless', namespace, port: COLLECTOR_METRICS_PORT, portName: 'metrics', path: '/metrics', honorLabels: true,
    }),
    kubernetesScrapeTarget({ job: 'jaeger', serviceName: 'jaeger-headless', namespace, port: JAEGER_ADMIN_PORT, portName: 'admin', path: '/metrics' }),
  ];
}
