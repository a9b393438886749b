import { Stack } from 'aws-cdk-lib';
import { Chart } from 'cdk8s';
import { smallGateway } from './fixtures';
import { RouteTarget, TraefikDynamicConfig, TraefikHttpConfig, TraefikRouter, TraefikTlsConfig } from '../../src';
import { awsStack, kubernetesChart } from '../util';

// One entry per documented field: adding a field to a struct without listing it here does not compile.
const DOCUMENTED: {
  config: Record<keyof TraefikDynamicConfig, true>;
  http: Record<keyof TraefikHttpConfig, true>;
  router: Record<keyof TraefikRouter, true>;
  tls: Record<keyof TraefikTlsConfig, true>;
} = {
  config: { http: true, tls: true },
  http: { routers: true, services: true, middlewares: true, serversTransports: true },
  router: { entryPoints: true, rule: true, service: true, middlewares: true, tls: true, priority: true },
  tls: { options: true, stores: true },
};

function undocumented(value: object, documented: Record<string, true>): string[] {
  return Object.keys(value).filter(key => !documented[key]);
}

/** A gateway retrying on every route, with one route whose POST must not be replayed (so it gets a second router). */
function render(scope: Stack | Chart): TraefikDynamicConfig {
  const { gateway, users } = smallGateway(scope, { retry: { attempts: 2 } });
  gateway.addRoute({ name: 'checkout', pathPrefix: '/v1/checkout', methods: ['GET', 'POST'], target: RouteTarget.service(users) });
  return gateway.traefikDynamicConfig();
}

describe.each([
  ['AWS', awsStack],
  ['Kubernetes', kubernetesChart],
])('the typed Traefik dynamic configuration on %s', (target, scope) => {
  test('a router reads back through its documented fields', () => {
    const config = render(scope());
    const router: TraefikRouter = config.http.routers['checkout-idempotent'];
    const entryPoints: string[] = router.entryPoints;
    const rule: string = router.rule;
    const service: string = router.service;
    const middlewares: string[] = router.middlewares;
    const priority: number | undefined = router.priority;
    expect(entryPoints).toEqual(['websecure']);
    expect(rule).toBe('Host(`api.example.com`) && (Path(`/v1/checkout`) || PathPrefix(`/v1/checkout/`)) && Method(`GET`)');
    expect(service).toBe('checkout');
    expect(middlewares).toContain('retry');
    expect(config.http.routers.checkout.middlewares).not.toContain('retry');
    expect(router.tls).toEqual({});
    expect(priority).toBeUndefined();
  });

  test('every part of the runtime value is a documented field, and names resolve', () => {
    const config = render(scope());
    expect(undocumented(config, DOCUMENTED.config)).toEqual([]);
    expect(undocumented(config.http, DOCUMENTED.http)).toEqual([]);
    expect(undocumented(config.tls, DOCUMENTED.tls)).toEqual([]);
    for (const [name, router] of Object.entries(config.http.routers)) {
      expect({ name, fields: undocumented(router, DOCUMENTED.router) }).toEqual({ name, fields: [] });
      expect(config.http.services[router.service]).toBeDefined();
      for (const m of router.middlewares) expect(Object.keys(config.http.middlewares[m] ?? {})).toHaveLength(1);
    }
    expect(config.tls.options.default.minVersion).toBe('VersionTLS12');
    // Only Kubernetes serves its own certificate files; on AWS the load balancer terminates TLS.
    expect(config.tls.stores?.default?.defaultCertificate?.certFile).toBe(target === 'Kubernetes' ? '/etc/traefik/tls/tls.crt' : undefined);
  });
});
