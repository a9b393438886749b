import { LogDestinationConfig } from './log-destination-config';
import { LOKI_HTTP_PORT } from './loki-config';
import { otelConfigLiteral } from '../../platform/escape/otel-config';
import { PlatformSecret } from '../../platform/secret';

/** Environment variables through which the collector reads a destination's credentials. */
export const LOGS_AUTHORIZATION_ENV = 'LOGS_AUTHORIZATION';
export const LOGS_PASSWORD_ENV = 'LOGS_PASSWORD';

/** The collector components that send logs somewhere, and the extensions they need. */
export interface LogExport {
  readonly exporters: Record<string, unknown>;
  readonly extensions: Record<string, unknown>;
}

/** A secret the collector reads into an environment variable. */
export interface LogExportSecret {
  readonly variable: string;
  readonly secret: PlatformSecret;
}

/**
 * Writes are retried for 15 minutes (a store restarting, a node drained) from an in-memory queue,
 * so a short outage of the store delays logs instead of losing them. The queue holds 100 batches
 * per exporter: bounded, so a long outage meets the memory limiter (which refuses new data, and
 * senders retry) before the collector runs out of memory.
 */
const DELIVERY = {
  retry_on_failure: { enabled: true, initial_interval: '5s', max_interval: '30s', max_elapsed_time: '15m' },
  sending_queue: { enabled: true, num_consumers: 4, queue_size: 100 },
};

/** The OTLP/HTTP endpoint of each replica of the in-cluster Loki (the headless Service names each pod). */
export function lokiReplicaEndpoints(replicas: number, headlessHost: string): string[] {
  return Array.from({ length: replicas }, (_, i) => `http://loki-${i}.${headlessHost}:${LOKI_HTTP_PORT}/otlp`);
}

/**
 * The collector's log exporters for `destination` (pure). The in-cluster store gets one exporter
 * per replica: every replica holds every record. User strings are escaped for the collector's
 * `${…}` expansion; credentials are only ever `${env:…}` references.
 */
export function logExport(destination: LogDestinationConfig, lokiEndpoints: readonly string[]): LogExport {
  const text = otelConfigLiteral;
  const password = `\${env:${LOGS_PASSWORD_ENV}}`;
  switch (destination.kind) {
    case 'platform':
      return {
        exporters: Object.fromEntries(lokiEndpoints.map((endpoint, i) => [`otlphttp/loki-${i}`, { endpoint, ...DELIVERY }])),
        extensions: {},
      };
    case 'otlp':
      return {
        exporters: {
          'otlphttp/logs': {
            endpoint: text(destination.url!),
            ...(destination.authorizationSecret ? { headers: { Authorization: `\${env:${LOGS_AUTHORIZATION_ENV}}` } } : {}),
            ...DELIVERY,
          },
        },
        extensions: {},
      };
    case 'elasticsearch':
      return {
        exporters: {
          'elasticsearch/logs': {
            endpoints: [text(destination.url!)],
            logs_index: text(destination.index!),
            ...(destination.credentials ? { user: text(destination.credentials.username), password } : {}),
            retry: { enabled: true, max_requests: 10 },
            sending_queue: DELIVERY.sending_queue,
          },
        },
        extensions: {},
      };
    case 'opensearch':
      return {
        exporters: {
          'opensearch/logs': {
            http: { endpoint: text(destination.url!), ...(destination.credentials ? { auth: { authenticator: 'basicauth/logs' } } : {}) },
            dataset: text(destination.dataset!),
            namespace: text(destination.namespace!),
            retry_on_failure: DELIVERY.retry_on_failure,
          },
        },
        extensions: destination.credentials
          ? { 'basicauth/logs': { client_auth: { username: text(destination.credentials.username), password } } }
          : {},
      };
  }
}

/** The secrets the collector needs in its environment for `destination`. */
export function logExportSecrets(destination: LogDestinationConfig): LogExportSecret[] {
  if (destination.authorizationSecret) return [{ variable: LOGS_AUTHORIZATION_ENV, secret: destination.authorizationSecret }];
  if (destination.credentials) return [{ variable: LOGS_PASSWORD_ENV, secret: destination.credentials.passwordSecret }];
  return [];
}
