import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ChainStep, linkName } from './chain';
import { invalidPropMessage } from '../../platform/errors';
import { GoTemplateEnv } from '../../platform/escape/go-template';
import { isHeaderName } from '../../platform/grammar/http-header';
import { IRedisConnection } from '../../platform/redis-connection';
import { integerInRange } from '../../platform/validation';
import { ipStrategy, seconds, TraefikTargetOptions } from '../traefik-target';

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

/** A rate limit with defaults applied. */
export interface RateLimitSpec {
  readonly average: number;
  readonly burst: number;
  readonly periodSeconds: number;
  /** Header counted by; undefined counts by client IP. */
  readonly headerName?: string;
  readonly store?: IRedisConnection;
  readonly storeDatabase: number;
}

export function resolveRateLimit(limit: RateLimitOptions): RateLimitSpec {
  return {
    average: limit.average,
    burst: limit.burst ?? limit.average,
    periodSeconds: (limit.period ?? Duration.seconds(1)).toSeconds(),
    headerName: limit.key?.headerName,
    store: limit.store,
    storeDatabase: limit.storeDatabase ?? 0,
  };
}

export function rateLimitProblems(scope: IConstruct, prop: string, limit: RateLimitSpec): string[] {
  const problems = [
    ...integerInRange(scope, `${prop}.average`, limit.average, 1, 1_000_000_000)
      .map(m => m.replace('is out of range', 'must be a positive integer')),
    // burst defaults to average: a bad average is reported once.
    ...(limit.burst === limit.average ? [] : integerInRange(scope, `${prop}.burst`, limit.burst, 1, 1_000_000_000))
      .map(m => m.replace('is out of range', 'must be a positive integer')),
    ...integerInRange(scope, `${prop}.period`, limit.periodSeconds, 1, 86_400),
    ...integerInRange(scope, `${prop}.storeDatabase`, limit.storeDatabase, 0, 15),
  ];
  if (limit.headerName !== undefined && !isHeaderName(limit.headerName)) {
    problems.push(invalidPropMessage(scope, `${prop}.key`, 'is not a valid header name', limit.headerName, 'use an HTTP header name such as "X-Api-Key"'));
  }
  if (limit.store?.redisClusterMode) {
    problems.push(invalidPropMessage(scope, `${prop}.store`, 'is a cluster-mode Redis', limit.store.redisEndpoint.address,
      "Traefik's rate-limit store talks to one Redis endpoint: use a replication-mode (primary + replicas) store"));
  }
  if (limit.storeDatabase !== 0 && !limit.store) {
    problems.push(invalidPropMessage(scope, `${prop}.storeDatabase`, 'is set without a store', limit.storeDatabase, 'set rateLimit.store too'));
  }
  return problems;
}

/** A Redis rate-limit store, the environment variable carrying its password, and where its CA is mounted. */
export interface RateLimitStoreBinding {
  readonly store: IRedisConnection;
  readonly passwordVariable?: string;
  /** Directory of the store's CA file (Kubernetes), when the store has a private CA. */
  readonly caDirectory?: string;
}

/** Where the CA of rate-limit store N (1-based) is mounted in the Traefik container. */
export function rateLimitStoreCaDirectory(n: number): string {
  return `/etc/gateway-redis-ca/${n}`;
}

/** Each distinct store once, in first-use order, with a stable password variable name. */
export function rateLimitStoreBindings(limits: readonly (RateLimitSpec | undefined)[]): RateLimitStoreBinding[] {
  const stores: IRedisConnection[] = [];
  for (const limit of limits) if (limit?.store && !stores.includes(limit.store)) stores.push(limit.store);
  return stores.map((store, i) => ({
    store,
    passwordVariable: store.redisPassword ? `RATE_LIMIT_STORE_${i + 1}_PASSWORD` : undefined,
    caDirectory: store.redisTls && store.redisTlsCa ? rateLimitStoreCaDirectory(i + 1) : undefined,
  }));
}

/** The Traefik `rateLimit` middleware. */
export function rateLimitMiddleware(limit: RateLimitSpec, options: TraefikTargetOptions, stores: RateLimitStoreBinding[]) {
  const strategy = ipStrategy(options);
  const sourceCriterion = limit.headerName ? { requestHeaderName: limit.headerName } : strategy ? { ipStrategy: strategy } : undefined;
  const binding = stores.find(s => s.store === limit.store);
  const redis = binding && {
    endpoints: [binding.store.redisEndpoint.address],
    // The file provider expands Go templates: the password comes from the container's environment.
    ...(binding.passwordVariable ? { password: new GoTemplateEnv(binding.passwordVariable) } : {}),
    ...(limit.storeDatabase ? { db: limit.storeDatabase } : {}),
    // An explicit field: an empty tls block would not enable TLS.
    // A private CA (a Kubernetes CacheCluster's) is mounted as a file; otherwise the system trust store verifies.
    ...(binding.store.redisTls ? { tls: { insecureSkipVerify: false, ...(binding.caDirectory ? { ca: `${binding.caDirectory}/${binding.store.redisTlsCa!.key}` } : {}) } } : {}),
    dialTimeout: '2s',
    // Longer than a planned switchover behind a CacheCluster proxy (about 3 s), during which the
    // proxy holds new connections instead of refusing them: a rolling update of the store delays
    // rate-limited requests rather than failing them closed.
    readTimeout: '5s',
    writeTimeout: '1s',
  };
  return {
    rateLimit: {
      average: limit.average,
      burst: limit.burst,
      period: seconds(limit.periodSeconds),
      ...(sourceCriterion ? { sourceCriterion } : {}),
      ...(redis ? { redis } : {}),
    },
  };
}

export const rateLimitLinks: ChainStep = (route, { options, stores }) => {
  const limit = route.rateLimit;
  return limit ? [{ name: linkName(route, limit.shared, 'rate-limit'), definition: () => rateLimitMiddleware(limit.spec, options, stores) }] : [];
};
