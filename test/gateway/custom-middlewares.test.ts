import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { Token } from 'aws-cdk-lib';
import { smallGateway } from './fixtures';
import { GatewayMiddleware, GatewayPolicy, RouteTarget } from '../../src/gateway';
import { ACCEPTED_MIDDLEWARE_FIELDS, REFUSED_MIDDLEWARES } from '../../src/gateway/policies/middleware-types';
import { awsStack, kubernetesChart } from '../util';

/**
 * Traefik v3 HTTP middleware definitions as published in SchemaStore's file-provider schema
 * (github.com/SchemaStore/schemastore, src/schemas/json/traefik-v3-file-provider.json; the fixture
 * names the commit). No Traefik binary installs here: every user middleware we render is checked
 * against it.
 */
const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'traefik-v3-http-middleware.schema.json'), 'utf8'));
const validateMiddleware = new Ajv({ allErrors: true }).compile(schema);
const schemaTypes: Record<string, string[]> = Object.fromEntries(schema.definitions.httpMiddleware.oneOf.map((alternative: any) => {
  const [type, ref] = Object.entries<any>(alternative.properties)[0];
  return [type, Object.keys(schema.definitions[ref.$ref.split('/').pop()].properties ?? {}).sort()];
}));

const TEAM = GatewayMiddleware.headers('team', { requestHeaders: { 'X-Team': 'platform' }, responseHeaders: { 'X-Powered-By': '' } });
const IN_FLIGHT = GatewayMiddleware.inFlightRequests('in-flight', { amount: 50 });
const LEGACY = GatewayMiddleware.replacePathRegex('legacy', '^/v0/(.*)', '/v1/$1');
const AUTH = GatewayMiddleware.traefik('authz', 'forwardAuth', { address: 'http://authz.shop.svc:8080/check', authResponseHeaders: ['X-User'] });

