import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PlatformSecret, ServiceCluster } from '../../src';
import { AlertReceiver, LogDestination, ObservabilityStack } from '../../src/observability';

/**
 * Two services and the stack that watches them, written once. Under a Stack: Amazon Managed
 * Service for Prometheus fed by an ADOT collector, SLO rules routed to an encrypted SNS topic
 * (Slack through AWS Chatbot, a webhook over HTTPS), CloudWatch dashboard and alarms, X-Ray.
 * Under a Chart: Prometheus, Alertmanager (Slack URL read from a mounted Secret), Grafana with a
 * dashboard per service and a log search, an OpenTelemetry Collector, Jaeger and two Loki replicas.
 * Logs are kept 30 days on both: Loki's retention, or the CloudWatch Logs group of OTLP logs.
 */
export function defineObservability(scope: Construct): void {
  const catalog = new ServiceCluster(scope, 'Catalog', {
    image: 'ghcr.io/acme/catalog:3.2.1',
    metrics: { port: 9090, path: '/metrics' },
  });
  const observability = new ObservabilityStack(scope, 'Observability', {
    receivers: [
      AlertReceiver.slack({
        apiUrlSecret: PlatformSecret.named('alerting-slack', 'webhook-url'),
        channel: '#platform-alerts',
        awsChatbot: { slackWorkspaceId: 'T0123ABCD', slackChannelId: 'C0123ABCD' },
      }),
      AlertReceiver.webhook('https://oncall.example.com/hooks/platform', { snsEnvelopeOnAws: true }),
    ],
    retention: '30d',
    logs: LogDestination.platformStore({ retention: Duration.days(30) }),
  });
  // Created after the stack: it is observed all the same (discovery runs at synthesis).
  const orders = new ServiceCluster(scope, 'Orders', {
    image: 'ghcr.io/acme/orders:2.0.0',
    environment: { CATALOG_URL: catalog.endpoint.url },
  });
  catalog.allowFrom(orders);
  for (const service of [catalog, orders]) {
    service.addEnvironment('OTEL_EXPORTER_OTLP_ENDPOINT', observability.endpoint.url);
    service.addEnvironment('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf');
  }
  // An alert of your own on a portable metric: a Prometheus rule on both targets, routed like the built-in ones.
  observability.addAlert('OrdersSlow', {
    metric: orders.metricLatencyP99(),
    threshold: 1,
    duration: Duration.minutes(10),
    summary: 'Orders p99 latency is above 1 s',
    description: 'Look at the slowest routes on the Orders dashboard.',
  });
}
