import { LogExport } from '../logs/log-export';
import { DnsScrapeTarget, dnsScrapeConfig } from '../metrics/prometheus-config';

export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;
export const COLLECTOR_HEALTH_PORT = 13133;
/** Port of the Kubernetes collector's Prometheus exporter (OTLP metrics, re-exposed for Prometheus). */
export const COLLECTOR_METRICS_PORT = 8889;

const OTLP_RECEIVER = {
  otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${OTLP_GRPC_PORT}` }, http: { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` } } },
};
const PROCESSORS = {
  // Refuse data before the collector runs out of memory, then batch what it accepts.
  memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 },
  batch: {},
};
const PIPELINE_PROCESSORS = ['memory_limiter', 'batch'];

export interface KubernetesCollectorInput {
  /** OTLP/gRPC address of Jaeger's collector (`host:port`). */
  readonly jaegerEndpoint: string;
  /** Where logs go (the in-cluster store or an existing one); see `logExport`. */
  readonly logs: LogExport;
}

/**
 * OpenTelemetry Collector configuration on Kubernetes (pure): OTLP in (services, and container
 * logs from the node-level collectors); traces to Jaeger, metrics re-exposed for Prometheus, logs
 * to the log store. Nothing is only printed: every pipeline ends in a store.
 */
export function kubernetesCollectorConfig(input: KubernetesCollectorInput): Record<string, unknown> {
  return {
    extensions: { health_check: { endpoint: `0.0.0.0:${COLLECTOR_HEALTH_PORT}` }, ...input.logs.extensions },
    receivers: OTLP_RECEIVER,
    processors: PROCESSORS,
    exporters: {
      'otlp/jaeger': { endpoint: input.jaegerEndpoint, tls: { insecure: true } },
      'prometheus': { endpoint: `0.0.0.0:${COLLECTOR_METRICS_PORT}`, resource_to_telemetry_conversion: { enabled: true } },
      ...input.logs.exporters,
    },
    service: {
      extensions: ['health_check', ...Object.keys(input.logs.extensions)],
      pipelines: {
        traces: { receivers: ['otlp'], processors: PIPELINE_PROCESSORS, exporters: ['otlp/jaeger'] },
        metrics: { receivers: ['otlp'], processors: PIPELINE_PROCESSORS, exporters: ['prometheus'] },
        logs: { receivers: ['otlp'], processors: PIPELINE_PROCESSORS, exporters: Object.keys(input.logs.exporters) },
      },
    },
  };
}

/**
 * Docker labels marking an ECS container as a scrape target: the collector finds every labelled
 * task of the cluster through the ECS API, so its configuration stays the same size however many
 * services the platform runs.
 */
export const ECS_SCRAPE_LABELS = { port: 'PLATFORM_METRICS_PORT', path: 'PLATFORM_METRICS_PATH', job: 'PLATFORM_METRICS_JOB' } as const;

export interface AdotCollectorInput {
  readonly region: string;
  readonly clusterName: string;
  /** `…/api/v1/remote_write` of the AMP workspace. */
  readonly remoteWriteUrl: string;
  /** The collectors' high-availability group: the `cluster` label on every scraped sample. */
  readonly haCluster: string;
  readonly scrapeIntervalSeconds: number;
  /** Whether any ECS container carries the scrape labels. */
  readonly scrapeEcsTasks: boolean;
  readonly dnsTargets: readonly DnsScrapeTarget[];
  /** CloudWatch Logs group for OTLP logs (unless `logs` names another destination). */
  readonly logGroupName: string;
  /**
   * An existing store receiving logs instead of CloudWatch Logs (OTLP/HTTP only on AWS).
   *
   * @default CloudWatch Logs
   */
  readonly logs?: LogExport;
}

/** Where ecs_observer writes the targets it finds (on the task's writable /tmp). */
export const ECS_TARGETS_FILE = '/tmp/ecs_sd_targets.yaml';

/**
 * Prometheus configuration of the ADOT collector's `prometheus` receiver (pure). Tasks behind
 * a load balancer cannot be told apart by DNS, so ECS tasks are scraped one by one from the file
 * ecs_observer keeps up to date (every task whose container carries the scrape labels); other
 * sources are found by DNS.
 */
