import { bodyLimitLinks } from './body-limit';
import { circuitBreakerLinks } from './circuit-breaker';
import { compressionLinks } from './compression';
import { corsLinks } from './cors';
import { ipAllowListLinks } from './ip-allow-list';
import { jwtLinks } from './jwt';
import { customMiddlewareLinks } from './middleware-render';
import { RateLimitStoreBinding, rateLimitLinks } from './rate-limit';
import { securityHeadersLinks } from './security-headers';
import { RouteSpec } from '../route-spec';
import { GatewaySpec } from '../spec';
import { TraefikTargetOptions } from '../traefik-target';

/** What a policy reads besides the route to build its middlewares. */
export interface ChainContext {
  readonly spec: GatewaySpec;
  readonly options: TraefikTargetOptions;
  readonly stores: RateLimitStoreBinding[];
}

/** One Traefik middleware of a route: its name (routes sharing the gateway's setting share it) and its definition. */
export interface ChainLink {
  readonly name: string;
  readonly definition: () => Record<string, unknown>;
}

/** A policy's part of a route's middleware chain: none, or its middlewares. */
export type ChainStep = (route: RouteSpec, context: ChainContext) => ChainLink[];

/** The gateway-wide middleware's name, or the route's own when the route overrides the setting. */
export function linkName(route: RouteSpec, shared: boolean, name: string): string {
  return shared ? name : `${route.name}-${name}`;
}

/**
 * The policies in the order a request meets them. CORS answers preflights itself, so it comes
 * before authentication; the user's middlewares run after every protection, so they can neither
 * bypass nor be bypassed by one.
 */
export const ROUTE_CHAIN: readonly ChainStep[] = [
  ipAllowListLinks,
  securityHeadersLinks,
  corsLinks,
  rateLimitLinks,
  jwtLinks,
  customMiddlewareLinks,
  bodyLimitLinks,
  compressionLinks,
];

/** Innermost, after retries: retries wrap the circuit breaker, so an open circuit (503) ends the attempts at once. */
export const INNERMOST_CHAIN: readonly ChainStep[] = [circuitBreakerLinks];
