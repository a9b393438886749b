import * as fc from 'fast-check';
import { parse } from 'yaml';
import { FakeRedis, smallGateway } from './fixtures';
import { Gateway, GatewayMiddleware, RouteTarget } from '../../src/gateway';
import { traefikConfigYaml } from '../../src/gateway/traefik-config';
import { PlatformValidationError } from '../../src/platform/errors';
import { GoTemplateEnv } from '../../src/platform/escape/go-template';
import { evaluateGoTemplate } from '../conformance/languages/go-template';
import { ENGINE_TIMEOUT_MS, oneHostile, printableHostile, PROPERTY_RUNS } from '../conformance/languages/hostile';
import { awsStack, findObject, kubernetesChart, manifestsOf } from '../util';

/** The environment the Traefik container has: a password that itself looks like template code. */
const ENV = { RATE_LIMIT_STORE_1_PASSWORD: 's3cret{{ .Env }}' };

/** The configuration as Traefik sees it after templating, with our env references resolved. */
function intended(tree: unknown): unknown {
  if (tree instanceof GoTemplateEnv) return ENV[tree.variable as keyof typeof ENV];
  if (Array.isArray(tree)) return tree.map(intended);
  if (tree !== null && typeof tree === 'object') return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, intended(v)]));
  return tree;
}

/** What Traefik loads from `file`: the Go template evaluated, then the YAML parsed. */
function loaded(file: string): unknown {
  return parse(evaluateGoTemplate(file, ENV));
}

function expectLoadedAsIntended(gateway: Gateway): void {
  const tree = gateway._renderTraefikDynamicConfig();
  expect(loaded(traefikConfigYaml(tree))).toEqual(intended(tree));
}

const k8sDynamicFile = (manifests: any[]) => findObject(manifests, 'ConfigMap', 'api-dynamic').data['dynamic.yaml'];

