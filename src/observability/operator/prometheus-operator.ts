import { RuleGroup } from '../alerting/rule-types';
import { KubernetesScrapeTarget } from '../metrics/kubernetes-scrape-targets';
import { SCRAPE_SCHEME, scrapeTiming } from '../metrics/prometheus-config';

/** API version of the ServiceMonitor and PrometheusRule kinds. */
export const MONITORING_API_VERSION = 'monitoring.coreos.com/v1';

export interface ServiceMonitorInput {
  readonly target: KubernetesScrapeTarget;
  readonly platformName: string;
  readonly scrapeIntervalSeconds: number;
}

/**
 * The ServiceMonitor `spec` scraping `target` as the bundled Prometheus does (pure): the same
 * headless Service, port, path, scheme, interval, timeout and `honor_labels`. The operator names
 * jobs after the Service (`<job>-scrape`); a relabelling restores the job name the alert rules
 * and dashboards select on.
 */
export function serviceMonitorSpec(input: ServiceMonitorInput): Record<string, unknown> {
  const { target } = input;
  const { interval, timeout } = scrapeTiming(input.scrapeIntervalSeconds);
  return {
    selector: { matchLabels: { 'app.kubernetes.io/name': target.serviceName, 'app.kubernetes.io/part-of': input.platformName } },
    namespaceSelector: { matchNames: [target.namespace] },
    endpoints: [{
      port: target.portName,
      path: target.path,
      scheme: SCRAPE_SCHEME,
      interval,
      scrapeTimeout: timeout,
      ...(target.honorLabels ? { honorLabels: true } : {}),
      relabelings: [{ action: 'replace', targetLabel: 'job', replacement: target.job }],
    }],
  };
}

/** The PrometheusRule `spec`: the rule groups exactly as the bundled Prometheus loads them (pure). */
export function prometheusRuleSpec(groups: readonly RuleGroup[]): Record<string, unknown> {
  return { groups: groups.map(g => ({ name: g.name, rules: g.rules.map(r => ({ ...r })) })) };
}
