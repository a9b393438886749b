/**
 * A Prometheus Operator (for example kube-prometheus-stack) already running in the cluster, which
 * the ObservabilityStack hands its scrape targets, rules and dashboards to.
 */
export interface PrometheusOperatorOptions {
  /**
   * Namespace of the operator's Prometheus pods. The observed constructs' NetworkPolicies admit
   * them to the metrics ports by this namespace's name (`kubernetes.io/metadata.name`) and
   * `prometheusPodLabels`.
   */
  readonly prometheusNamespace: string;
  /**
   * Labels of the operator's Prometheus pods (within `prometheusNamespace`).
   *
   * @default { 'app.kubernetes.io/name': 'prometheus' } (the label the operator puts on every Prometheus pod)
   */
  readonly prometheusPodLabels?: { [key: string]: string };
  /**
   * Labels on every ServiceMonitor, so that the operator's Prometheus selects them
   * (`spec.serviceMonitorSelector`; kube-prometheus-stack selects `release: <release name>` unless
   * `serviceMonitorSelectorNilUsesHelmValues` is false).
   *
   * @default none: only a Prometheus that selects every ServiceMonitor finds them
   */
  readonly monitorSelectorLabels?: { [key: string]: string };
  /**
   * Labels on the PrometheusRule, so that the operator's Prometheus loads it (`spec.ruleSelector`).
   *
   * @default none: only a Prometheus that selects every PrometheusRule loads it
   */
  readonly ruleSelectorLabels?: { [key: string]: string };
  /**
   * Labels on the dashboard ConfigMaps that Grafana's dashboard sidecar looks for. The sidecar must
   * search the platform's namespace (kube-prometheus-stack: `grafana.sidecar.dashboards.searchNamespace`).
   *
   * @default { grafana_dashboard: '1' } (kube-prometheus-stack's sidecar label)
   */
  readonly grafanaDashboardLabels?: { [key: string]: string };
  /**
   * The operator's Prometheus HTTP API as the Argo Rollouts controller reaches it, e.g.
   * `http://kube-prometheus-stack-prometheus.monitoring.svc:9090` (kube-prometheus-stack's
   * Service). The canary analysis of every watched ServiceCluster with
   * `RolloutStrategy.sloGatedCanary()` queries it. That Prometheus must load the PrometheusRule
   * (`ruleSelectorLabels`), whose recording rules the analysis reads, and must admit the Argo
   * Rollouts controller (namespace `argo-rollouts`) if a NetworkPolicy guards it.
   *
   * @default none: a watched ServiceCluster with `RolloutStrategy.sloGatedCanary()` fails synthesis
   */
  readonly prometheusUrl?: string;
}

/**
 * Which Prometheus, Alertmanager and Grafana the ObservabilityStack uses on Kubernetes.
 */
export class MetricsBackend {
  /**
   * The stack runs its own Prometheus (HA pair), Alertmanager and Grafana, with the OpenTelemetry
   * Collector and Jaeger.
   */
  public static bundled(): MetricsBackend {
    return new MetricsBackend();
  }

  /**
   * An existing Prometheus Operator scrapes, evaluates rules and alerts: the stack writes a
   * ServiceMonitor per metrics source, a PrometheusRule with its alert rules and its dashboards as
   * ConfigMaps for Grafana's sidecar, and runs only the OpenTelemetry Collector and Jaeger.
   * Alerts are routed by the operator's Alertmanager configuration (`receivers` is refused).
   */
  public static prometheusOperator(options: PrometheusOperatorOptions): MetricsBackend {
    return new MetricsBackend(options);
  }

  /** The operator this backend hands the metrics to; undefined for the bundled stack. */
  public readonly prometheusOperatorOptions?: PrometheusOperatorOptions;

  private constructor(prometheusOperatorOptions?: PrometheusOperatorOptions) {
    this.prometheusOperatorOptions = prometheusOperatorOptions;
  }
}
