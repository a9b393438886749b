import { Duration, Size } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AlertReceiver } from './alerting/receivers';
import { LogDestination } from './logs/log-destination';
import { ObservabilityAwsOptions, ObservabilityKubernetesOptions } from './target-props';

/**
 * Service level objectives, from the platform's design (seed 003): 99.9 % availability over
 * 30 days, p95 latency under 500 ms, fewer than 1 % errors over 5 minutes.
 */
export interface SloObjectives {
  /**
   * Fraction of requests that must not fail with a 5xx over 30 days, in (0, 1). Its error budget
   * (1 - availability) drives the multi-window burn-rate alerts.
   *
   * @default 0.999
   */
  readonly availability?: number;
  /**
   * p95 latency objective, per route.
   *
   * @default Duration.millis(500)
   */
  readonly latencyP95?: Duration;
  /**
   * Highest acceptable 5xx ratio over 5 minutes, in (0, 1).
   *
   * @default 0.01
   */
  readonly errorRate?: number;
}

/**
 * The metric names services export (Prometheus client conventions by default). Gateways, caches
 * and MongoDB clusters use their exporters' fixed names.
 */
export interface HttpMetricNames {
  /**
   * Counter of served requests, labelled with the status code.
   *
   * @default 'http_requests_total'
   */
  readonly requestsTotal?: string;
  /**
   * Histogram of request durations in seconds: its base name, without `_bucket`.
   *
   * @default 'http_request_duration_seconds'
   */
  readonly requestDuration?: string;
  /**
   * Label holding the HTTP status code.
   *
   * @default 'code'
   */
  readonly statusCodeLabel?: string;
  /**
   * Label naming the route (handler); an empty string when services export none.
   *
   * @default 'route'
   */
  readonly routeLabel?: string;
}

/**
 * Thresholds of the resource alerts.
 */
export interface ResourceAlertThresholds {
  /**
   * Fraction of its own vCPU (`ServiceCluster` `cpu`) one service instance may use for 15 minutes
   * before an alert, in (0, 1]. The same fraction sets the CloudWatch CPU alarm on AWS.
   *
   * @default 0.9
   */
  readonly serviceCpuUtilization?: number;
  /**
   * Fraction of its own memory (`ServiceCluster` `memory`) one service instance may use for 15
   * minutes before an alert, in (0, 1]. The same fraction sets the CloudWatch memory alarm on AWS.
   *
   * @default 0.9
   */
  readonly serviceMemoryUtilization?: number;
  /**
   * CPU (cores) an instance of a `service` metrics source that declares no size (`cpuCores`) may
   * use for 15 minutes before an alert. ServiceClusters declare theirs.
   *
   * @default 0.45
   */
  readonly serviceCpuCores?: number;
  /**
   * Resident memory an instance of a `service` metrics source that declares no size
   * (`memoryBytes`) may use for 15 minutes before an alert. ServiceClusters declare theirs.
   *
   * @default 90 % of 1 GiB
   */
  readonly serviceMemory?: Size;
  /**
   * Restarts of one service instance within an hour that raise an alert.
   *
   * @default 3
   */
  readonly serviceRestartsPerHour?: number;
  /**
   * Messages a work queue may hold for 15 minutes before an alert (RabbitMQ on Kubernetes, SQS on AWS).
   *
   * @default 1000
   */
  readonly queueBacklogMessages?: number;
  /**
   * Fraction of `maxmemory` a cache node may use for 10 minutes, in (0, 1].
   *
   * @default 0.9
   */
  readonly cacheMemoryUtilization?: number;
  /**
   * How far a cache replica may fall behind its primary.
   *
   * @default Size.mebibytes(16)
   */
  readonly cacheReplicationLag?: Size;
  /**
   * How far a MongoDB secondary may fall behind its primary.
   *
   * @default Duration.seconds(10)
   */
  readonly mongoReplicationLag?: Duration;
  /**
   * Fraction of its connections a mongod/mongos may use for 10 minutes, in (0, 1].
   *
   * @default 0.8
   */
  readonly mongoConnectionsUtilization?: number;
}

/**
 * Props of an ObservabilityStack: metrics, dashboards, SLO alerts, traces and logs for the
 * platform constructs of its Stack or Chart. The same props mean the same thing on both targets.
 */
export interface ObservabilityStackProps {
  /**
   * Constructs to observe, each with a `metricsSource`.
   *
   * @default every construct with a `metricsSource` in the same Stack or Chart, found at synthesis
   */
  readonly watch?: IConstruct[];
  /**
   * Service level objectives of every HTTP construct (services and gateways).
   *
   * @default 99.9 % availability, p95 under 500 ms, errors under 1 %
   */
  readonly slo?: SloObjectives;
  /**
   * Where alerts go. At least one is required, except under the development profile (a warning).
   *
   * @default none: refused by the production profile, since every alert would go nowhere
   */
  readonly receivers?: AlertReceiver[];
  /**
   * How long metrics are kept, as a Prometheus duration (`15d`, `2w`, `1y`). On AWS it becomes
   * the workspace retention in whole days.
   *
   * @default '15d' (PlatformProfile.DEVELOPMENT: '7d')
   */
  readonly retention?: string;
  /**
   * Interval between scrapes.
   *
   * @default Duration.seconds(30)
   */
  readonly scrapeInterval?: Duration;
  /**
   * Metric names services export.
   *
   * @default http_requests_total{code,route} and http_request_duration_seconds
   */
  readonly metricNames?: HttpMetricNames;
  /**
   * Thresholds of the resource alerts.
   *
   * @default see ResourceAlertThresholds
   */
  readonly resourceAlerts?: ResourceAlertThresholds;
  /**
   * OTLP/HTTP endpoint that receives the logs services send over OTLP (a log store such as Loki
   * 3's `/otlp`, Elasticsearch or a vendor).
   *
   * @default see `logs`
   * @deprecated use `logs: LogDestination.otlp({ url })`, which also takes credentials
   */
  readonly logsEndpoint?: string;
  /**
   * Where logs go: the platform's own store (Loki in the cluster on Kubernetes, CloudWatch Logs on
   * AWS) or a store you already run (OTLP on both targets; Elasticsearch or OpenSearch on Kubernetes).
   *
   * @default LogDestination.platformStore()
   */
  readonly logs?: LogDestination;
  /**
   * AWS-only tuning.
   *
   * @default none
   */
  readonly aws?: ObservabilityAwsOptions;
  /**
   * Kubernetes-only tuning.
   *
   * @default none
   */
  readonly kubernetes?: ObservabilityKubernetesOptions;
}

/**
 * Who reaches which UI, for `ObservabilityStack.allowUiFrom`.
 *
 * @deprecated use `AllowFromOptions` with `ObservabilityStack.allowFrom(peer, { purpose: AccessPurpose.UI })`
 */
export interface UiAccessOptions {
  /**
   * Also open the Jaeger UI, which has no authentication: anyone admitted reads every trace
   * (URLs, headers, payload attributes). Traces stay readable through Grafana, which signs users in.
   * Set it only when something in front (an authenticating proxy) guards the UI.
   *
   * @default false
   */
  readonly unauthenticatedJaegerUi?: boolean;
}
