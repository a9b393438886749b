import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { SIGNALS } from '../observability/metrics/signals';
import { HttpMetricSource } from '../platform/http-metrics';

/**
 * Traefik's HTTP metrics of one gateway (its per-route counters and histograms, summed per job),
 * and on AWS its Application Load Balancer's.
 */
export function gatewayHttpSource(job: string, loadBalancer?: elbv2.ApplicationLoadBalancer): HttpMetricSource {
  const http = SIGNALS.gateway.http!;
  return { job, names: service => http(service), loadBalancer: loadBalancer && { LoadBalancer: loadBalancer.loadBalancerFullName } };
}