export function adotPrometheusConfig(input: AdotCollectorInput): Record<string, unknown> {
  const interval = `${input.scrapeIntervalSeconds}s`;
  const ecs = !input.scrapeEcsTasks ? [] : [{
    job_name: 'ecs-tasks',
    file_sd_configs: [{ files: [ECS_TARGETS_FILE] }],
    // ecs_observer labels each target with its job; the default replacement copies it.
    relabel_configs: [{ source_labels: ['prometheus_job'], regex: '(.+)', target_label: 'job' }],
  }];
  return {
    global: { scrape_interval: interval, scrape_timeout: `${Math.min(10, input.scrapeIntervalSeconds)}s` },
    scrape_configs: [...ecs, ...input.dnsTargets.map(dnsScrapeConfig)],
  };
}

/**
 * Each collector task's replica name: ECS injects the task's own metadata URI (unique per task) into
 * every container, and the collector expands `${env:…}` when it loads its configuration.
 */
export const ADOT_REPLICA = '${env:ECS_CONTAINER_METADATA_URI_V4}';

/**
 * AWS Distro for OpenTelemetry collector configuration (pure): scrapes the platform into Amazon
 * Managed Service for Prometheus (SigV4 remote write), sends OTLP traces to X-Ray and OTLP logs to
 * CloudWatch Logs. Several tasks scrape the same targets: their samples carry AMP's
 * high-availability labels (`cluster`, `__replica__`), so the workspace keeps one replica's and
 * drops the others'. OTLP metrics reach one task only, so they are written without those labels
 * (de-duplication would drop the samples of the replica it did not elect). The only `$` in this
 * configuration is the replica name, meant to be expanded.
 */
export function adotCollectorConfig(input: AdotCollectorInput): Record<string, unknown> {
  const logExporters = input.logs?.exporters ?? { awscloudwatchlogs: { region: input.region, log_group_name: input.logGroupName, log_stream_name: 'otlp' } };
  const ecsObserver = !input.scrapeEcsTasks ? {} : {
    ecs_observer: {
      cluster_name: input.clusterName,
      cluster_region: input.region,
      refresh_interval: '60s',
      result_file: ECS_TARGETS_FILE,
      job_label_name: 'prometheus_job',
      docker_labels: [{
        port_label: ECS_SCRAPE_LABELS.port,
        metrics_path_label: ECS_SCRAPE_LABELS.path,
        job_name_label: ECS_SCRAPE_LABELS.job,
      }],
    },
  };
  return {
    extensions: {
      health_check: { endpoint: `0.0.0.0:${COLLECTOR_HEALTH_PORT}` },
      sigv4auth: { region: input.region, service: 'aps' },
      ...ecsObserver,
    },
    receivers: { ...OTLP_RECEIVER, prometheus: { config: adotPrometheusConfig(input) } },
    processors: PROCESSORS,
    exporters: {
      'prometheusremotewrite/scraped': {
        endpoint: input.remoteWriteUrl,
        auth: { authenticator: 'sigv4auth' },
        external_labels: { cluster: input.haCluster, __replica__: ADOT_REPLICA },
      },
      'prometheusremotewrite': {
        endpoint: input.remoteWriteUrl,
        auth: { authenticator: 'sigv4auth' },
        resource_to_telemetry_conversion: { enabled: true },
      },
      'awsxray': { region: input.region },
      ...logExporters,
    },
    service: {
      extensions: ['health_check', 'sigv4auth', ...Object.keys(ecsObserver)],
      pipelines: {
        'metrics/scraped': { receivers: ['prometheus'], processors: PIPELINE_PROCESSORS, exporters: ['prometheusremotewrite/scraped'] },
        'metrics': { receivers: ['otlp'], processors: PIPELINE_PROCESSORS, exporters: ['prometheusremotewrite'] },
        'traces': { receivers: ['otlp'], processors: PIPELINE_PROCESSORS, exporters: ['awsxray'] },
        'logs': { receivers: ['otlp'], processors: PIPELINE_PROCESSORS, exporters: Object.keys(logExporters) },
      },
    },
  };
}
