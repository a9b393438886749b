import { Aspects, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { alertRuleGroups, TARGET_DOWN } from './alerting/alert-rules';
import { toYaml } from './alerting/alertmanager-config';
import { RuleGroup } from './alerting/rule-types';
import { resolveUserAlert, userAlarmProps, userAlertGroup, UserAlertOptions, userAlertProblems, UserAlertSpec } from './alerting/user-alerts';
import { renderObservabilityOnAws } from './aws';
import { grafanaDashboard } from './grafana/dashboards';
import { KUBERNETES_MAX_JOB_LENGTH, kubernetesSourceProblems, renderObservabilityOnKubernetes } from './kubernetes';
import { existingWorkspaceProblems } from './metrics/aws-existing';
import { CloudWatchWatched, cloudWatchQueues, cloudWatchSources, constructsOutside, discoverSources, explicitSources, sourceProblems, WatchedSource } from './metrics/discovery';
import { renderObservabilityWithOperator } from './operator/kubernetes-operator';
import { prometheusOperatorProblems } from './operator/operator-validation';
import { ObservabilityStackProps, UiAccessOptions } from './props';
import { ObservabilityAwsResources, ObservabilityKubernetesResources } from './resources';
import { ObservabilitySpec, resolveObservabilitySpec } from './spec';
import { nodeLogNamespaceProblems, observabilityWarnings, validateObservabilityStack } from './validation';
import { AccessPurpose, AllowFromOptions, requestedPurpose } from '../platform/access-purpose';
import { AwsPlatform } from '../platform/aws-platform';
import { Endpoint } from '../platform/endpoint';
import { PlatformValidationError, throwIfInvalid } from '../platform/errors';
import { KubernetesPlatform } from '../platform/kubernetes-platform';
import { MetricsSource } from '../platform/metrics';
import { dnsLabelFromId } from '../platform/names';
import { INetworkPeer, NetworkPeer } from '../platform/network';
import { PlatformMetric, PlatformMetricUnit } from '../platform/platform-metric';
import { PlatformProfile } from '../platform/profile';
import { QueueCloudWatchMetrics } from '../platform/queue-metrics';
import { PlatformTarget } from '../platform/target';
import { PlatformTopology } from '../platform/topology';
import { platformWarning } from '../platform/warnings';

const REGISTRY = Symbol.for('cdk-portable-platform.ObservabilityStack');

/**
 * Metrics, dashboards, SLO alerts, traces and logs for every platform construct of a Stack or Chart.
 *
 * It observes every construct with a `metricsSource` (found when the app is synthesized, so
 * constructs created after it are seen too), or the constructs in `watch`. Under an aws-cdk-lib
 * `Stack` it renders Amazon Managed Service for Prometheus with an ADOT collector, rules and alert
 * routing to an encrypted SNS topic, a CloudWatch dashboard and alarms, X-Ray tracing and
 * optionally Amazon Managed Grafana; under a cdk8s `Chart` it renders Prometheus, Alertmanager,
 * Grafana, an OpenTelemetry Collector, Jaeger and a Loki log store (or sends logs to a store you
 * run, see `logs`); or, with `MetricsBackend.prometheusOperator`, no Prometheus, Alertmanager or
 * Grafana of its own, handing an existing Prometheus Operator ServiceMonitors, a PrometheusRule and
 * dashboard ConfigMaps.
 *
 * Subclass it to set organisation-wide defaults (`applyDefaults`) or to adjust what is rendered
 * (`configureAws`, `configureKubernetes`).
 */
export class ObservabilityStack extends Construct {
  /** Which target the stack rendered to. */
  public readonly target: PlatformTarget;
  /**
   * Where services send OTLP traces, metrics and logs over HTTP (`OTEL_EXPORTER_OTLP_ENDPOINT`,
   * protocol `http/protobuf`): the collector. On Kubernetes it also accepts OTLP/gRPC on port 4317.
   */
  public readonly endpoint: Endpoint;
  /**
   * The same object as `endpoint`.
   *
   * @deprecated use `endpoint`
   */
  public readonly otlpEndpoint: Endpoint;
  /** AWS resources; undefined on Kubernetes. */
  public readonly aws?: ObservabilityAwsResources;
  /** Kubernetes objects; undefined on AWS. */
  public readonly kubernetes?: ObservabilityKubernetesResources;
  private readonly spec: ObservabilitySpec;
  private readonly wireWatched: (
    sources: readonly WatchedSource[], managed: readonly CloudWatchWatched[], queues: readonly QueueCloudWatchMetrics[],
  ) => void;
  private readonly admitUi?: (peer: NetworkPeer, jaeger: boolean) => void;
  private readonly admitOtlp: (peer: NetworkPeer) => void;
  private discovered?: readonly WatchedSource[];
  private readonly userAlerts: UserAlertSpec[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityStackProps = {}) {
    super(scope, id);
    this.target = PlatformTarget.of(this);
    const root = this.root();
    const existing = (root as any)[REGISTRY] as IConstruct | undefined;
    if (existing) {
      throw new PlatformValidationError(`${this.node.path}: an ObservabilityStack already exists in ${root.node.path} (${existing.node.path}): ` +
        'create one per Stack or Chart; it observes every platform construct there');
    }
    Object.defineProperty(root, REGISTRY, { value: this, enumerable: false });

    const effective = this.applyDefaults(props);
    const profile = PlatformProfile.of(this);
    const spec = resolveObservabilitySpec(effective, profile);
    throwIfInvalid([
      ...validateObservabilityStack(this, spec, this.target, profile),
      ...this.target === PlatformTarget.KUBERNETES ? nodeLogNamespaceProblems(this, spec, KubernetesPlatform.of(this).namespace) : [],
      ...this.target === PlatformTarget.KUBERNETES ? prometheusOperatorProblems(this, effective) : [],
      ...this.target === PlatformTarget.AWS ? existingWorkspaceProblems(this, spec, AwsPlatform.of(this).platformName) : [],
    ]);
    observabilityWarnings(spec, this.target, profile).forEach(w => platformWarning(this, w.id, w.message));
    PlatformTopology.of(this).addComponent(this, { kind: 'observability', name: dnsLabelFromId(id) });
    PlatformTopology.of(this).addInternalConnection(this, 'Prometheus to Alertmanager and the collector, Grafana to its data sources, the collector to Jaeger, the load balancer to the collector');
    this.spec = spec;
    const sources = () => this.watchedSources();
    const rulesYaml = () => this.renderAlertRules();

    if (this.target === PlatformTarget.AWS) {
      const rendering = renderObservabilityOnAws(this, spec, { sources, rulesYaml });
      this.aws = rendering.resources;
      this.endpoint = rendering.otlpEndpoint;
      this.admitOtlp = rendering.allowOtlpFrom;
      this.wireWatched = rendering.watch;
      // Aspects run when the app is synthesized, before references are resolved: every construct exists by then.
      Aspects.of(this).add({ visit: node => { if (node === this) this.watchedSources(); } });
      this.configureAws(rendering.resources, effective);
    } else {
      const dashboardFiles = () => Object.fromEntries(Object.entries(this.renderDashboards()).map(([job, json]) => [`${job}.json`, json]));
      const rendering = spec.kubernetes.prometheusOperator
        ? renderObservabilityWithOperator(this, spec, { ruleGroups: () => this.ruleGroups(), dashboardFiles })
        : renderObservabilityOnKubernetes(this, spec, { sources, rulesYaml, dashboardFiles });
      this.kubernetes = rendering.resources;
      this.endpoint = rendering.otlpEndpoint;
      this.admitOtlp = rendering.allowOtlpFrom;
      this.wireWatched = rendering.watch;
      this.admitUi = rendering.allowUiFrom;
      // cdk8s validates every construct before it renders any object: discover there.
      this.node.addValidation({ validate: () => { this.watchedSources(); return []; } });
      // The access check may run first (it validates the Chart): the scrape rules must exist by then.
      PlatformTopology.of(this)._beforeAccessEvaluation(() => this.watchedSources());
      this.configureKubernetes(rendering.resources, effective);
    }
    this.otlpEndpoint = this.endpoint;
  }

  /**
   * The metrics sources of the observed constructs. Discovery happens once, at synthesis or at the
   * first call: constructs created after a call are not observed.
   */
  public watchedMetricsSources(): MetricsSource[] {
    return this.watchedSources().map(w => w.source);
  }

  /** The Prometheus rule file (YAML): SLO recordings and alerts, scrape health and resource alerts. */
  public renderAlertRules(): string {
    return toYaml({ groups: this.ruleGroups() });
  }

  /**
   * One Grafana dashboard (JSON) per observed construct, by job. On AWS, import them into Amazon
   * Managed Grafana (they query a `datasource` variable, so any Prometheus data source works).
   */
  public renderDashboards(): { [job: string]: string } {
    const errorBudget = 1 - this.spec.slo.availability;
    const serviceMetrics = this.spec.serviceMetrics;
    return Object.fromEntries(this.watchedSources().map(({ source: { job, kind } }) =>
      [job, JSON.stringify(grafanaDashboard({ job, kind, serviceMetrics, errorBudget }))]));
  }

  /**
   * Admits `peer` to one purpose's port:
   *
   * - `AccessPurpose.CLIENT` (default): the collector's OTLP ports (`endpoint`; gRPC too on
   *   Kubernetes), for a workload the stack does not watch (watched ones are admitted already):
   *   the collector's listener on AWS, its NetworkPolicy on Kubernetes;
   * - `AccessPurpose.UI`: the Grafana UI, which signs users in (Kubernetes NetworkPolicy); traces are
   *   read there too. The Jaeger UI has no authentication: it opens only with
   *   `unauthenticatedJaegerUi: true`, and then with a warning. On AWS, Amazon Managed Grafana and
   *   the X-Ray console are reached through AWS sign-in, not the network, so UI fails there.
   */
  public allowFrom(peer: INetworkPeer, options: AllowFromOptions = {}): void {
    const purpose = requestedPurpose(this, options, [
      { purpose: AccessPurpose.CLIENT, opens: 'the collector\'s OTLP ports' },
      { purpose: AccessPurpose.UI, opens: 'Grafana, Kubernetes only' },
    ]);
    if (purpose === AccessPurpose.CLIENT) {
      this.admitOtlp(peer.networkIdentity);
      PlatformTopology.of(this).addNetworkConnection(this, peer, 'otlp');
      return;
    }
    if (!this.admitUi) {
      throw new PlatformValidationError(`${this.node.path}: allowFrom(peer, { purpose: AccessPurpose.UI }) is not supported on aws: ` +
        'Amazon Managed Grafana (aws.grafana) and the X-Ray console are reached through IAM Identity Center and the AWS console');
    }
    const jaeger = options.unauthenticatedJaegerUi ?? false;
    if (jaeger) {
      platformWarning(this, 'cdk-portable-platform:ObservabilityStack:unauthenticatedJaegerUi',
        'unauthenticatedJaegerUi opens the Jaeger UI, which has no authentication: every admitted client reads every trace; ' +
        'guard it with an authenticating proxy, or read traces through Grafana');
    }
    this.admitUi(peer.networkIdentity, jaeger);
  }

  /**
   * Lets `peer` reach the Grafana UI (and, with `unauthenticatedJaegerUi`, the Jaeger UI).
   *
   * @deprecated use `allowFrom(peer, { purpose: AccessPurpose.UI, unauthenticatedJaegerUi })`
   */
  public allowUiFrom(peer: INetworkPeer, options: UiAccessOptions = {}): void {
    this.allowFrom(peer, { purpose: AccessPurpose.UI, unauthenticatedJaegerUi: options.unauthenticatedJaegerUi });
  }

  /**
   * An alert of your own on any portable metric, routed like the built-in alerts. A metric with
   * PromQL becomes a Prometheus rule (group `platform-user-alerts`: the stack's Prometheus on
   * Kubernetes, the Amazon Managed Service for Prometheus workspace on AWS); a CloudWatch-only
   * metric (ElastiCache, DocumentDB Elastic, SQS) becomes a CloudWatch alarm on the alert topic, and
   * is refused when `aws.cloudWatchAlarms` is false.
   * The summary and description are plain text in every generated file.
   *
   * @param id the alert's name (`alertname`, and the alarm's description prefix)
   */
  public addAlert(id: string, options: UserAlertOptions): void {
    const alert = resolveUserAlert(id, options);
    throwIfInvalid(userAlertProblems(this, alert, this.userAlerts.map(a => a.id), this.target, this.spec.aws.cloudWatchAlarms));
    this.userAlerts.push(alert);
    const cloudWatchOnly = alert.metric.promQl === undefined ? alert.metric.cloudWatch : undefined;
    if (this.aws && cloudWatchOnly) {
      const alarm = new cloudwatch.Alarm(this.node.tryFindChild('UserAlerts') as Construct ?? new Construct(this, 'UserAlerts'), id,
        userAlarmProps(alert, cloudWatchOnly));
      alarm.addAlarmAction(new actions.SnsAction(this.aws.alertTopic));
      alarm.addOkAction(new actions.SnsAction(this.aws.alertTopic));
      this.aws.alarms.push(alarm);
    }
  }

  /** Scrape targets down, per job (`count by (job) (up == 0)`: the series `MetricsTargetDown` alerts on). */
  public metricTargetsDown(): PlatformMetric {
    return PlatformMetric._of('scrape targets down', PlatformMetricUnit.COUNT, () => `count by (job) (${TARGET_DOWN})`);
  }

  /**
   * Hook: organisation-wide defaults. Receives the caller's props and returns the props to render
   * (the effective props, which the other hooks receive too). Runs first in the base constructor,
   * before validation and before your subclass's field initialisers.
   *
   * @param props the caller's props
   */
  protected applyDefaults(props: ObservabilityStackProps): ObservabilityStackProps {
    return props;
  }

  /**
   * Hook: adjusts the AWS resources after they are rendered (tags, labels, sidecars, policies…).
   *
   * Runs in the base constructor, before your subclass's field initialisers have run: read your own
   * settings from `props` (the effective props `applyDefaults` returned, your subclass's own fields
   * included), not from `this`.
   *
   * @param _resources every rendered resource
   * @param _props the effective props
   */
  protected configureAws(_resources: ObservabilityAwsResources, _props: ObservabilityStackProps): void {}

  /**
   * Hook: adjusts the Kubernetes objects after they are rendered (tags, labels, sidecars, policies…).
   *
   * Runs in the base constructor, before your subclass's field initialisers have run: read your own
   * settings from `props` (the effective props `applyDefaults` returned, your subclass's own fields
   * included), not from `this`.
   *
   * @param _resources every rendered resource
   * @param _props the effective props
   */
  protected configureKubernetes(_resources: ObservabilityKubernetesResources, _props: ObservabilityStackProps): void {}

  /** The rule groups of the rule file and of the PrometheusRule alike. */
  private ruleGroups(): RuleGroup[] {
    const jobs = this.watchedSources().map(({ source }) =>
      ({ job: source.job, kind: source.kind, cpuCores: source.cpuCores, memoryBytes: source.memoryBytes }));
    const { slo, thresholds, serviceMetrics } = this.spec;
    const user = userAlertGroup(this.userAlerts, serviceMetrics);
    return [...alertRuleGroups({ jobs, slo, thresholds, serviceMetrics }), ...user ? [user] : []];
  }

  private root(): IConstruct {
    return this.target === PlatformTarget.AWS ? Stack.of(this) : Chart.of(this);
  }

  private watchedSources(): readonly WatchedSource[] {
    if (!this.discovered) {
      const found = this.spec.watch ? explicitSources(this.spec.watch) : discoverSources(this.root(), this);
      const kubernetes = this.target === PlatformTarget.KUBERNETES;
      throwIfInvalid([
        ...sourceProblems(this, found, kubernetes ? KUBERNETES_MAX_JOB_LENGTH : 63),
        ...(kubernetes ? kubernetesSourceProblems(this, found) : []),
      ]);
      this.discovered = found;
      // On AWS, what has no exporter there is watched in CloudWatch: managed resources (ElastiCache,
      // DocumentDB Elastic) and queues (SQS). One walk of the tree finds both.
      const candidates = this.target === PlatformTarget.AWS ? this.spec.watch ?? constructsOutside(this.root(), this) : [];
      const managed = cloudWatchSources(candidates);
      [...found, ...managed].forEach(({ construct }) => PlatformTopology.of(this).addObservation(this, construct));
      // Watched workloads send OTLP to the collector: the stack admits them (wireWatched).
      found.forEach(({ construct }) => PlatformTopology.of(this).addTelemetryConnection(this, construct));
      PlatformTopology.of(this)._during(this, () => this.wireWatched(found, managed, cloudWatchQueues(candidates)));
    }
    return this.discovered;
  }
}
