// The public part of each policy concept; specs, checks and Traefik fragments stay internal.
export type { CircuitBreakerOptions } from './circuit-breaker';
export type { CorsOptions } from './cors';
export { GatewayPolicy } from './gateway-policy';
export { JwtVerifier } from './jwt';
export type { JwtOptions } from './jwt';
export * from './middleware';
export { RateLimitKey } from './rate-limit';
export type { RateLimitOptions } from './rate-limit';
export type { RetryOptions } from './retry';
export type { RoutePolicyOptions } from './route-policies';
export type { SecurityHeadersOptions } from './security-headers';
