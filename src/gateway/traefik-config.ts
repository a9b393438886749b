import { Yaml } from 'cdk8s';
import { ChainContext, ChainLink, INNERMOST_CHAIN, ROUTE_CHAIN } from './policies/chain';
import { rateLimitStoreBindings } from './policies/rate-limit';
import { retryLink } from './policies/retry';
import { RouteSpec, UpstreamSpec } from './route-spec';
import { GatewaySpec } from './spec';
import { IDEMPOTENT_METHODS, traefikRule } from './traefik-rules';
import { TraefikTargetOptions } from './traefik-target';
import { TraefikDynamicConfig, TraefikRouter, TraefikTlsConfig } from './traefik-types';
import { goTemplateTree } from '../platform/escape/go-template';

/** The entry point every route listens on (TLS). */
export const ROUTE_ENTRY_POINT = 'websecure';

/** Ciphers of TLS 1.2 with forward secrecy and AEAD; TLS 1.3 suites are not configurable. */
const TLS12_CIPHERS = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
];

type Obj = Record<string, any>;

/**
 * The Traefik v3 dynamic configuration (file provider) of a gateway: routers, services,
 * middlewares, servers transports and TLS options. Pure: the same spec and routes always give the
 * same configuration, and both targets load exactly this document.
 */
export function renderTraefikDynamicConfig(spec: GatewaySpec, routes: readonly RouteSpec[], options: TraefikTargetOptions): TraefikDynamicConfig {
  const routers: Record<string, TraefikRouter> = {};
  const services: Obj = {};
  const middlewares: Obj = {};
  const transports: Obj = {};
  const context: ChainContext = { spec, options, stores: rateLimitStoreBindings([spec.rateLimit, ...routes.map(r => r.rateLimit?.spec)]) };
  const use = (link: ChainLink) => {
    middlewares[link.name] ??= link.definition();
    return link.name;
  };

  for (const route of routes) {
    const chain = ROUTE_CHAIN.flatMap(policy => policy(route, context)).map(use);
    if (route.stripPrefix && route.pathPrefix) {
      chain.push(use({ name: `${route.name}-strip-prefix`, definition: () => ({ stripPrefix: { prefixes: [route.pathPrefix!.replace(/\/+$/, '') || '/'] } }) }));
    }
    const innermost = INNERMOST_CHAIN.flatMap(policy => policy(route, context)).map(use);

    const transport = `timeout-${route.timeoutSeconds}s`;
    transports[transport] ??= {
      forwardingTimeouts: { dialTimeout: '5s', responseHeaderTimeout: `${route.timeoutSeconds}s`, idleConnTimeout: '90s' },
    };
    Object.assign(services, routeServices(route, transport));

    const router = (rule: string, extra: string[]): TraefikRouter => ({
      entryPoints: [ROUTE_ENTRY_POINT],
      rule,
      service: route.name,
      middlewares: [...chain, ...extra, ...innermost],
      tls: {},
    });
    const retry = route.retry;
    const replayable = retry && !retry.spec.retryNonIdempotent
      ? (route.methods.length > 0 ? route.methods : IDEMPOTENT_METHODS).filter(m => IDEMPOTENT_METHODS.includes(m))
      : undefined;
    if (!retry || (replayable && replayable.length === 0)) {
      routers[route.name] = router(traefikRule(route), []);
    } else {
      const retryName = use(retryLink(route, retry));
      // Retries only where a replay is safe: idempotent methods get their own, more specific router.
      const retryAll = !replayable || (route.methods.length > 0 && replayable.length === route.methods.length);
      if (retryAll) {
        routers[route.name] = router(traefikRule(route), [retryName]);
      } else {
        routers[`${route.name}-idempotent`] = router(traefikRule(route, replayable), [retryName]);
        routers[route.name] = router(traefikRule(route), []);
      }
    }
  }

  const tls: TraefikTlsConfig = {
    options: { default: { minVersion: 'VersionTLS12', cipherSuites: TLS12_CIPHERS, sniStrict: false } },
    ...(options.defaultCertificate ? { stores: { default: { defaultCertificate: { ...options.defaultCertificate } } } } : {}),
  };
  return { http: { routers, services, middlewares, serversTransports: transports }, tls };
}

function routeServices(route: RouteSpec, transport: string): Obj {
  const loadBalancer = (upstream: UpstreamSpec) => ({
    loadBalancer: {
      servers: [{ url: upstream.url }],
      passHostHeader: upstream.passHostHeader,
      serversTransport: transport,
      ...(route.healthCheck ? {
        healthCheck: { path: route.healthCheck.path, interval: `${route.healthCheck.intervalSeconds}s`, timeout: `${route.healthCheck.timeoutSeconds}s` },
      } : {}),
      ...(route.stickySessions && route.targetKind !== 'weighted' ? { sticky: stickyCookie(route.name) } : {}),
    },
  });
  if (route.targetKind !== 'weighted') return { [route.name]: loadBalancer(route.upstreams[0]) };
  const children = Object.fromEntries(route.upstreams.map(u => [`${route.name}-${u.name}`, loadBalancer(u)]));
  return {
    ...children,
    [route.name]: {
      weighted: {
        services: route.upstreams.map(u => ({ name: `${route.name}-${u.name}`, weight: u.weight })),
        // Sticky at the split keeps a client on one side of the canary.
        ...(route.stickySessions ? { sticky: stickyCookie(route.name) } : {}),
      },
    },
  };
}

function stickyCookie(routeName: string) {
  return { cookie: { name: `${routeName}-affinity`, secure: true, httpOnly: true, sameSite: 'lax' } };
}

/**
 * The dynamic configuration as the YAML file Traefik's file provider reads. The provider evaluates
 * the file as a Go template first, so every string is escaped for it and only our own environment
 * references (`GoTemplateEnv`) become template actions.
 */
export function traefikConfigYaml(config: Obj): string {
  return Yaml.stringify(goTemplateTree(config));
}

/** The static configuration (traefik.yaml), which Traefik reads as plain YAML without templating. */
export function traefikStaticConfigYaml(config: Obj): string {
  return Yaml.stringify(config);
}

/** The dynamic configuration with each environment reference as the action text the file holds. */
export function traefikConfigAsData(config: Obj): Obj {
  return JSON.parse(JSON.stringify(config));
}
