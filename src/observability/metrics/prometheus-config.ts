/** One scrape job found by DNS: every A record of `dnsName` is an instance serving `path` on `port`. */
export interface DnsScrapeTarget {
  readonly job: string;
  readonly dnsName: string;
  readonly port: number;
  readonly path: string;
  /** Keep `job`/`instance` labels the target sets itself (a collector re-exposing other jobs' metrics). */
  readonly honorLabels?: boolean;
}

export interface PrometheusConfigInput {
  /** Added to every series and alert as `platform`. */
  readonly platformName: string;
  readonly scrapeIntervalSeconds: number;
  /** The platform's metrics sources, plus the stack's own components. */
  readonly targets: readonly DnsScrapeTarget[];
  /** Headless Service of the Alertmanager replicas: Prometheus sends every alert to each of them. */
  readonly alertmanager: { readonly dnsName: string; readonly port: number };
  /** Glob of the rule files. */
  readonly ruleFiles: string;
}

/** Scheme of every scrape: metrics ports serve plain HTTP inside the cluster or VPC. */
export const SCRAPE_SCHEME = 'http';

/** Scrape interval and timeout (the timeout at most 10 s, never above the interval). */
export function scrapeTiming(scrapeIntervalSeconds: number): { readonly interval: string; readonly timeout: string } {
  return { interval: `${scrapeIntervalSeconds}s`, timeout: `${Math.min(10, scrapeIntervalSeconds)}s` };
}

/** Interval of DNS re-resolution: new replicas are scraped within this delay. */
const DNS_REFRESH = '30s';

/**
 * prometheus.yml (pure). Targets are found with `dns_sd_configs` on headless Services, so
 * Prometheus needs no Kubernetes API access (no RBAC, no service-account token) and sees each
 * replica individually.
 */
export function prometheusConfig(input: PrometheusConfigInput): Record<string, unknown> {
  const { interval, timeout } = scrapeTiming(input.scrapeIntervalSeconds);
  return {
    global: {
      scrape_interval: interval,
      scrape_timeout: timeout,
      evaluation_interval: interval,
      external_labels: { platform: input.platformName },
    },
    rule_files: [input.ruleFiles],
    alerting: {
      alertmanagers: [{
        api_version: 'v2',
        dns_sd_configs: [{ names: [input.alertmanager.dnsName], type: 'A', port: input.alertmanager.port, refresh_interval: DNS_REFRESH }],
      }],
    },
    scrape_configs: [
      { job_name: 'prometheus', static_configs: [{ targets: ['localhost:9090'] }] },
      ...input.targets.map(dnsScrapeConfig),
    ],
  };
}

/** A scrape job over the A records of one DNS name. */
export function dnsScrapeConfig(target: DnsScrapeTarget): Record<string, unknown> {
  return {
    job_name: target.job,
    metrics_path: target.path,
    scheme: SCRAPE_SCHEME,
    ...(target.honorLabels ? { honor_labels: true } : {}),
    dns_sd_configs: [{ names: [target.dnsName], type: 'A', port: target.port, refresh_interval: DNS_REFRESH }],
  };
}
