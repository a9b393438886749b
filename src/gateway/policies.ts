import { Duration } from 'aws-cdk-lib';
import { IRedisConnection } from '../platform/redis-connection';

/**
 * Cross-origin resource sharing, answered at the gateway (preflight requests never reach a service).
 */
export interface CorsOptions {
  /** Allowed origins, e.g. `https://app.example.com`; `*` allows any origin (not with credentials). */
  readonly allowOrigins: string[];
  /**
   * Allowed methods.
   *
   * @default GET, POST, PUT, PATCH, DELETE, OPTIONS
   */
  readonly allowMethods?: string[];
  /**
   * Allowed request headers.
   *
   * @default Authorization, Content-Type
   */
  readonly allowHeaders?: string[];
  /**
   * Response headers the browser may read.
   *
   * @default none
   */
  readonly exposeHeaders?: string[];
  /**
   * Whether browsers may send cookies and credentials.
   *
   * @default false
   */
  readonly allowCredentials?: boolean;
  /**
   * How long browsers may cache a preflight answer.
   *
   * @default Duration.minutes(10)
   */
  readonly maxAge?: Duration;
}

/**
 * What a rate limit counts requests by.
 */
export class RateLimitKey {
  /** The client's IP address (as the edge load balancer saw it). */
  public static clientIp(): RateLimitKey {
    return new RateLimitKey(undefined);
  }

  /** The value of a request header, e.g. an API key. Requests without it share one bucket. */
  public static header(name: string): RateLimitKey {
    return new RateLimitKey(name);
  }

  private constructor(
    /** The header name, for `header` keys. */
    public readonly headerName: string | undefined,
  ) {}
}

/**
 * A token-bucket rate limit: `average` requests per `period`, with bursts up to `burst`.
 */
export interface RateLimitOptions {
  /** Requests allowed per period on average (a positive integer). */
  readonly average: number;
  /**
   * Requests allowed at once above the average.
   *
   * @default average
   */
  readonly burst?: number;
  /**
   * Period of `average`.
   *
   * @default Duration.seconds(1)
   */
  readonly period?: Duration;
  /**
   * What requests are counted by.
   *
   * @default RateLimitKey.clientIp()
   */
  readonly key?: RateLimitKey;
  /**
   * A Redis store (e.g. a CacheCluster) shared by every gateway replica, so the limit holds across
   * replicas (Traefik ≥ 3.4). While the store is unreachable Traefik answers 500 on limited routes.
   *
   * @default each replica counts on its own
   */
  readonly store?: IRedisConnection;
  /**
   * Redis database of the counters (replication mode only).
   *
   * @default 0
   */
  readonly storeDatabase?: number;
}

/**
 * A circuit breaker: while any threshold is exceeded, Traefik answers 503 without calling the service.
 */
export interface CircuitBreakerOptions {
  /**
   * Ratio (0-1) of network errors that opens the circuit.
   *
   * @default 0.3
   */
  readonly networkErrorRatio?: number;
  /**
   * Ratio (0-1) of 5xx answers that opens the circuit.
   *
   * @default 0.25
   */
  readonly serverErrorRatio?: number;
  /**
   * Median latency that opens the circuit.
   *
   * @default latency does not open the circuit
   */
  readonly latencyThreshold?: Duration;
  /**
   * How long the circuit stays open before it tries again.
   *
   * @default Duration.seconds(10)
   */
  readonly fallbackDuration?: Duration;
  /**
   * How long the circuit takes to let all traffic through again.
   *
   * @default Duration.seconds(10)
   */
  readonly recoveryDuration?: Duration;
}

/**
 * Retries of requests that got no answer (connection errors), with exponential backoff.
 */
export interface RetryOptions {
  /** Attempts in all (1-10). */
  readonly attempts: number;
  /**
   * First wait of the exponential backoff.
   *
   * @default Duration.millis(100)
   */
  readonly initialInterval?: Duration;
  /**
   * Also retry POST and PATCH (only when the services are idempotent for them).
   *
   * @default false: only GET, HEAD, OPTIONS, PUT and DELETE are retried
   */
  readonly retryNonIdempotent?: boolean;
}

/**
 * Security headers added to every answer.
 */
export interface SecurityHeadersOptions {
  /**
   * HSTS max-age.
   *
   * @default Duration.days(365)
   */
  readonly hstsMaxAge?: Duration;
  /**
   * Whether HSTS covers subdomains.
   *
   * @default true
   */
  readonly hstsIncludeSubdomains?: boolean;
  /**
   * `Referrer-Policy`.
   *
   * @default 'strict-origin-when-cross-origin'
   */
  readonly referrerPolicy?: string;
  /**
   * `Content-Security-Policy`.
   *
   * @default none
   */
  readonly contentSecurityPolicy?: string;
}

/**
 * A gateway-wide policy that a route can opt out of with `disable`.
 */
export enum GatewayPolicy {
  /** JWT authentication. */
  JWT = 'jwt',
  /** CORS. */
  CORS = 'cors',
  /** Rate limiting. */
  RATE_LIMIT = 'rate-limit',
  /** Circuit breaker. */
  CIRCUIT_BREAKER = 'circuit-breaker',
  /** Retries. */
  RETRY = 'retry',
  /** Request body limit. */
  BODY_LIMIT = 'body-limit',
  /** Response compression. */
  COMPRESSION = 'compression',
  /** IP allow list. */
  IP_ALLOW_LIST = 'ip-allow-list',
  /** The gateway's own middlewares (`GatewayProps.middlewares`). */
  CUSTOM_MIDDLEWARES = 'custom-middlewares',
}
