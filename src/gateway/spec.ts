import { Duration, Size } from 'aws-cdk-lib';
import { DEFAULT_MAX_REQUEST_BODY_SIZE } from './policies/body-limit';
import { CircuitBreakerSpec, resolveCircuitBreaker } from './policies/circuit-breaker';
import { CorsSpec, resolveCors } from './policies/cors';
import { JwtSpec, resolveJwt } from './policies/jwt';
import { GatewayMiddleware } from './policies/middleware';
import { RateLimitSpec, resolveRateLimit } from './policies/rate-limit';
import { RetrySpec, resolveRetry } from './policies/retry';
import { resolveSecurityHeaders, SecurityHeadersSpec } from './policies/security-headers';
import { GatewayProps } from './props';
import { PlatformProfile } from '../platform/profile';

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
  readonly securityHeaders: SecurityHeadersSpec;
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
  maxRequestBodySize: DEFAULT_MAX_REQUEST_BODY_SIZE,
  requestTimeout: Duration.seconds(30),
  runAsUser: 65532,
};

/** What the DEVELOPMENT profile changes: one Traefik replica (a warning says so), a quarter vCPU, 512 MiB. */
export const GATEWAY_DEVELOPMENT_DEFAULTS = { minReplicas: 1, maxReplicas: 3, cpu: 0.25, memory: Size.mebibytes(512) };

/** Applies defaults (the profile's, where the props leave a value unset). Pure: the same props always give the same spec. */
export function resolveGatewaySpec(name: string, props: GatewayProps, profile = PlatformProfile.PRODUCTION): GatewaySpec {
  const d = profile === PlatformProfile.DEVELOPMENT ? { ...GATEWAY_DEFAULTS, ...GATEWAY_DEVELOPMENT_DEFAULTS } : GATEWAY_DEFAULTS;
  return {
    name,
    domainName: props.domainName,
    image: props.image ?? TRAEFIK_IMAGE,
    minReplicas: props.minReplicas ?? d.minReplicas,
    maxReplicas: props.maxReplicas ?? Math.max(d.maxReplicas, props.minReplicas ?? 0),
    cpu: props.cpu ?? d.cpu,
    memoryMiB: (props.memory ?? d.memory).toMebibytes(),
    targetCpuUtilization: props.targetCpuUtilization ?? d.targetCpuUtilization,
    jwt: props.jwt && resolveJwt(props.jwt),
    cors: props.cors && resolveCors(props.cors),
    rateLimit: props.rateLimit && resolveRateLimit(props.rateLimit),
    circuitBreaker: props.circuitBreaker && resolveCircuitBreaker(props.circuitBreaker),
    retry: props.retry && resolveRetry(props.retry),
    maxRequestBodyBytes: (props.maxRequestBodySize ?? d.maxRequestBodySize).toBytes(),
    ipAllowList: [...props.ipAllowList ?? []],
    middlewares: [...props.middlewares ?? []],
    securityHeaders: resolveSecurityHeaders(props.securityHeaders),
    compression: props.compression ?? true,
    requestTimeoutSeconds: (props.requestTimeout ?? d.requestTimeout).toSeconds(),
    tracing: props.tracing && { otlpEndpoint: props.tracing.otlpEndpoint, sampleRate: props.tracing.sampleRate ?? 0.1 },
  };
}