describe('custom Traefik middlewares', () => {
  test('the gateway\'s run on every route after its protections, then the route\'s own; a route can opt out', () => {
    const { gateway, users } = smallGateway(kubernetesChart(), { middlewares: [TEAM, IN_FLIGHT], rateLimit: { average: 10 } });
    gateway.addRoute({ name: 'legacy', pathPrefix: '/v0', stripPrefix: true, middlewares: [LEGACY, AUTH], target: RouteTarget.service(users) });
    gateway.addRoute({ name: 'probe', path: '/probe', disable: [GatewayPolicy.CUSTOM_MIDDLEWARES], target: RouteTarget.service(users) });
    const config = gateway.traefikDynamicConfig();
    expect(config.http.routers.users.middlewares).toEqual(['security-headers', 'rate-limit', 'custom-team', 'custom-in-flight', 'body-limit', 'compress']);
    expect(config.http.routers.legacy.middlewares).toEqual([
      'security-headers', 'rate-limit', 'custom-team', 'custom-in-flight', 'custom-legacy', 'custom-authz', 'body-limit', 'compress', 'legacy-strip-prefix',
    ]);
    expect(config.http.routers.probe.middlewares).not.toContain('custom-team');
    expect(config.http.middlewares['custom-team']).toEqual({
      headers: { customRequestHeaders: { 'X-Team': 'platform' }, customResponseHeaders: { 'X-Powered-By': '' } },
    });
    expect(config.http.middlewares['custom-in-flight']).toEqual({ inFlightReq: { amount: 50 } });
    expect(config.http.middlewares['custom-authz']).toEqual({ forwardAuth: { address: 'http://authz.shop.svc:8080/check', authResponseHeaders: ['X-User'] } });
  });

  test('on AWS a per-client limit counts the address the load balancer saw, as the rate limit does', () => {
    const { gateway } = smallGateway(awsStack(), { middlewares: [IN_FLIGHT, GatewayMiddleware.inFlightRequests('per-key', { amount: 5, perHeader: 'X-Api-Key' })] });
    const middlewares = gateway.traefikDynamicConfig().http.middlewares;
    expect(middlewares['custom-in-flight']).toEqual({ inFlightReq: { amount: 50, sourceCriterion: { ipStrategy: { depth: 1 } } } });
    expect(middlewares['custom-per-key']).toEqual({ inFlightReq: { amount: 5, sourceCriterion: { requestHeaderName: 'X-Api-Key' } } });
  });

  test('every rendered user middleware matches Traefik\'s published schema', () => {
    const all = [TEAM, IN_FLIGHT, LEGACY, AUTH,
      GatewayMiddleware.addPrefix('prefix', '/api'),
      GatewayMiddleware.traefik('grpc', 'grpcWeb', { allowOrigins: ['https://app.example.com'] }),
      GatewayMiddleware.traefik('old-docs', 'redirectRegex', { regex: '^https://docs.example.com/v1/(.*)', replacement: 'https://docs.example.com/v2/$1', permanent: true })];
    for (const target of [kubernetesChart(), awsStack()]) {
      const { gateway } = smallGateway(target, { middlewares: all });
      for (const m of all) {
        const definition = gateway.traefikDynamicConfig().http.middlewares[`custom-${m.name}`];
        const valid = validateMiddleware(definition);
        expect({ middleware: m.name, valid, errors: validateMiddleware.errors }).toEqual({ middleware: m.name, valid: true, errors: null });
      }
    }
  });

  test('the accepted fields are exactly the schema\'s, and every Traefik type is accepted or refused with a reason', () => {
    for (const [type, fields] of Object.entries(ACCEPTED_MIDDLEWARE_FIELDS)) {
      expect({ type, fields: [...fields].sort() }).toEqual({ type, fields: schemaTypes[type] });
    }
    expect([...Object.keys(ACCEPTED_MIDDLEWARE_FIELDS), ...Object.keys(REFUSED_MIDDLEWARES)].sort()).toEqual(Object.keys(schemaTypes).sort());
  });

  test.each([
    ['an invalid name', [GatewayMiddleware.addPrefix('Team_A', '/a')],
      'platform/Api: middlewares has an invalid middleware name (got "Team_A"): 1-40 lowercase letters, digits and "-", starting and ending with a letter or digit'],
    ['a type with credentials in the configuration', [GatewayMiddleware.traefik('auth', 'basicAuth', { users: ['admin:$apr1$x'] })],
      'platform/Api: middlewares[auth] is a refused middleware type (got "basicAuth"): its users would be written into the configuration: use the jwt prop, or forwardAuth to your own authenticator'],
    ['a type the gateway has a prop for', [GatewayMiddleware.traefik('limit', 'rateLimit', { average: 5 })],
      'platform/Api: middlewares[limit] is a refused middleware type (got "rateLimit"): use the rateLimit prop'],
    ['an unknown type', [GatewayMiddleware.traefik('x', 'rewriteBody', {})],
      'platform/Api: middlewares[x] is not a Traefik v3 HTTP middleware type (got "rewriteBody"): use one of addPrefix, contentType, forwardAuth, grpcWeb, headers, inFlightReq, passTLSClientCert, redirectRegex, replacePath, replacePathRegex, stripPrefixRegex'],
    ['an unknown field', [GatewayMiddleware.traefik('authz', 'forwardAuth', { adress: 'http://authz:8080' })],
      'platform/Api: middlewares[authz].adress is not an option of forwardAuth (got "adress"): use addAuthCookiesToResponse, address,'],
    ['a credential in a header', [GatewayMiddleware.headers('upstream', { requestHeaders: { Authorization: 'Bearer abcdefghijklmnop' } })],
      'platform/Api: middlewares[upstream].customRequestHeaders.Authorization looks like an Authorization header value (got "<redacted>"): the Traefik configuration is not a secret store'],
    ['an invalid header name', [GatewayMiddleware.headers('h', { requestHeaders: { 'X Team': 'a' } })],
      'platform/Api: middlewares[h].customRequestHeaders has an invalid header name (got "X Team"): use HTTP header names such as "X-Team"'],
    ['a header value with a line break', [GatewayMiddleware.headers('h', { responseHeaders: { 'X-A': 'a\r\nSet-Cookie: x' } })],
      'platform/Api: middlewares[h].customResponseHeaders.X-A is not an HTTP header value (got "a\\r\\nSet-Cookie: x"): use visible ASCII, spaces and tabs (no line breaks), or "" to remove the header'],
    ['an amount out of range', [GatewayMiddleware.inFlightRequests('f', { amount: 0 })],
      'platform/Api: middlewares[f].amount is out of range (got 0): use a whole number from 1 to 1000000'],
    ['a prefix that is not a path', [GatewayMiddleware.addPrefix('p', 'api')],
      'platform/Api: middlewares[p].prefix is not a URL path (got "api"): start with "/" and use URL path characters only'],
    ['an unresolved value', [GatewayMiddleware.addPrefix('p', Token.asString({ Ref: 'Prefix' }))],
      'platform/Api: middlewares[p].prefix is unresolved (got "<token>"): the configuration is rendered at synthesis: use a literal value'],
    ['a value that is not data', [GatewayMiddleware.traefik('c', 'contentType', { autoDetect: new Date(0) })],
      'platform/Api: middlewares[c].autoDetect is not JSON data'],
    ['one name twice with different options', [GatewayMiddleware.addPrefix('p', '/a'), GatewayMiddleware.addPrefix('p', '/b')],
      'platform/Api: middlewares[p] is defined twice with different options (got "addPrefix"): give each middleware its own name'],
  ])('%s fails synthesis with a clear message', (_case, middlewares, message) => {
    expect(() => smallGateway(kubernetesChart(), { middlewares })).toThrow(message);
  });

  test('a route cannot redefine a middleware of the gateway or of another route', () => {
    const { gateway, users } = smallGateway(kubernetesChart(), { middlewares: [TEAM] });
    gateway.addRoute({ name: 'a', pathPrefix: '/a', middlewares: [GatewayMiddleware.addPrefix('shared', '/x')], target: RouteTarget.service(users) });
    expect(() => gateway.addRoute({ name: 'b', pathPrefix: '/b', middlewares: [GatewayMiddleware.addPrefix('shared', '/y')], target: RouteTarget.service(users) }))
      .toThrow('platform/Api: routes[b].middlewares[shared] redefines a middleware of the gateway or another route with other options (got "addPrefix")');
    expect(() => gateway.addRoute({ name: 'c', pathPrefix: '/c', middlewares: [GatewayMiddleware.addPrefix('team', '/y')], target: RouteTarget.service(users) }))
      .toThrow('routes[c].middlewares[team] redefines a middleware of the gateway or another route with other options');
    // The same definition again is the same middleware.
    gateway.addRoute({ name: 'd', pathPrefix: '/d', middlewares: [GatewayMiddleware.addPrefix('shared', '/x')], target: RouteTarget.service(users) });
    expect(gateway.traefikDynamicConfig().http.routers.d.middlewares).toContain('custom-shared');
  });
});
