import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { toYaml } from './alertmanager-config';
import { allowScrapeFrom, networkIdentityOf, WatchedSource } from './discovery';
import { admit, Component } from './kubernetes-component';
import { connectGrafana, GRAFANA_PORT, renderGrafana } from './kubernetes-grafana';
import { connectLogStore, LOKI_NAME, renderLogStore } from './kubernetes-logs';
import { ALERTMANAGER_PORT, renderMetricsPipeline } from './kubernetes-metrics';
import { renderNodeLogCollection } from './kubernetes-node-logs';
import { JAEGER_ADMIN_PORT, JAEGER_QUERY_PORT, renderTracingPipeline } from './kubernetes-tracing';
import { LOKI_HTTP_PORT } from './loki-config';
import { COLLECTOR_METRICS_PORT, OTLP_GRPC_PORT, OTLP_HTTP_PORT } from './otel-collector-config';
import { DnsScrapeTarget, prometheusConfig } from './prometheus-config';
import { ObservabilityKubernetesResources, ObservabilityStatefulObjects } from './resources';
import { ObservabilitySpec } from './spec';
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
}

/** The headless Service through which Prometheus finds every replica of `job`. */
export const metricsServiceName = (job: string) => `${job}-scrape`;

/**
 * Renders Prometheus, Alertmanager, Grafana, the OpenTelemetry Collector and Jaeger; observed
 * constructs are wired in at synthesis (headless metrics Services, NetworkPolicy rules).
 */
export function renderObservabilityOnKubernetes(scope: Construct, spec: ObservabilitySpec, content: KubernetesContent): KubernetesRendering {
  const platform = KubernetesPlatform.of(scope);
  platform._orderAfter(scope);
  const ns = platform.namespace;
  const host = (name: string) => platform.serviceHost(name);
  const own: DnsScrapeTarget[] = [
    { job: 'alertmanager', dnsName: host('alertmanager-headless'), port: ALERTMANAGER_PORT, path: '/metrics' },
    { job: 'otel-collector', dnsName: host('otel-collector-headless'), port: COLLECTOR_METRICS_PORT, path: '/metrics', honorLabels: true },
    { job: 'jaeger', dnsName: host('jaeger-headless'), port: JAEGER_ADMIN_PORT, path: '/metrics' },
    ...spec.logs.kind === 'platform' ? [{ job: LOKI_NAME, dnsName: host(`${LOKI_NAME}-headless`), port: LOKI_HTTP_PORT, path: '/metrics' }] : [],
  ];
  const prometheusYaml = () => toYaml(prometheusConfig({
    platformName: platform.platformName,
    scrapeIntervalSeconds: spec.scrapeIntervalSeconds,
    targets: [...own, ...content.sources().map(({ source }) => ({
      job: source.job,
      dnsName: `${metricsServiceName(source.job)}.${source.namespace || ns}.svc.cluster.local`,
      port: source.port,
      path: source.path,
    }))],
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
  const watch = (sources: readonly WatchedSource[]) => {
    for (const { construct, source } of sources) {
      const service = new k8s.KubeService(scope, `Metrics-${source.job}`, {
        metadata: { ...platform.metadata(metricsServiceName(source.job), 'observability', selectsOwnPods(construct, source) ? construct : undefined), namespace: source.namespace || ns },
        spec: {
          clusterIp: 'None',
          // Unready replicas are scraped too, so a broken one shows up as down instead of vanishing.
          publishNotReadyAddresses: true,
          selector: source.selector,
          ports: [{ name: 'metrics', port: source.port, targetPort: k8s.IntOrString.fromNumber(source.port), protocol: 'TCP' }],
        },
      });
      // Created at synthesis, after cdk8s ordered the chart: keep the namespace and policies first.
      for (const o of platformObjects) service.node.addDependency(o);
      metricsServices.push(service);
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

function common(component: Component, configMap?: k8s.KubeConfigMap) {
  return {
    serviceAccount: component.serviceAccount,
    service: component.service,
    networkPolicy: component.networkPolicy,
    configMap,
    disruptionBudget: component.disruptionBudget,
  };
}

function stateful(component: Component, configMap?: k8s.KubeConfigMap): ObservabilityStatefulObjects {
  return { ...common(component, configMap), statefulSet: component.statefulSet!, headlessService: component.headlessService! };
}

/** A source whose selector carries its construct's identity: the scrape Service then belongs to that construct. */
function selectsOwnPods(construct: IConstruct, source: { readonly selector?: Record<string, string> }): boolean {
  return source.selector?.[KubernetesPlatform.OWNER_LABEL] === KubernetesPlatform.ownerId(construct);
}
