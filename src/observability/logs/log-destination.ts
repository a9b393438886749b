import { Duration } from 'aws-cdk-lib';
import { LogDestinationConfig } from './log-destination-config';
import { PlatformSecret } from '../../platform/secret';

/**
 * Options of the platform's own log store.
 */
export interface PlatformLogStoreOptions {
  /**
   * How long logs are kept, in whole days. On Kubernetes it is Loki's retention period; on AWS the
   * retention of the CloudWatch Logs group receiving OTLP logs, so it must be one of the periods
   * CloudWatch Logs offers (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, … days).
   *
   * @default Duration.days(30) on Kubernetes (PlatformProfile.DEVELOPMENT: 7 days); on AWS `aws.logRetention`, else the platform's log retention
   */
  readonly retention?: Duration;
}

/**
 * An OTLP/HTTP log store the user already runs (Loki 3's `/otlp`, a vendor, another collector).
 */
export interface OtlpLogDestinationOptions {
  /**
   * OTLP/HTTP base URL; the collector appends `/v1/logs`. https is required under the production profile.
   */
  readonly url: string;
  /**
   * Secret holding the whole `Authorization` header value (e.g. `Bearer …` or `Basic …`). Read by the
   * collector from its environment: the value never appears in a template, manifest or configuration.
   *
   * @default no Authorization header
   */
  readonly authorizationSecret?: PlatformSecret;
}

/**
 * Credentials for HTTP basic authentication against an Elasticsearch or OpenSearch cluster.
 */
export interface SearchClusterCredentials {
  /** User name (not a secret: it is written into the collector configuration). */
  readonly username: string;
  /** Secret holding the password. */
  readonly passwordSecret: PlatformSecret;
}

/**
 * An Elasticsearch cluster the user already runs (Kubernetes only: the AWS collector has no
 * Elasticsearch exporter).
 */
export interface ElasticsearchLogDestinationOptions {
  /** Elasticsearch URL; https is required under the production profile. */
  readonly url: string;
  /**
   * Index, alias or data stream receiving the logs.
   *
   * @default 'logs-generic-default'
   */
  readonly index?: string;
  /**
   * Basic-authentication credentials.
   *
   * @default none: the cluster accepts unauthenticated writes
   */
  readonly credentials?: SearchClusterCredentials;
}

/**
 * An OpenSearch cluster the user already runs (Kubernetes only: the AWS collector has no
 * OpenSearch exporter). Logs go to the data stream `ss4o_logs-<dataset>-<namespace>`.
 */
export interface OpenSearchLogDestinationOptions {
  /** OpenSearch URL; https is required under the production profile. */
  readonly url: string;
  /**
   * Data stream dataset.
   *
   * @default 'default'
   */
  readonly dataset?: string;
  /**
   * Data stream namespace.
   *
   * @default 'platform'
   */
  readonly namespace?: string;
  /**
   * Basic-authentication credentials.
   *
   * @default none: the cluster accepts unauthenticated writes
   */
  readonly credentials?: SearchClusterCredentials;
}

/**
 * Where the ObservabilityStack sends logs: the platform's own store, or one the user already runs.
 */
export class LogDestination {
  /**
   * The platform's own log store: Loki in the cluster on Kubernetes, CloudWatch Logs on AWS.
   */
  public static platformStore(options: PlatformLogStoreOptions = {}): LogDestination {
    return new LogDestination({ kind: 'platform', retention: options.retention });
  }

  /**
   * An existing OTLP/HTTP log store, on both targets. No log store is run.
   */
  public static otlp(options: OtlpLogDestinationOptions): LogDestination {
    return new LogDestination({ kind: 'otlp', url: options.url, authorizationSecret: options.authorizationSecret });
  }

  /**
   * An existing Elasticsearch cluster (Kubernetes only). No log store is run.
   */
  public static elasticsearch(options: ElasticsearchLogDestinationOptions): LogDestination {
    return new LogDestination({ kind: 'elasticsearch', url: options.url, index: options.index ?? 'logs-generic-default', credentials: options.credentials });
  }

  /**
   * An existing OpenSearch cluster (Kubernetes only). No log store is run.
   */
  public static openSearch(options: OpenSearchLogDestinationOptions): LogDestination {
    return new LogDestination({
      kind: 'opensearch', url: options.url, dataset: options.dataset ?? 'default', namespace: options.namespace ?? 'platform', credentials: options.credentials,
    });
  }

  /**
   * The destination as the renderers read it.
   *
   * @internal
   */
  public readonly _config: LogDestinationConfig;

  /** `platform`, `otlp`, `elasticsearch` or `opensearch`. */
  public readonly kind: string;

  private constructor(config: LogDestinationConfig) {
    this._config = config;
    this.kind = config.kind;
  }
}
