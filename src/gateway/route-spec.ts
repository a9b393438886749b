import { CircuitBreakerSpec, resolveCircuitBreaker } from './policies/circuit-breaker';
import { GatewayPolicy } from './policies/gateway-policy';
import { resolveIpAllowList } from './policies/ip-allow-list';
import { GatewayMiddleware } from './policies/middleware';
import { RateLimitSpec, resolveRateLimit } from './policies/rate-limit';
import { resolveRetry, RetrySpec } from './policies/retry';
import { GatewayRoute } from './route';
import { GatewaySpec } from './spec';
import { ServiceCluster } from '../service-cluster/service-cluster';

/** Where one share of a route's traffic goes. */
export interface UpstreamSpec {
  /** Name of the upstream (the service name, or `external`). */
  readonly name: string;
  readonly url: string;
  readonly weight: number;
  /** Whether the upstream sees the client's Host header (false for external URLs). */
  readonly passHostHeader: boolean;
  /** The platform service behind the URL, admitted with allowFrom. */
  readonly service?: ServiceCluster;
}

/** A route with the gateway's policies merged in: what the Traefik config and the edge read. */
export interface RouteSpec {
  readonly name: string;
  readonly hosts: string[];
  readonly pathPrefix?: string;
  readonly path?: string;
  readonly headers: Record<string, string>;
  readonly methods: string[];
  readonly stripPrefix: boolean;
  readonly websocket: boolean;
  /** `service`, `weighted` or `url`. */
  readonly targetKind: string;
  readonly upstreams: UpstreamSpec[];
  readonly jwt: boolean;
  readonly cors: boolean;
  /** The rate limit and whether it is the gateway-wide one (shared middleware). */
  readonly rateLimit?: { readonly spec: RateLimitSpec; readonly shared: boolean };
  readonly circuitBreaker?: { readonly spec: CircuitBreakerSpec; readonly shared: boolean };
  readonly retry?: { readonly spec: RetrySpec; readonly shared: boolean };
  readonly maxRequestBodyBytes?: number;
  readonly ipAllowList: string[];
  /** The user's middlewares on this route: the gateway's (unless disabled), then the route's own. */
  readonly middlewares: GatewayMiddleware[];
  /** The route's own middlewares, for validation. */
  readonly ownMiddlewares: GatewayMiddleware[];
  readonly compression: boolean;
  readonly timeoutSeconds: number;
  readonly healthCheck?: { readonly path: string; readonly intervalSeconds: number; readonly timeoutSeconds: number };
  readonly stickySessions: boolean;
}

/** Merges a route with the gateway-wide policies. Pure. */
export function resolveRouteSpec(route: GatewayRoute, gateway: GatewaySpec): RouteSpec {
  const off = new Set(route.disable ?? []);
  const on = (policy: GatewayPolicy) => !off.has(policy);
  const websocket = route.websocket ?? false;
  const pick = <T, S>(own: T | undefined, shared: S | undefined, resolve: (t: T) => S, policy: GatewayPolicy) => {
    if (!on(policy)) return undefined;
    if (own) return { spec: resolve(own), shared: false };
    return shared ? { spec: shared, shared: true } : undefined;
  };
  const target = route.target;
  const upstreams: UpstreamSpec[] = target.kind === 'url'
    ? [{ name: 'external', url: target.externalUrl!, weight: 1, passHostHeader: false }]
    : target.backends.map(b => ({
      name: b.service.serviceName, url: b.service.endpoint.url, weight: b.weight, passHostHeader: true, service: b.service,
    }));
  const match = {
    hosts: [...route.hosts ?? (gateway.domainName ? [gateway.domainName] : [])],
    pathPrefix: route.pathPrefix,
    path: route.path,
    headers: { ...route.headers },
    methods: (route.methods ?? []).map(m => m.toUpperCase()),
  };
  return {
    name: route.name ?? routeNameFromMatch(match),
    ...match,
    stripPrefix: route.stripPrefix ?? false,
    websocket,
    targetKind: target.kind,
    upstreams,
    jwt: gateway.jwt !== undefined && on(GatewayPolicy.JWT),
    cors: gateway.cors !== undefined && on(GatewayPolicy.CORS),
    rateLimit: pick(route.rateLimit, gateway.rateLimit, resolveRateLimit, GatewayPolicy.RATE_LIMIT),
    circuitBreaker: pick(route.circuitBreaker, gateway.circuitBreaker, resolveCircuitBreaker, GatewayPolicy.CIRCUIT_BREAKER),
    // A WebSocket upgrade is not replayable and its frames must stream: no retries, buffering or compression.
    retry: websocket ? undefined : pick(route.retry, gateway.retry, resolveRetry, GatewayPolicy.RETRY),
    maxRequestBodyBytes: websocket || !on(GatewayPolicy.BODY_LIMIT) ? undefined
      : route.maxRequestBodySize?.toBytes() ?? gateway.maxRequestBodyBytes,
    ipAllowList: resolveIpAllowList(gateway.ipAllowList, route.ipAllowList, on(GatewayPolicy.IP_ALLOW_LIST)),
    middlewares: [...on(GatewayPolicy.CUSTOM_MIDDLEWARES) ? gateway.middlewares : [], ...route.middlewares ?? []],
    ownMiddlewares: [...route.middlewares ?? []],
    compression: !websocket && gateway.compression && on(GatewayPolicy.COMPRESSION),
    timeoutSeconds: route.timeout?.toSeconds() ?? gateway.requestTimeoutSeconds,
    healthCheck: route.healthCheck && {
      path: route.healthCheck.path,
      intervalSeconds: route.healthCheck.interval?.toSeconds() ?? 10,
      timeoutSeconds: route.healthCheck.timeout?.toSeconds() ?? 3,
    },
    stickySessions: route.stickySessions ?? false,
  };
}

/** `/v1/users` + `X-API-Version: 2` + GET → `v1-users-x-api-version-2-get`. */
export function routeNameFromMatch(match: {
  hosts: string[]; pathPrefix?: string; path?: string; headers: Record<string, string>; methods: string[];
}): string {
  const parts = [
    match.path ?? match.pathPrefix ?? '',
    ...Object.entries(match.headers).map(([k, v]) => `${k}-${v}`),
    ...match.methods,
  ];
  const slug = parts.join('-').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug || (match.hosts[0] ?? 'root').toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
