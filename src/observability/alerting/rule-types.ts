/** A Prometheus alerting rule, as written in a rule file. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** A Prometheus recording rule. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Record<string, string>;
}

/** A rule group of a Prometheus rule file. */
export interface RuleGroup {
  readonly name: string;
  readonly rules: ReadonlyArray<AlertRule | RecordingRule>;
}

/** A dashboard panel: what it shows, in which unit, from which PromQL queries. */
export interface PanelSpec {
  readonly title: string;
  /** Grafana unit id (`reqps`, `percentunit`, `s`, `bytes`, `short`…). */
  readonly unit: string;
  readonly queries: ReadonlyArray<{ readonly expr: string; readonly legend: string }>;
}

/** Alert thresholds with every default applied. */
export interface AlertThresholds {
  /** Fraction of its declared vCPU a service instance may use. */
  readonly serviceCpuUtilization: number;
  /** Fraction of its declared memory a service instance may use. */
  readonly serviceMemoryUtilization: number;
  /** Absolute CPU threshold of instances whose size is not declared. */
  readonly serviceCpuCores: number;
  /** Absolute memory threshold of instances whose size is not declared. */
  readonly serviceMemoryBytes: number;
  readonly serviceRestartsPerHour: number;
  readonly cacheMemoryUtilization: number;
  readonly cacheReplicationLagBytes: number;
  readonly mongoReplicationLagSeconds: number;
  readonly mongoConnectionsUtilization: number;
  readonly queueBacklogMessages: number;
}

/** A scrape job the rules cover: its name, the kind of construct behind it, and its size when declared. */
export interface WatchedJob {
  readonly job: string;
  readonly kind: string;
  /** vCPU of one instance. */
  readonly cpuCores?: number;
  /** Memory of one instance, in bytes. */
  readonly memoryBytes?: number;
}

/** Metric names an HTTP workload exports, with every default applied. */
export interface HttpSignals {
  /** Counter of requests, labelled with the status code. */
  readonly requests: string;
  /** Histogram of request durations in seconds (the base name; `_bucket` is appended). */
  readonly duration: string;
  /** Label holding the HTTP status code. */
  readonly statusLabel: string;
  /** Label naming the route (copied to `route` in recordings); empty when there is none. */
  readonly routeLabel: string;
}

/** `{job=~"a|b"}`-style selector body for the given jobs and extra matchers. */
export function jobSelector(jobs: readonly string[], ...matchers: string[]): string {
  return [`job=~"${jobs.join('|')}"`, ...matchers].join(', ');
}

/** A number as PromQL writes it: no floating-point noise (0.0144, not 0.014400000000000001). */
export function promNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}
