import { SIGNALS } from '../observability/signals';
import { HttpMetricSource } from '../platform/http-metrics';

/** Traefik's HTTP metrics of one gateway (its per-route counters and histograms, summed per job). */
export function gatewayHttpSource(job: string): HttpMetricSource {
  const http = SIGNALS.gateway.http!;
  return { job, names: service => http(service) };
}
