import { Stack, Token } from 'aws-cdk-lib';
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { albConditionValueCount, albPreflightConditionValueCount, answersPreflight, MAX_ALB_CONDITION_VALUES } from './alb-jwt-rules';
import { bodyLimitProblems } from './policies/body-limit';
import { circuitBreakerProblems } from './policies/circuit-breaker';
import { cidrProblems } from './policies/ip-allow-list';
import { middlewareProblems, middlewareRedefinitions } from './policies/middleware-validation';
import { rateLimitProblems } from './policies/rate-limit';
import { retryProblems } from './policies/retry';
import { RouteSpec } from './route-spec';
import { traefikRule } from './traefik-rules';
import { isHostName } from './validation';
import { invalidPropMessage } from '../platform/errors';
import { HTTP_METHODS, isHeaderName, isHeaderValue } from '../platform/grammar/http-header';
import { HTTP_REQUEST_PATH_HINT, isHttpRequestPath } from '../platform/grammar/http-path';
import { hasUserInfo, isHttpUrl, USERINFO_HINT } from '../platform/grammar/url';
import { PlatformTarget } from '../platform/target';
import { integerInRange } from '../platform/validation';

const ROUTE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** Path characters that mean the same to Traefik and to the load balancer (no wildcards, no backquotes). */
const PATH = /^\/[A-Za-z0-9._~!$&'()+,;=:@%/-]*$/;
const METHODS = HTTP_METHODS;

export interface RouteContext {
  readonly target: PlatformTarget;
  /** Routes already on the gateway. */
  readonly existing: readonly RouteSpec[];
  /** Whether the AWS load balancer verifies JWTs (routes then become listener rules). */
  readonly loadBalancerJwt: boolean;
}

/** Every problem with one route; messages name the route as `routes[<name>]`. */
export function validateRoute(scope: IConstruct, route: RouteSpec, context: RouteContext): string[] {
  const p = `routes[${route.name}]`;
  const problems: string[] = [];
  const add = (prop: string, problem: string, received: unknown, valid: string) =>
    problems.push(invalidPropMessage(scope, `${p}.${prop}`, problem, received, valid));

  if (!ROUTE_NAME.test(route.name)) add('name', 'is not a valid route name', route.name, 'use lowercase letters, digits and "-"');
  if (route.path !== undefined && route.pathPrefix !== undefined) {
    add('path', 'is set together with pathPrefix', route.path, 'set either an exact path or a prefix');
  }
  for (const [prop, value] of [['path', route.path], ['pathPrefix', route.pathPrefix]] as const) {
    if (value !== undefined && !PATH.test(value)) {
      add(prop, 'is not a valid path', value, 'start with "/" and use URL path characters only (no spaces, "*", "?" or backquotes)');
    } else if (value !== undefined && value.includes('//')) {
      // "//" strips to an empty prefix, which would match every path.
      add(prop, 'has an empty path segment', value, 'write each "/" once, e.g. "/v1/users"');
    }
  }
  if (route.stripPrefix && !route.pathPrefix) add('stripPrefix', 'needs a pathPrefix', true, 'set pathPrefix or remove stripPrefix');
  for (const host of route.hosts) {
    if (!Token.isUnresolved(host) && !isHostName(host)) add('hosts', 'has an invalid host name', host, 'use lowercase DNS names such as "api.example.com"');
  }
  for (const [name, value] of Object.entries(route.headers)) {
    if (!isHeaderName(name)) add('headers', 'has an invalid header name', name, 'use HTTP header names such as "X-API-Version"');
    if (/[`*?]/.test(value) || !isHeaderValue(value)) {
      add(`headers.${name}`, 'has an invalid value', value, 'use a literal value of visible ASCII and spaces, without "`", "*", "?" or line breaks');
    }
  }
  for (const method of route.methods) {
    if (!METHODS.includes(method)) add('methods', 'has an unknown HTTP method', method, `use ${METHODS.join(', ')}`);
  }
  problems.push(...targetProblems(scope, p, route, context.target));
  // A route's own settings are checked here; the gateway's, which it shares, once on the gateway.
  const own = <S>(prop: string, setting: { spec: S; shared: boolean } | undefined, check: (scope: IConstruct, prop: string, spec: S) => string[]) =>
    setting && !setting.shared ? check(scope, `${p}.${prop}`, setting.spec) : [];
  problems.push(...own('rateLimit', route.rateLimit, rateLimitProblems));
  problems.push(...own('circuitBreaker', route.circuitBreaker, circuitBreakerProblems));
  problems.push(...own('retry', route.retry, retryProblems));
  problems.push(...bodyLimitProblems(scope, `${p}.maxRequestBodySize`, route.maxRequestBodyBytes));
  problems.push(...integerInRange(scope, `${p}.timeout`, route.timeoutSeconds, 1, 3600));
  problems.push(...cidrProblems(scope, `${p}.ipAllowList`, route.ipAllowList));
  // The gateway's middlewares are checked once, on the gateway; a route checks its own, which may not redefine one of theirs.
  problems.push(...middlewareProblems(scope, `${p}.middlewares`, route.ownMiddlewares));
  problems.push(...middlewareRedefinitions(scope, `${p}.middlewares`,
    [...route.middlewares.filter(m => !route.ownMiddlewares.includes(m)), ...context.existing.flatMap(other => other.ownMiddlewares)],
    route.ownMiddlewares));
  if (route.healthCheck && !isHttpRequestPath(route.healthCheck.path)) {
    add('healthCheck.path', 'is not an HTTP request path', route.healthCheck.path, HTTP_REQUEST_PATH_HINT);
  }

  const rule = traefikRule(route);
  for (const other of context.existing) {
    if (other.name === route.name) add('name', 'is a duplicate route', route.name, 'give every route a unique name');
    else if (traefikRule(other) === rule) add('match', 'duplicates route ' + other.name, rule, 'two routes with the same match cannot both receive requests');
  }
  if (context.loadBalancerJwt && albConditionValueCount(route) > MAX_ALB_CONDITION_VALUES) {
    add('match', 'has too many conditions for a load balancer rule', rule,
      `with JwtVerifier.loadBalancer() a route is a listener rule of at most ${MAX_ALB_CONDITION_VALUES} condition values; use fewer hosts/methods or JwtVerifier.sidecar()`);
  } else if (context.loadBalancerJwt && answersPreflight(route) && albPreflightConditionValueCount(route) > MAX_ALB_CONDITION_VALUES) {
    add('match', 'has too many conditions for its CORS preflight rule', rule,
      'with JwtVerifier.loadBalancer() and CORS a route\'s preflight rule adds 3 condition values (OPTIONS, Origin, Access-Control-Request-Method) ' +
      `to its hosts, one path value and headers, at most ${MAX_ALB_CONDITION_VALUES} in all; use fewer hosts/headers, disable CORS on the route, or JwtVerifier.sidecar()`);
  }
  return problems;
}

function targetProblems(scope: IConstruct, p: string, route: RouteSpec, target: PlatformTarget): string[] {
  const problems: string[] = [];
  if (route.targetKind === 'url') {
    const url = route.upstreams[0].url;
    if (!Token.isUnresolved(url) && !isHttpUrl(url)) {
      problems.push(invalidPropMessage(scope, `${p}.target`, 'is not an http(s) URL', url, 'use RouteTarget.url("https://host/...")'));
    } else if (!Token.isUnresolved(url) && hasUserInfo(url)) {
      problems.push(invalidPropMessage(scope, `${p}.target`, 'carries credentials in its URL', '<redacted>', USERINFO_HINT));
    }
    return problems;
  }
  if (route.targetKind === 'weighted' && route.upstreams.length < 2) {
    problems.push(invalidPropMessage(scope, `${p}.target`, 'splits traffic over fewer than two services', route.upstreams.length,
      'RouteTarget.weighted needs two or more services; use RouteTarget.service for one'));
  }
  const seen = new Set<string>();
  for (const upstream of route.upstreams) {
    const service = upstream.service!;
    if (seen.has(upstream.name)) {
      problems.push(invalidPropMessage(scope, `${p}.target`, 'lists a service twice', upstream.name, 'list each service once'));
    }
    seen.add(upstream.name);
    if (!Number.isInteger(upstream.weight) || upstream.weight < 0 || upstream.weight > 1000) {
      problems.push(invalidPropMessage(scope, `${p}.target`, `has an invalid weight for ${upstream.name}`, upstream.weight, 'use an integer from 0 to 1000'));
    }
    if (route.targetKind === 'weighted' && service.rolloutStrategy.strategyType === 'slo-gated-canary') {
      problems.push(invalidPropMessage(scope, `${p}.target`, 'splits traffic by fixed weights to a service with an SLO-gated canary', service.node.path,
        'the gateway cannot drive route weights by the SLO (Traefik reads them from its file configuration, which neither Argo Rollouts nor ECS ' +
        'updates): route to the service with RouteTarget.service and let its gated rollout move the new version, or split only rolling-update services'));
    }
    if (!sameRoot(scope, service, target)) {
      problems.push(invalidPropMessage(scope, `${p}.target`, 'is an unknown service', service.node.path,
        `route to a ServiceCluster in the same ${target === PlatformTarget.AWS ? 'Stack' : 'Chart'} as the gateway`));
    }
  }
  if (route.targetKind === 'weighted' && route.upstreams.every(u => u.weight === 0)) {
    problems.push(invalidPropMessage(scope, `${p}.target`, 'has only zero weights', 0, 'give at least one service a positive weight'));
  }
  return problems;
}

/** Whether both constructs render into the same Stack (AWS) or Chart (Kubernetes). */
function sameRoot(a: IConstruct, b: IConstruct, target: PlatformTarget): boolean {
  try {
    return target === PlatformTarget.AWS ? Stack.of(a) === Stack.of(b) : Chart.of(a) === Chart.of(b);
  } catch {
    return false;
  }
}
