import { Size } from 'aws-cdk-lib';
import { CircuitBreakerOptions } from './circuit-breaker';
import { GatewayMiddleware } from './middleware';
import { RateLimitOptions } from './rate-limit';
import { RetryOptions } from './retry';

/**
 * The policies set on the gateway for every route and on a route for itself. A route's own rate
 * limit, circuit breaker, retries and body limit replace the gateway's; its address ranges and
 * middlewares are added to the gateway's (a route opts out of the gateway's with `disable`).
 */
export interface RoutePolicyOptions {
  /**
   * Rate limit.
   *
   * @default on the gateway, no rate limit; on a route, the gateway's
   */
  readonly rateLimit?: RateLimitOptions;
  /**
   * Circuit breaker.
   *
   * @default on the gateway, no circuit breaker; on a route, the gateway's
   */
  readonly circuitBreaker?: CircuitBreakerOptions;
  /**
   * Retries.
   *
   * @default on the gateway, no retries; on a route, the gateway's
   */
  readonly retry?: RetryOptions;
  /**
   * Largest request body accepted (413 above it).
   *
   * @default on the gateway, Size.mebibytes(10); on a route, the gateway's
   */
  readonly maxRequestBodySize?: Size;
  /**
   * Client address ranges (CIDR) allowed; a route's are added to the gateway's.
   *
   * @default any address; on a route, the gateway's list
   */
  readonly ipAllowList?: string[];
  /**
   * Traefik middlewares of your own, in this order, after the gateway's protections; a route's run
   * after the gateway's (routes opt out of the gateway's with `disable: [GatewayPolicy.CUSTOM_MIDDLEWARES]`).
   *
   * @default none; on a route, the gateway's only
   */
  readonly middlewares?: GatewayMiddleware[];
}
