import { HttpSignals, promNumber } from '../alerting/rule-types';

/** Requests per second of each instance (the counter's 5-minute rate). */
export function requestRate(http: HttpSignals, selector: string): string {
  return `rate(${http.requests}{${selector}}[5m])`;
}

/**
 * A latency quantile (seconds) over 5 minutes, per job, or per job and route: the route label is
 * copied to `route` when the workload names it differently, and a workload without one is per job.
 */
export function latencyQuantile(quantile: number, http: HttpSignals, selector: string, perRoute: boolean): string {
  const buckets = `rate(${http.duration}_bucket{${selector}}[5m])`;
  const grouped = !perRoute || http.routeLabel === '' ? `sum by (job, le) (${buckets})`
    : http.routeLabel === 'route' ? `sum by (job, route, le) (${buckets})`
      : `sum by (job, route, le) (label_replace(${buckets}, "route", "$1", "${http.routeLabel}", "(.*)"))`;
  return `histogram_quantile(${promNumber(quantile)}, ${grouped})`;
}
