import { ChainStep } from './chain';
import { GatewayMiddleware } from './middleware';

/** Traefik's name of a user middleware: prefixed, so it never collides with the gateway's own. */
export function customMiddlewareName(middleware: GatewayMiddleware): string {
  return `custom-${middleware.name}`;
}

/**
 * The Traefik definition of a user middleware. One that identifies clients by address takes the
 * address the edge saw (the Nth from the right of X-Forwarded-For behind `trustedProxyHops` proxies),
 * as the rate limit does. Pure.
 */
export function renderCustomMiddleware(middleware: GatewayMiddleware, trustedProxyHops: number): Record<string, unknown> {
  const byAddress = middleware._sourceByClientAddress !== undefined && trustedProxyHops > 0;
  return {
    [middleware.middlewareType]: {
      ...middleware.options,
      ...(byAddress ? { sourceCriterion: { ipStrategy: { depth: trustedProxyHops } } } : {}),
    },
  };
}

export const customMiddlewareLinks: ChainStep = (route, { options }) => route.middlewares.map(custom => ({
  name: customMiddlewareName(custom), definition: () => renderCustomMiddleware(custom, options.trustedProxyHops),
}));
