import { Duration, Size } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { MetricsBackend } from './operator/metrics-backend';
import { PlatformSecret } from '../platform/secret';

/**
 * An existing Amazon Managed Service for Prometheus workspace (for example one shared by several
 * platforms), in the Stack's region. The collector remote-writes to it and the stack adds its rules
 * as a rule groups namespace named after the platform, so several platforms can share it; the
 * workspace's alert manager definition stays yours (see
 * `ObservabilityAwsResources.alertManagerDefinition` for what to put there).
 */
export interface ExistingPrometheusWorkspace {
  /** Workspace ARN (`arn:aws:aps:<region>:<account>:workspace/ws-…`). */
  readonly workspaceArn: string;
  /**
   * The workspace's Prometheus endpoint, ending in `/`.
   *
   * @default https://aps-workspaces.<region>.<url suffix>/workspaces/<workspace id>/, from the ARN
   */
  readonly prometheusEndpoint?: string;
}

/**
 * AWS-only tuning of an ObservabilityStack; ignored when rendering to Kubernetes.
 */
export interface ObservabilityAwsOptions {
  /**
   * Use an existing workspace instead of creating one.
   *
   * @default a new workspace with the platform's alert routing to the SNS topic
   */
  readonly prometheusWorkspace?: ExistingPrometheusWorkspace;
  /**
   * An existing SNS topic to publish every alarm and alert to (CloudWatch alarms, the workspace's
   * alert manager, failed-backup events), instead of a topic of the stack's own. Its subscriptions
   * are then yours, so `receivers` may be empty (any given are subscribed to it). Its access
   * policy, and its KMS key's, must let `cloudwatch.amazonaws.com`, `aps.amazonaws.com` and
   * `events.amazonaws.com` publish.
   *
   * @default a new topic encrypted with the platform key
   */
  readonly alertTopic?: sns.ITopic;
  /**
   * Create an Amazon Managed Grafana workspace (IAM Identity Center sign-in) that reads the
   * Prometheus workspace, CloudWatch and X-Ray.
   *
   * @default false
   */
  readonly grafana?: boolean;
  /**
   * CloudWatch alarms per observed construct (5xx ratio and p95 latency per load balancer and
   * target group, CPU and memory per ECS service), besides the workspace's Prometheus alerts.
   * Each adds CloudFormation resources: turn them off when a Stack nears its resource quota.
   * Off, `addAlert` refuses a metric that only CloudWatch has (it would need an alarm).
   *
   * @default true
   */
  readonly cloudWatchAlarms?: boolean;
  /**
   * ADOT collector image, pinned.
   *
   * @default public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0
   */
  readonly collectorImage?: string;
  /**
   * Retention of the stack's log groups (collector, workspace, OTLP logs). The OTLP logs' group
   * follows `LogDestination.platformStore({ retention })` instead when that is set.
   *
   * @default the platform's log retention
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * Opt-in node-level log collection on Kubernetes: an OpenTelemetry Collector DaemonSet reading
 * every container's log files from the nodes. It needs `hostPath` volumes and root, which Pod
 * Security "restricted" and "baseline" forbid, so it runs in its own namespace labelled
 * `pod-security.kubernetes.io/enforce: privileged`.
 */
export interface NodeLogCollection {
  /** Namespace created for the DaemonSet (Pod Security level `privileged`). */
  readonly namespace: string;
}

/**
 * Container images of the Kubernetes stack; each must be pinned (a tag other than `latest`, or a digest).
 */
export interface ObservabilityImages {
  /** @default 'prom/prometheus:v2.53.1' */
  readonly prometheus?: string;
  /** @default 'prom/alertmanager:v0.27.0' */
  readonly alertmanager?: string;
  /** @default 'grafana/grafana:11.1.0' */
  readonly grafana?: string;
  /** @default 'otel/opentelemetry-collector-contrib:0.104.0' */
  readonly otelCollector?: string;
  /** @default 'jaegertracing/all-in-one:1.58.0' */
  readonly jaeger?: string;
  /** @default 'grafana/loki:3.1.0' */
  readonly loki?: string;
}

/**
 * Kubernetes-only tuning of an ObservabilityStack; ignored when rendering to AWS.
 */
export interface ObservabilityKubernetesOptions {
  /**
   * Prometheus replicas; each scrapes every target (an HA pair by default).
   *
   * @default 2 (PlatformProfile.DEVELOPMENT: 1, with a warning)
   */
  readonly prometheusReplicas?: number;
  /**
   * Volume of each Prometheus replica.
   *
   * @default Size.gibibytes(50) (PlatformProfile.DEVELOPMENT: 10 GiB)
   */
  readonly prometheusStorage?: Size;
  /**
   * Size-based retention, as a Prometheus size (`45GB`); below the volume size so the disk never fills.
   *
   * @default 90 % of prometheusStorage
   */
  readonly retentionSize?: string;
  /**
   * Alertmanager replicas, clustered so a notification is sent once.
   *
   * @default 2 (PlatformProfile.DEVELOPMENT: 1, with a warning)
   */
  readonly alertmanagerReplicas?: number;
  /**
   * Secret key holding Grafana's admin password.
   *
   * @default PlatformSecret.named('grafana-admin', 'password')
   */
  readonly grafanaAdminSecret?: PlatformSecret;
  /**
   * Volume of Jaeger's trace store (Badger).
   *
   * @default Size.gibibytes(20) (PlatformProfile.DEVELOPMENT: 5 GiB)
   */
  readonly traceStorage?: Size;
  /**
   * How long traces are kept.
   *
   * @default Duration.hours(72) (PlatformProfile.DEVELOPMENT: 24 hours)
   */
  readonly traceRetention?: Duration;
  /**
   * Replicas of the in-cluster log store (Loki). Each is a complete store on its own volume: the
   * collector writes every record to each, so one replica, volume or node can fail without losing
   * or hiding a log. Read only with `LogDestination.platformStore()`.
   *
   * @default 2 (PlatformProfile.DEVELOPMENT: 1, with a warning)
   */
  readonly logStoreReplicas?: number;
  /**
   * Volume of each log store replica. Loki deletes by age only (`retention`), never by size: size
   * the volume for the retention and the daily log volume.
   *
   * @default Size.gibibytes(50) (PlatformProfile.DEVELOPMENT: 10 GiB)
   */
  readonly logStorage?: Size;
  /**
   * Node-level log collection (opt-in; see NodeLogCollection for its Pod Security level).
   *
   * @default none: logs arrive over OTLP through the collector
   */
  readonly nodeLogCollection?: NodeLogCollection;
  /**
   * Container images.
   *
   * @default pinned upstream images
   */
  readonly images?: ObservabilityImages;
  /**
   * Which Prometheus, Alertmanager and Grafana to use: the stack's own, or an existing Prometheus
   * Operator's (ServiceMonitors, a PrometheusRule and dashboard ConfigMaps instead).
   *
   * @default MetricsBackend.bundled()
   */
  readonly metricsBackend?: MetricsBackend;
}
