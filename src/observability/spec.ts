import { Duration, Size, SizeRoundingBehavior } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { SloTargets } from './alert-rules';
import { LogDestinationConfig } from './log-destination-config';
import { ObservabilityStackProps } from './props';
import { AlertReceiver } from './receivers';
import { AlertThresholds, HttpSignals } from './rule-types';
import { ExistingPrometheusWorkspace, ObservabilityImages } from './target-props';
import { PlatformProfile } from '../platform/profile';
import { PlatformSecret } from '../platform/secret';

/** ObservabilityStackProps with every default applied: what both renderers read. */
export interface ObservabilitySpec {
  readonly watch?: readonly IConstruct[];
  readonly slo: SloTargets;
  readonly receivers: readonly AlertReceiver[];
  readonly retention: string;
  readonly scrapeIntervalSeconds: number;
  readonly serviceMetrics: HttpSignals;
  readonly thresholds: AlertThresholds;
  readonly logsEndpoint?: string;
  /** Where logs go (`logs`, or the deprecated `logsEndpoint` as an OTLP destination). */
  readonly logs: LogDestinationConfig;
  /** Whether both `logs` and `logsEndpoint` were given (refused). */
  readonly conflictingLogProps: boolean;
  readonly aws: {
    readonly workspace?: ExistingPrometheusWorkspace;
    readonly grafana: boolean;
    readonly cloudWatchAlarms: boolean;
    readonly collectorImage: string;
    readonly logRetention?: logs.RetentionDays;
  };
  readonly kubernetes: {
    readonly prometheusReplicas: number;
    readonly prometheusStorageGiB: number;
    readonly retentionSize: string;
    readonly alertmanagerReplicas: number;
    readonly grafanaAdminSecret: PlatformSecret;
    readonly traceStorageGiB: number;
    readonly traceRetentionHours: number;
    readonly nodeLogNamespace?: string;
    readonly logRetentionDays: number;
    readonly logStoreReplicas: number;
    readonly logStorageGiB: number;
    readonly images: Required<ObservabilityImages>;
  };
}

export const OBSERVABILITY_DEFAULTS = {
  availability: 0.999,
  latencyP95: Duration.millis(500),
  errorRate: 0.01,
  retention: '15d',
  scrapeInterval: Duration.seconds(30),
  serviceCpuUtilization: 0.9,
  serviceMemoryUtilization: 0.9,
  serviceCpuCores: 0.45,
  serviceMemory: Size.mebibytes(1024 * 0.9),
  serviceRestartsPerHour: 3,
  cacheMemoryUtilization: 0.9,
  queueBacklogMessages: 1000,
  cacheReplicationLag: Size.mebibytes(16),
  mongoReplicationLag: Duration.seconds(10),
  mongoConnectionsUtilization: 0.8,
  collectorImage: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0',
  prometheusStorage: Size.gibibytes(50),
  traceStorage: Size.gibibytes(20),
  traceRetention: Duration.hours(72),
  prometheusReplicas: 2,
  alertmanagerReplicas: 2,
  logRetention: Duration.days(30),
  logStoreReplicas: 2,
  logStorage: Size.gibibytes(50),
  images: {
    prometheus: 'prom/prometheus:v2.53.1',
    alertmanager: 'prom/alertmanager:v0.27.0',
    grafana: 'grafana/grafana:11.1.0',
    otelCollector: 'otel/opentelemetry-collector-contrib:0.104.0',
    jaeger: 'jaegertracing/all-in-one:1.58.0',
    loki: 'grafana/loki:3.1.0',
  },
};

/**
 * What the DEVELOPMENT profile changes: a week of metrics, a day of traces, one Prometheus and one
 * Alertmanager (warnings say so) on small volumes.
 */
export const OBSERVABILITY_DEVELOPMENT_DEFAULTS = {
  retention: '7d',
  prometheusReplicas: 1,
  alertmanagerReplicas: 1,
  prometheusStorage: Size.gibibytes(10),
  traceStorage: Size.gibibytes(5),
  traceRetention: Duration.hours(24),
  logRetention: Duration.days(7),
  logStoreReplicas: 1,
  logStorage: Size.gibibytes(10),
};

