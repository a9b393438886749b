import { CircuitBreakerSpec, CorsSpec, GatewaySpec, RateLimitSpec, RetrySpec } from './spec';
import { GoTemplateEnv } from '../platform/escape/go-template';
import { IRedisConnection } from '../platform/redis-connection';

/** Target facts the Traefik configuration depends on, so that it means the same on both targets. */
export interface TraefikTargetOptions {
  /**
   * Proxies in front of Traefik that append to X-Forwarded-For (1 behind the AWS load balancer, 0
   * behind a Kubernetes LoadBalancer Service with externalTrafficPolicy Local).
   */
  readonly trustedProxyHops: number;
  /** Address of the JWT verifier Traefik calls with forwardAuth; undefined when the edge verifies. */
  readonly jwtVerifierAddress?: string;
  /** Certificate files Traefik serves; undefined serves Traefik's generated certificate (behind a TLS-terminating edge). */
  readonly defaultCertificate?: { readonly certFile: string; readonly keyFile: string };
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

function ipStrategy(options: TraefikTargetOptions): Record<string, unknown> | undefined {
  // depth N takes the Nth address from the right of X-Forwarded-For: the one the edge appended.
  return options.trustedProxyHops > 0 ? { depth: options.trustedProxyHops } : undefined;
}

function seconds(value: number): string {
  return `${value}s`;
}

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

export function circuitBreakerMiddleware(breaker: CircuitBreakerSpec) {
  const terms = [
    `NetworkErrorRatio() > ${breaker.networkErrorRatio}`,
    `ResponseCodeRatio(500, 600, 0, 600) > ${breaker.serverErrorRatio}`,
  ];
  if (breaker.latencyMs !== undefined) terms.push(`LatencyAtQuantileMS(50.0) > ${breaker.latencyMs}`);
  return {
    circuitBreaker: {
      expression: terms.join(' || '),
      checkPeriod: '100ms',
      fallbackDuration: seconds(breaker.fallbackSeconds),
      recoveryDuration: seconds(breaker.recoverySeconds),
      responseCode: 503,
    },
  };
}

export function retryMiddleware(retry: RetrySpec) {
  return { retry: { attempts: retry.attempts, initialInterval: `${retry.initialIntervalMs}ms` } };
}

export function corsMiddleware(cors: CorsSpec) {
  return {
    headers: {
      accessControlAllowOriginList: cors.allowOrigins,
      accessControlAllowMethods: cors.allowMethods,
      accessControlAllowHeaders: cors.allowHeaders,
      ...(cors.exposeHeaders.length > 0 ? { accessControlExposeHeaders: cors.exposeHeaders } : {}),
      ...(cors.allowCredentials ? { accessControlAllowCredentials: true } : {}),
      accessControlMaxAge: cors.maxAgeSeconds,
      addVaryHeader: true,
    },
  };
}

export function securityHeadersMiddleware(spec: GatewaySpec) {
  const h = spec.securityHeaders;
  return {
    headers: {
      stsSeconds: h.hstsSeconds,
      stsIncludeSubdomains: h.hstsIncludeSubdomains,
      forceSTSHeader: true,
      contentTypeNosniff: true,
      frameDeny: true,
      referrerPolicy: h.referrerPolicy,
      ...(h.contentSecurityPolicy ? { contentSecurityPolicy: h.contentSecurityPolicy } : {}),
    },
  };
}

export function ipAllowListMiddleware(sourceRange: string[], options: TraefikTargetOptions) {
  const strategy = ipStrategy(options);
  return { ipAllowList: { sourceRange, ...(strategy ? { ipStrategy: strategy } : {}) } };
}

export function jwtMiddleware(address: string) {
  // trustForwardHeader false: the verifier sees X-Forwarded-* set by Traefik, never by the client.
  return { forwardAuth: { address, trustForwardHeader: false } };
}
