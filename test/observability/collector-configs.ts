import { nodeLogCollectorConfig } from '../../src/observability/logs/kubernetes-node-logs';
import { LogDestinationConfig } from '../../src/observability/logs/log-destination-config';
import { logExport, lokiReplicaEndpoints } from '../../src/observability/logs/log-export';
import { adotCollectorConfig, kubernetesCollectorConfig } from '../../src/observability/tracing/otel-collector-config';
import { PlatformSecret } from '../../src/platform/secret';

const SECRET = PlatformSecret.named('logs-store', 'password');
/** Every kind of log destination, with and without credentials. */
export const DESTINATIONS: Record<string, LogDestinationConfig> = {
  'in-cluster Loki': { kind: 'platform' },
  'OTLP': { kind: 'otlp', url: 'https://logs.example.com/otlp' },
  'OTLP with an Authorization header': { kind: 'otlp', url: 'https://logs.example.com/otlp', authorizationSecret: SECRET },
  'Elasticsearch': { kind: 'elasticsearch', url: 'https://es.example.com:9200', index: 'logs-generic-default' },
  'Elasticsearch with basic auth': { kind: 'elasticsearch', url: 'https://es.example.com:9200', index: 'logs-generic-default', credentials: { username: 'otel', passwordSecret: SECRET } },
  'OpenSearch': { kind: 'opensearch', url: 'https://os.example.com:9200', dataset: 'default', namespace: 'platform' },
  'OpenSearch with basic auth': { kind: 'opensearch', url: 'https://os.example.com:9200', dataset: 'default', namespace: 'platform', credentials: { username: 'otel', passwordSecret: SECRET } },
};

const LOKI = lokiReplicaEndpoints(2, 'loki-headless.shop.svc.cluster.local');

export const kubernetesCollector = (destination: LogDestinationConfig) =>
  kubernetesCollectorConfig({ jaegerEndpoint: 'jaeger.shop.svc.cluster.local:4317', logs: logExport(destination, LOKI) });

export const adotCollector = (destination?: LogDestinationConfig) => adotCollectorConfig({
  region: 'us-east-1',
  clusterName: 'platform',
  remoteWriteUrl: 'https://aps/api/v1/remote_write',
  haCluster: 'platform-otel-collector',
  scrapeIntervalSeconds: 30,
  scrapeEcsTasks: true,
  dnsTargets: [],
  logGroupName: 'otlp',
  logs: destination ? logExport(destination, []) : undefined,
});

/** Every collector configuration the library generates, by name (pure renderings; the synthesized ones are walked in the tests too). */
export function everyCollectorConfig(): Array<[string, any]> {
  return [
    ...Object.entries(DESTINATIONS).map(([name, d]): [string, any] => [`Kubernetes collector, ${name}`, kubernetesCollector(d)]),
    ['ADOT collector, CloudWatch Logs', adotCollector()],
    ['ADOT collector, OTLP', adotCollector(DESTINATIONS.OTLP)],
    ['ADOT collector, OTLP with an Authorization header', adotCollector(DESTINATIONS['OTLP with an Authorization header'])],
    ['node-level log collector', nodeLogCollectorConfig('node-logs', 'otel-collector.shop.svc.cluster.local:4317')],
  ];
}