describe('user strings in the Traefik dynamic configuration are data, never template code', () => {
  test('a header value "{{" on Kubernetes: the file still parses and the route keeps its value', () => {
    const chart = kubernetesChart();
    const { gateway, users } = smallGateway(chart);
    gateway.addRoute({ name: 'v2', pathPrefix: '/v2', headers: { 'X-Version': '{{' }, target: RouteTarget.service(users) });
    const config: any = loaded(k8sDynamicFile(manifestsOf(chart)));
    expect(config.http.routers.v2.rule).toContain('Header(`X-Version`, `{{`)');
  });

  test('a CSP that names the store password on AWS is sent as written, never expanded', () => {
    const stack = awsStack();
    const { gateway } = smallGateway(stack, {
      rateLimit: { average: 10, store: new FakeRedis() },
      securityHeaders: { contentSecurityPolicy: "default-src 'self' {{ env \"RATE_LIMIT_STORE_1_PASSWORD\" }}" },
    });
    const file = traefikConfigYaml(gateway._renderTraefikDynamicConfig());
    const config: any = loaded(file);
    expect(config.http.middlewares['security-headers'].headers.contentSecurityPolicy)
      .toBe("default-src 'self' {{ env \"RATE_LIMIT_STORE_1_PASSWORD\" }}");
    expect(config.http.middlewares['rate-limit'].rateLimit.redis.password).toBe(ENV.RATE_LIMIT_STORE_1_PASSWORD);
    expect(evaluateGoTemplate(file, ENV).split(ENV.RATE_LIMIT_STORE_1_PASSWORD)).toHaveLength(2);
  });

  test.each([
    ['referrerPolicy', { securityHeaders: { referrerPolicy: 'no-referrer{{printf "x"}}' } },
      /securityHeaders.referrerPolicy is not a referrer policy \(got "no-referrer\{\{printf \\"x\\"\}\}"\): use one of no-referrer, /],
    ['cors.allowMethods', { cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', '{{.X}}'] } },
      /cors.allowMethods has an unknown HTTP method \(got "\{\{.X\}\}"\): use GET, HEAD/],
  ])('%s with template code is refused by its grammar', (_prop, props, message) => {
    expect(() => smallGateway(kubernetesChart(), props as any)).toThrow(message);
  });

  test('RouteTarget.url and healthCheck.path with template code are refused: braces are not URL characters', () => {
    const { gateway, users } = smallGateway(kubernetesChart(), {});
    expect(() => gateway.addRoute({ name: 'partner', pathPrefix: '/partner', target: RouteTarget.url('https://partner.example.net/{{env"HOME"}}') }))
      .toThrow(/routes\[partner\].target is not an http\(s\) URL \(got "https:\/\/partner.example.net\/\{\{env\\"HOME\\"\}\}"\)/);
    expect(() => gateway.addRoute({ name: 'hc', pathPrefix: '/hc', target: RouteTarget.service(users), healthCheck: { path: '/health{{end}}' } }))
      .toThrow(/routes\[hc\].healthCheck.path is not an HTTP request path \(got "\/health\{\{end\}\}"\)/);
  });
});

test('property: printable strings with template code in header values and the CSP are loaded exactly as given', () => {
  let rendered = 0;
  fc.assert(fc.property(printableHostile, printableHostile, (header, csp) => {
    const { gateway, users } = smallGateway(kubernetesChart(), {
      securityHeaders: { contentSecurityPolicy: `v${csp}v` }, rateLimit: { average: 10, store: new FakeRedis() },
    });
    try {
      gateway.addRoute({ name: 'hostile', pathPrefix: '/h', headers: { 'X-Hostile': `v${header}v` }, target: RouteTarget.service(users) });
    } catch (e) {
      // "`", "*" and "?" are not literal in a Traefik rule: refused.
      if (!(e instanceof PlatformValidationError) || !/[`*?]/.test(header)) throw e;
    }
    rendered++;
    expectLoadedAsIntended(gateway);
  }), PROPERTY_RUNS);
  expect(rendered).toBe(PROPERTY_RUNS.numRuns);
}, ENGINE_TIMEOUT_MS);

describe('property: any string in any Gateway string prop is refused at construction or loaded exactly as given', () => {
  let refused = 0;
  let rendered = 0;
  afterAll(() => {
    // Both outcomes must occur, or the property proves nothing about one of them.
    expect(refused).toBeGreaterThan(0);
    expect(rendered).toBeGreaterThan(0);
  });

  const valid = {
    header: '1',
    csp: "default-src 'self'",
    referrer: 'no-referrer',
    method: 'POST',
    url: 'v1',
    healthPath: 'healthz',
    pathPrefix: 'h',
    host: 'api.example.com',
    origin: 'https://app.example.com',
    cidr: '10.0.0.0/8',
    tracing: 'v1/traces',
    middlewareHeader: 'platform',
    middlewareRegex: 'v1',
  };

  test('Gateway props and routes', () => {
    fc.assert(fc.property(oneHostile(valid), s => {
      const chart = kubernetesChart();
      let gateway: Gateway;
      try {
        const built = smallGateway(chart, {
          securityHeaders: { contentSecurityPolicy: s.csp, referrerPolicy: s.referrer },
          cors: { allowOrigins: [s.origin], allowMethods: ['GET', s.method] },
          rateLimit: { average: 10, store: new FakeRedis() },
          ipAllowList: [s.cidr],
          tracing: { otlpEndpoint: `http://collector:4318/${s.tracing}` },
          middlewares: [
            GatewayMiddleware.headers('team', { requestHeaders: { 'X-Team': s.middlewareHeader } }),
            GatewayMiddleware.traefik('rewrite', 'replacePathRegex', { regex: `^/old/${s.middlewareRegex}`, replacement: '/new' }),
          ],
        });
        gateway = built.gateway;
        gateway.addRoute({ name: 'hostile', pathPrefix: `/${s.pathPrefix}`, hosts: [s.host], headers: { 'X-Hostile': s.header }, target: RouteTarget.service(built.users), healthCheck: { path: `/${s.healthPath}` } });
        gateway.addRoute({ name: 'external', pathPrefix: '/external', target: RouteTarget.url(`https://partner.example.net/${s.url}`) });
      } catch (e) {
        if (!(e instanceof PlatformValidationError)) throw e;
        refused++;
        return;
      }
      rendered++;
      expectLoadedAsIntended(gateway);
      // Both outcomes run whatever the seed: the valid props, and template code in a method.
    }), { ...PROPERTY_RUNS, examples: [[valid], [{ ...valid, method: '{{.X}}' }]] });
  }, ENGINE_TIMEOUT_MS);
});
