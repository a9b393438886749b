import { Duration, Size } from 'aws-cdk-lib';
import { FakeRedis, JWT } from './fixtures';
import { parseRule, referenceProblems, schemaProblems } from './traefik-schema';
import { GatewayPolicy, RateLimitKey, RouteTarget } from '../../src/gateway';
import { GatewayProps } from '../../src/gateway/props';
import { GatewayRoute } from '../../src/gateway/route';
import { resolveRouteSpec } from '../../src/gateway/route-spec';
import { resolveGatewaySpec } from '../../src/gateway/spec';
import { renderTraefikDynamicConfig, traefikConfigAsData, traefikConfigYaml } from '../../src/gateway/traefik-config';
import { renderTraefikStaticConfig } from '../../src/gateway/traefik-static-config';
import { ServiceCluster } from '../../src/service-cluster';
import { kubernetesChart } from '../util';

const chart = kubernetesChart();
const users = new ServiceCluster(chart, 'Users', { image: 'ghcr.io/acme/users:1.4.2' });
const canary = new ServiceCluster(chart, 'UsersCanary', { image: 'ghcr.io/acme/users:1.5.0' });
const K8S = { trustedProxyHops: 0, jwtVerifierAddress: 'http://127.0.0.1:8081/verify' };

function config(props: Partial<GatewayProps>, routes: GatewayRoute[], options: any = K8S) {
  const spec = resolveGatewaySpec('api', { domainName: 'api.example.com', ...props });
  return traefikConfigAsData(renderTraefikDynamicConfig(spec, routes.map(r => resolveRouteSpec(r, spec)), options));
}
const usersRoute: GatewayRoute = { name: 'users', pathPrefix: '/v1/users', target: RouteTarget.service(users) };