/** Applies defaults (the profile's, where the props leave a value unset). Pure: the same props always give the same spec. */
export function resolveObservabilitySpec(props: ObservabilityStackProps, profile = PlatformProfile.PRODUCTION): ObservabilitySpec {
  const d = profile === PlatformProfile.DEVELOPMENT ? { ...OBSERVABILITY_DEFAULTS, ...OBSERVABILITY_DEVELOPMENT_DEFAULTS } : OBSERVABILITY_DEFAULTS;
  const r = props.resourceAlerts ?? {};
  const k = props.kubernetes ?? {};
  const names = props.metricNames ?? {};
  const storageGiB = (k.prometheusStorage ?? d.prometheusStorage).toGibibytes({ rounding: SizeRoundingBehavior.FLOOR });
  return {
    watch: props.watch,
    slo: {
      availability: props.slo?.availability ?? d.availability,
      latencyP95Seconds: (props.slo?.latencyP95 ?? d.latencyP95).toMilliseconds() / 1000,
      errorRate: props.slo?.errorRate ?? d.errorRate,
    },
    receivers: [...(props.receivers ?? [])],
    retention: props.retention ?? d.retention,
    scrapeIntervalSeconds: (props.scrapeInterval ?? d.scrapeInterval).toSeconds({ integral: false }),
    serviceMetrics: {
      requests: names.requestsTotal ?? 'http_requests_total',
      duration: names.requestDuration ?? 'http_request_duration_seconds',
      statusLabel: names.statusCodeLabel ?? 'code',
      routeLabel: names.routeLabel ?? 'route',
    },
    thresholds: {
      serviceCpuUtilization: r.serviceCpuUtilization ?? d.serviceCpuUtilization,
      serviceMemoryUtilization: r.serviceMemoryUtilization ?? d.serviceMemoryUtilization,
      serviceCpuCores: r.serviceCpuCores ?? d.serviceCpuCores,
      serviceMemoryBytes: (r.serviceMemory ?? d.serviceMemory).toBytes({ rounding: SizeRoundingBehavior.NONE }),
      serviceRestartsPerHour: r.serviceRestartsPerHour ?? d.serviceRestartsPerHour,
      cacheMemoryUtilization: r.cacheMemoryUtilization ?? d.cacheMemoryUtilization,
      cacheReplicationLagBytes: (r.cacheReplicationLag ?? d.cacheReplicationLag).toBytes({ rounding: SizeRoundingBehavior.NONE }),
      mongoReplicationLagSeconds: (r.mongoReplicationLag ?? d.mongoReplicationLag).toSeconds({ integral: false }),
      mongoConnectionsUtilization: r.mongoConnectionsUtilization ?? d.mongoConnectionsUtilization,
      queueBacklogMessages: r.queueBacklogMessages ?? d.queueBacklogMessages,
    },
    logsEndpoint: props.logsEndpoint,
    logs: props.logs?._config ?? (props.logsEndpoint !== undefined ? { kind: 'otlp', url: props.logsEndpoint } : { kind: 'platform' }),
    conflictingLogProps: props.logs !== undefined && props.logsEndpoint !== undefined,
    aws: {
      workspace: props.aws?.prometheusWorkspace,
      grafana: props.aws?.grafana ?? false,
      cloudWatchAlarms: props.aws?.cloudWatchAlarms ?? true,
      collectorImage: props.aws?.collectorImage ?? d.collectorImage,
      logRetention: props.aws?.logRetention,
    },
    kubernetes: {
      prometheusReplicas: k.prometheusReplicas ?? d.prometheusReplicas,
      prometheusStorageGiB: storageGiB,
      // Prometheus "GB" are 2^30 bytes: 90 % of the volume leaves room for the WAL and compaction.
      retentionSize: k.retentionSize ?? `${Math.max(1, Math.floor(storageGiB * 0.9))}GB`,
      alertmanagerReplicas: k.alertmanagerReplicas ?? d.alertmanagerReplicas,
      grafanaAdminSecret: k.grafanaAdminSecret ?? PlatformSecret.named('grafana-admin', 'password'),
      traceStorageGiB: (k.traceStorage ?? d.traceStorage).toGibibytes({ rounding: SizeRoundingBehavior.FLOOR }),
      traceRetentionHours: (k.traceRetention ?? d.traceRetention).toHours({ integral: false }),
      nodeLogNamespace: k.nodeLogCollection?.namespace,
      logRetentionDays: (props.logs?._config.retention ?? d.logRetention).toHours({ integral: false }) / 24,
      logStoreReplicas: k.logStoreReplicas ?? d.logStoreReplicas,
      logStorageGiB: (k.logStorage ?? d.logStorage).toGibibytes({ rounding: SizeRoundingBehavior.FLOOR }),
      images: { ...d.images, ...k.images },
    },
  };
}
