import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { MOTO_CERTIFICATE_ARN } from './fixtures';
import { Gateway, TlsSource } from '../../src/gateway';
import { ERROR_RATIO } from '../../src/observability/alerting/alert-rules';
import { awsStack, kubernetesChart } from '../util';

describe('Gateway metrics', () => {
  const onKubernetes = () => new Gateway(kubernetesChart(), 'Api', { kubernetes: { tls: TlsSource.secret('api-tls') } });
  const onAws = () => {
    const stack = awsStack();
    return new Gateway(stack, 'Api', { aws: { certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', MOTO_CERTIFICATE_ARN) } });
  };

  test.each([['kubernetes', onKubernetes], ['aws', onAws]])('on %s: Traefik\'s series, every route together (the collector scrapes Traefik on AWS too)', (_, make) => {
    const gateway = make();
    expect(gateway.metricRequestRate().promQl).toBe('sum by (job) (rate(traefik_service_requests_total{job="api"}[5m]))');
    expect(gateway.metricErrorRate().promQl).toBe(`${ERROR_RATIO('5m')}{job="api"}`);
    expect(gateway.metricLatencyP99().promQl).toBe('histogram_quantile(0.99, sum by (job, le) (rate(traefik_service_request_duration_seconds_bucket{job="api"}[5m])))');
    expect(gateway.prometheusMetric('traefik_open_connections').promQl).toBe('traefik_open_connections{job="api"}');
  });

  test('on kubernetes there is no CloudWatch; on AWS the load balancer\'s metrics in the same units', () => {
    expect(onKubernetes().metricErrorRate().cloudWatch).toBeUndefined();
    const gateway = onAws();
    const errors: any = gateway.metricErrorRate().cloudWatch!.toMetricConfig().mathExpression;
    expect(errors.expression).toBe('IF(requests > 0, errors / requests, 0)');
    expect(Object.keys(errors.usingMetrics.requests.dimensions)).toEqual(['LoadBalancer']);
    expect(gateway.metricLatencyP99().cloudWatch!.toMetricConfig().metricStat).toMatchObject({ metricName: 'TargetResponseTime', statistic: 'p99' });
    expect((gateway.metricRequestRate().cloudWatch!.toMetricConfig() as any).mathExpression.expression).toBe('m / PERIOD(m)');
  });

  test('prometheusMetric refuses a name that is not a Prometheus metric name', () => {
    expect(() => onKubernetes().prometheusMetric('1bad')).toThrow(
      'platform/Api: prometheusMetric(metricName) is not a Prometheus metric name (got "1bad"): letters, digits, _ and :, not starting with a digit');
  });
});