describe('Traefik dynamic configuration', () => {
  test('is pure: the same input gives the same YAML', () => {
    const a = traefikConfigYaml(config({ jwt: JWT }, [usersRoute]));
    expect(traefikConfigYaml(config({ jwt: JWT }, [usersRoute]))).toBe(a);
  });

  test('every policy at once fits the v3 schema and references only what it defines', () => {
    const all = config({
      jwt: JWT,
      cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true },
      rateLimit: { average: 10, store: new FakeRedis() },
      circuitBreaker: { latencyThreshold: Duration.millis(300) },
      retry: { attempts: 2 },
      ipAllowList: ['10.0.0.0/8'],
      securityHeaders: { contentSecurityPolicy: "default-src 'none'" },
    }, [
      usersRoute,
      { name: 'canary', pathPrefix: '/v2/users', target: RouteTarget.weighted([{ service: users, weight: 9 }, { service: canary, weight: 1 }]), stickySessions: true },
      { name: 'live', pathPrefix: '/ws', websocket: true, target: RouteTarget.service(users) },
      { name: 'partner', pathPrefix: '/partner', stripPrefix: true, target: RouteTarget.url('https://partner.example.net'), timeout: Duration.seconds(5) },
      { name: 'admin', path: '/admin', methods: ['POST'], target: RouteTarget.service(users), ipAllowList: ['203.0.113.0/24'], maxRequestBodySize: Size.kibibytes(8) },
      { name: 'health', path: '/healthz', target: RouteTarget.service(users), disable: Object.values(GatewayPolicy), healthCheck: { path: '/healthz' } },
    ]);
    expect(schemaProblems(all)).toEqual([]);
    expect(referenceProblems(all, ['web', 'websecure'])).toEqual([]);
  });

  test('the structural checks catch what Traefik would reject', () => {
    const broken = config({}, [usersRoute]);
    broken.http.routers.users.middlewares.push('missing');
    broken.http.routers.users.service = 'nowhere';
    broken.http.routers.users.entryPoints = ['websecur'];
    broken.http.middlewares.compress.compress.minResponseBodySize = 1;
    broken.http.routers.users.rule = 'Host(`a`) &&';
    expect(referenceProblems(broken, ['web', 'websecure'])).toEqual([
      'router users: service nowhere is not defined',
      'router users: middleware missing is not defined',
      'router users: entry point websecur is not defined',
      expect.stringContaining('router users: rule "Host(`a`) &&": expected a matcher'),
    ]);
    expect(schemaProblems(broken)).toEqual(['$.http.middlewares.compress.compress.minResponseBodySize: not a Traefik v3 key']);
  });

  test('rules: hosts, segment-boundary prefixes, headers and methods; priority follows specificity', () => {
    const c = config({}, [
      usersRoute,
      { name: 'v2-header', pathPrefix: '/users', headers: { 'X-API-Version': '2' }, methods: ['GET'], target: RouteTarget.service(users) },
      { name: 'any-host', hosts: ['a.example.com', 'b.example.com'], path: '/x', target: RouteTarget.service(users) },
    ]);
    expect(c.http.routers.users.rule).toBe('Host(`api.example.com`) && (Path(`/v1/users`) || PathPrefix(`/v1/users/`))');
    expect(c.http.routers['v2-header'].rule).toBe('Host(`api.example.com`) && (Path(`/users`) || PathPrefix(`/users/`)) && Header(`X-API-Version`, `2`) && Method(`GET`)');
    expect(c.http.routers['any-host'].rule).toBe('(Host(`a.example.com`) || Host(`b.example.com`)) && Path(`/x`)');
    expect(parseRule(c.http.routers['v2-header'].rule)).toEqual(['Host', 'Path', 'PathPrefix', 'Header', 'Method']);
    expect(() => parseRule('Header(`X`)')).toThrow(/expected ","/);
  });

  test('middleware order: allow list, headers, CORS before JWT, rate limit, body limit, compression, strip, retry, breaker', () => {
    const c = config({ jwt: JWT, cors: { allowOrigins: ['https://app.example.com'] }, rateLimit: { average: 5 }, retry: { attempts: 2, retryNonIdempotent: true }, circuitBreaker: {}, ipAllowList: ['10.0.0.0/8'] },
      [{ ...usersRoute, stripPrefix: true }]);
    expect(c.http.routers.users.middlewares).toEqual([
      'ip-allow-list', 'security-headers', 'cors', 'rate-limit', 'jwt', 'body-limit', 'compress', 'users-strip-prefix', 'retry', 'circuit-breaker',
    ]);
  });

  test('retries only where a replay is safe: an extra router for idempotent methods', () => {
    const c = config({ retry: { attempts: 3 } }, [usersRoute, { name: 'create', path: '/orders', methods: ['POST'], target: RouteTarget.service(users) }]);
    expect(c.http.routers['users-idempotent'].rule).toMatch(/Method\(`GET`\) \|\| Method\(`HEAD`\) \|\| Method\(`OPTIONS`\) \|\| Method\(`PUT`\) \|\| Method\(`DELETE`\)\)$/);
    expect(c.http.routers['users-idempotent'].middlewares).toContain('retry');
    expect(c.http.routers.users.middlewares).not.toContain('retry');
    expect(c.http.routers.create.middlewares).not.toContain('retry');
    expect(c.http.routers['create-idempotent']).toBeUndefined();
    expect(c.http.middlewares.retry).toEqual({ retry: { attempts: 3, initialInterval: '100ms' } });
  });

  test('canary: weighted service over two load balancers, sticky at the split', () => {
    const c = config({}, [{ name: 'canary', pathPrefix: '/v2', stickySessions: true, target: RouteTarget.weighted([{ service: users, weight: 90 }, { service: canary, weight: 10 }]) }]);
    expect(c.http.services.canary.weighted).toEqual({
      services: [{ name: 'canary-users', weight: 90 }, { name: 'canary-users-canary', weight: 10 }],
      sticky: { cookie: { name: 'canary-affinity', secure: true, httpOnly: true, sameSite: 'lax' } },
    });
    expect(c.http.services['canary-users-canary'].loadBalancer.servers).toEqual([{ url: 'http://users-canary.shop.svc.cluster.local:80' }]);
  });

  test('external URL: its own Host header, a timeout transport; WebSocket routes skip retries, buffering and compression', () => {
    const c = config({ retry: { attempts: 2 } }, [
      { name: 'partner', pathPrefix: '/partner', target: RouteTarget.url('https://partner.example.net'), timeout: Duration.seconds(5) },
      { name: 'live', pathPrefix: '/ws', websocket: true, target: RouteTarget.service(users) },
    ]);
    expect(c.http.services.partner.loadBalancer).toEqual({ servers: [{ url: 'https://partner.example.net' }], passHostHeader: false, serversTransport: 'timeout-5s' });
    expect(c.http.serversTransports['timeout-5s'].forwardingTimeouts.responseHeaderTimeout).toBe('5s');
    expect(c.http.routers.live.middlewares).toEqual(['security-headers']);
    expect(c.http.services.live.loadBalancer.passHostHeader).toBe(true);
  });

  test('rate limits: per client address behind one proxy hop, per header, per-route overrides', () => {
    const c = config({ rateLimit: { average: 100, burst: 150 } }, [
      usersRoute,
      { name: 'partner', pathPrefix: '/p', target: RouteTarget.service(users), rateLimit: { average: 5, period: Duration.minutes(1), key: RateLimitKey.header('X-Api-Key') } },
    ], { trustedProxyHops: 1 });
    expect(c.http.middlewares['rate-limit']).toEqual({ rateLimit: { average: 100, burst: 150, period: '1s', sourceCriterion: { ipStrategy: { depth: 1 } } } });
    expect(c.http.middlewares['partner-rate-limit']).toEqual({ rateLimit: { average: 5, burst: 5, period: '60s', sourceCriterion: { requestHeaderName: 'X-Api-Key' } } });
  });

  test('CORS and security headers', () => {
    const c = config({ cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true, maxAge: Duration.minutes(5) } }, [usersRoute]);
    expect(c.http.middlewares.cors.headers).toEqual({
      accessControlAllowOriginList: ['https://app.example.com'],
      accessControlAllowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      accessControlAllowHeaders: ['Authorization', 'Content-Type'],
      accessControlAllowCredentials: true,
      accessControlMaxAge: 300,
      addVaryHeader: true,
    });
    expect(c.http.middlewares['security-headers'].headers).toEqual({
      stsSeconds: 31536000,
      stsIncludeSubdomains: true,
      forceSTSHeader: true,
      contentTypeNosniff: true,
      frameDeny: true,
      referrerPolicy: 'strict-origin-when-cross-origin',
    });
  });

  test('circuit breaker expression covers network errors, 5xx ratio and latency', () => {
    const c = config({ circuitBreaker: { networkErrorRatio: 0.5, serverErrorRatio: 0.2, latencyThreshold: Duration.millis(250) } }, [usersRoute]);
    expect(c.http.middlewares['circuit-breaker'].circuitBreaker).toEqual({
      expression: 'NetworkErrorRatio() > 0.5 || ResponseCodeRatio(500, 600, 0, 600) > 0.2 || LatencyAtQuantileMS(50.0) > 250',
      checkPeriod: '100ms',
      fallbackDuration: '10s',
      recoveryDuration: '10s',
      responseCode: 503,
    });
  });

  test('TLS: 1.2 minimum with forward-secret AEAD ciphers', () => {
    expect(config({}, [usersRoute]).tls.options.default).toMatchObject({ minVersion: 'VersionTLS12', sniStrict: false });
  });

  test('static configuration keys are the documented v3 ones', () => {
    const s = renderTraefikStaticConfig(resolveGatewaySpec('api', { tracing: { otlpEndpoint: 'http://c:4318/v1/traces' } }), { trustedIps: ['10.0.0.0/16'], dynamicConfigDir: '/d', publicHttpsPort: 8443 });
    expect(Object.keys(s).sort()).toEqual(['accessLog', 'entryPoints', 'global', 'log', 'metrics', 'ping', 'providers', 'tracing']);
    expect(Object.keys(s.entryPoints)).toEqual(['web', 'websecure', 'ping', 'metrics']);
    expect(s.entryPoints.websecure).toMatchObject({ address: ':8443', forwardedHeaders: { trustedIPs: ['10.0.0.0/16'] }, http: { tls: {} } });
    expect(s.entryPoints.web.http.redirections.entryPoint.to).toBe(':8443');
  });
});
