import { Duration, Size } from 'aws-cdk-lib';
import { JwtVerifier } from './policies/jwt';
import { CircuitBreakerOptions, CorsOptions, RateLimitOptions, RetryOptions } from './policies';
import { GatewayMiddleware } from './policies/middleware';
import { GatewayProps } from './props';
import { PlatformProfile } from '../platform/profile';
import { IRedisConnection } from '../platform/redis-connection';

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

export interface CircuitBreakerSpec {
  readonly networkErrorRatio: number;
  readonly serverErrorRatio: number;
  readonly latencyMs?: number;
  readonly fallbackSeconds: number;
  readonly recoverySeconds: number;
}

export interface RetrySpec {
  readonly attempts: number;
  readonly initialIntervalMs: number;
  readonly retryNonIdempotent: boolean;
}

export interface CorsSpec {
  readonly allowOrigins: string[];
  readonly allowMethods: string[];
  readonly allowHeaders: string[];
  readonly exposeHeaders: string[];
  readonly allowCredentials: boolean;
  readonly maxAgeSeconds: number;
}

export interface JwtSpec {
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly audiences: string[];
  readonly verifier: JwtVerifier;
}

/** GatewayProps with every default applied: what both renderers and the Traefik config read. */
export interface GatewaySpec {
  readonly name: string;
  readonly domainName?: string;
  readonly image: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly targetCpuUtilization: number;
  readonly jwt?: JwtSpec;
  readonly cors?: CorsSpec;
  readonly rateLimit?: RateLimitSpec;
  readonly circuitBreaker?: CircuitBreakerSpec;
  readonly retry?: RetrySpec;
  readonly maxRequestBodyBytes: number;
  readonly ipAllowList: string[];
  /** The user's own middlewares on every route. */
  readonly middlewares: GatewayMiddleware[];
  readonly securityHeaders: {
    readonly hstsSeconds: number;
    readonly hstsIncludeSubdomains: boolean;
    readonly referrerPolicy: string;
    readonly contentSecurityPolicy?: string;
  };
  readonly compression: boolean;
  readonly requestTimeoutSeconds: number;
  readonly tracing?: { readonly otlpEndpoint: string; readonly sampleRate: number };
}

export const TRAEFIK_IMAGE = 'traefik:v3.5.3';
/** Envoy (distroless, non-root) verifying JWTs for Traefik's forwardAuth. */
export const JWT_VERIFIER_IMAGE = 'envoyproxy/envoy-distroless:v1.31.2';

export const GATEWAY_DEFAULTS = {
  minReplicas: 2,
  maxReplicas: 10,
  cpu: 0.5,
  memory: Size.mebibytes(1024),
  targetCpuUtilization: 60,
  maxRequestBodySize: Size.mebibytes(10),
  requestTimeout: Duration.seconds(30),
  runAsUser: 65532,
};

/** What the DEVELOPMENT profile changes: one Traefik replica (a warning says so), a quarter vCPU, 512 MiB. */
export const GATEWAY_DEVELOPMENT_DEFAULTS = { minReplicas: 1, maxReplicas: 3, cpu: 0.25, memory: Size.mebibytes(512) };

/** Applies defaults (the profile's, where the props leave a value unset). Pure: the same props always give the same spec. */
export function resolveGatewaySpec(name: string, props: GatewayProps, profile = PlatformProfile.PRODUCTION): GatewaySpec {
  const d = profile === PlatformProfile.DEVELOPMENT ? { ...GATEWAY_DEFAULTS, ...GATEWAY_DEVELOPMENT_DEFAULTS } : GATEWAY_DEFAULTS;
  const headers = props.securityHeaders;
  return {
    name,
    domainName: props.domainName,
    image: props.image ?? TRAEFIK_IMAGE,
    minReplicas: props.minReplicas ?? d.minReplicas,
    maxReplicas: props.maxReplicas ?? Math.max(d.maxReplicas, props.minReplicas ?? 0),
    cpu: props.cpu ?? d.cpu,
    memoryMiB: (props.memory ?? d.memory).toMebibytes(),
    targetCpuUtilization: props.targetCpuUtilization ?? d.targetCpuUtilization,
    jwt: props.jwt && {
      issuer: props.jwt.issuer,
      jwksUrl: props.jwt.jwksUrl,
      audiences: [...props.jwt.audiences ?? []],
      verifier: props.jwt.verifier ?? JwtVerifier.sidecar(),
    },
    cors: props.cors && resolveCors(props.cors),
    rateLimit: props.rateLimit && resolveRateLimit(props.rateLimit),
    circuitBreaker: props.circuitBreaker && resolveCircuitBreaker(props.circuitBreaker),
    retry: props.retry && resolveRetry(props.retry),
    maxRequestBodyBytes: (props.maxRequestBodySize ?? d.maxRequestBodySize).toBytes(),
    ipAllowList: [...props.ipAllowList ?? []],
    middlewares: [...props.middlewares ?? []],
    securityHeaders: {
      hstsSeconds: (headers?.hstsMaxAge ?? Duration.days(365)).toSeconds(),
      hstsIncludeSubdomains: headers?.hstsIncludeSubdomains ?? true,
      referrerPolicy: headers?.referrerPolicy ?? 'strict-origin-when-cross-origin',
      contentSecurityPolicy: headers?.contentSecurityPolicy,
    },
    compression: props.compression ?? true,
    requestTimeoutSeconds: (props.requestTimeout ?? d.requestTimeout).toSeconds(),
    tracing: props.tracing && { otlpEndpoint: props.tracing.otlpEndpoint, sampleRate: props.tracing.sampleRate ?? 0.1 },
  };
}

export function resolveCors(cors: CorsOptions): CorsSpec {
  return {
    allowOrigins: [...cors.allowOrigins],
    allowMethods: [...cors.allowMethods ?? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']],
    allowHeaders: [...cors.allowHeaders ?? ['Authorization', 'Content-Type']],
    exposeHeaders: [...cors.exposeHeaders ?? []],
    allowCredentials: cors.allowCredentials ?? false,
    maxAgeSeconds: (cors.maxAge ?? Duration.minutes(10)).toSeconds(),
  };
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

export function resolveCircuitBreaker(breaker: CircuitBreakerOptions): CircuitBreakerSpec {
  return {
    networkErrorRatio: breaker.networkErrorRatio ?? 0.3,
    serverErrorRatio: breaker.serverErrorRatio ?? 0.25,
    latencyMs: breaker.latencyThreshold?.toMilliseconds(),
    fallbackSeconds: (breaker.fallbackDuration ?? Duration.seconds(10)).toSeconds(),
    recoverySeconds: (breaker.recoveryDuration ?? Duration.seconds(10)).toSeconds(),
  };
}

export function resolveRetry(retry: RetryOptions): RetrySpec {
  return {
    attempts: retry.attempts,
    initialIntervalMs: (retry.initialInterval ?? Duration.millis(100)).toMilliseconds(),
    retryNonIdempotent: retry.retryNonIdempotent ?? false,
  };
}
