/**
 * How a construct exposes Prometheus-format metrics, for the observability stack to discover.
 */
export interface MetricsSource {
  /** Job name for the scrape configuration (the construct's name). */
  readonly job: string;
  /** What kind of platform construct exports these metrics (`service`, `gateway`, `cache`, `mongo`). */
  readonly kind: string;
  /** Port serving the metrics. */
  readonly port: number;
  /** HTTP path of the metrics. */
  readonly path: string;
  /** DNS name (or service-discovery name) that resolves to the instances to scrape. */
  readonly host: string;
  /** Labels selecting the instances on Kubernetes; empty on AWS. */
  readonly selector: Record<string, string>;
  /** Kubernetes namespace of the instances; empty on AWS. */
  readonly namespace: string;
  /**
   * vCPU one instance may use: resource alerts fire at a fraction of it.
   *
   * @default - not declared: the observability stack's absolute CPU threshold applies
   */
  readonly cpuCores?: number;
  /**
   * Memory one instance may use, in bytes: resource alerts fire at a fraction of it.
   *
   * @default - not declared: the observability stack's absolute memory threshold applies
   */
  readonly memoryBytes?: number;
}
