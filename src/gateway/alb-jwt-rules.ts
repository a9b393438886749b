import { JwtSpec } from './policies/jwt';
import { RouteMatch, traefikRule } from './traefik-rules';

/** ALB limit: condition values per listener rule. */
export const MAX_ALB_CONDITION_VALUES = 5;
/** ALB limit: rules per listener (the quota is 100; keep room for operators). */
export const MAX_ALB_RULES = 90;

/** A listener rule equivalent to one route, in the order Traefik evaluates routes. */
export interface AlbRouteRule {
  readonly routeName: string;
  readonly conditions: any[];
  /** Whether the rule verifies the JWT before forwarding. */
  readonly authenticate: boolean;
}

interface RouteLike extends RouteMatch {
  readonly name: string;
  readonly jwt: boolean;
}

/** Condition values the route takes as a listener rule. */
export function albConditionValueCount(route: RouteMatch): number {
  return albConditions(route).reduce((n, c) => n + conditionValues(c), 0);
}

function conditionValues(condition: any): number {
  const config = condition.hostHeaderConfig ?? condition.pathPatternConfig ?? condition.httpHeaderConfig ?? condition.httpRequestMethodConfig;
  return config.values.length;
}

/** The listener-rule conditions matching exactly what the route's Traefik rule matches. */
export function albConditions(route: RouteMatch): any[] {
  const conditions: any[] = [];
  if (route.hosts.length > 0) conditions.push({ field: 'host-header', hostHeaderConfig: { values: route.hosts } });
  if (route.path !== undefined) conditions.push({ field: 'path-pattern', pathPatternConfig: { values: [route.path] } });
  if (route.pathPrefix !== undefined && route.pathPrefix !== '/') {
    const prefix = route.pathPrefix.replace(/\/+$/, '');
    conditions.push({ field: 'path-pattern', pathPatternConfig: { values: [prefix, `${prefix}/*`] } });
  }
  for (const [name, value] of Object.entries(route.headers)) {
    conditions.push({ field: 'http-header', httpHeaderConfig: { httpHeaderName: name, values: [value] } });
  }
  if (route.methods.length > 0) conditions.push({ field: 'http-request-method', httpRequestMethodConfig: { values: route.methods } });
  if (conditions.length === 0) conditions.push({ field: 'path-pattern', pathPatternConfig: { values: ['/*'] } });
  return conditions;
}

/**
 * Listener rules for the routes when the load balancer verifies JWTs and some route opts out:
 * every route becomes a rule, in Traefik's order (longest rule first), so that a public route never
 * lets through a request a more specific protected route would have matched. Empty when every
 * route requires a token (the listener's default action verifies).
 */
export function albRouteRules(routes: readonly RouteLike[]): AlbRouteRule[] {
  if (routes.every(r => r.jwt)) return [];
  return [...routes]
    .map(route => ({ route, rule: traefikRule(route) }))
    .sort((a, b) => b.rule.length - a.rule.length || a.route.name.localeCompare(b.route.name))
    .map(({ route }) => ({ routeName: route.name, conditions: albConditions(route), authenticate: route.jwt }));
}

/**
 * CORS preflight requests carry no token: they reach Traefik, whose CORS middleware answers them
 * without calling a service. Only true preflights (OPTIONS with a non-empty Origin and
 * Access-Control-Request-Method, what Traefik takes for one) skip verification, and only towards a
 * route whose chain has the CORS middleware: anywhere else the OPTIONS request would reach the
 * service unverified.
 */
export const PREFLIGHT_CONDITIONS = [
  { field: 'http-request-method', httpRequestMethodConfig: { values: ['OPTIONS'] } },
  { field: 'http-header', httpHeaderConfig: { httpHeaderName: 'Origin', values: ['?*'] } },
  { field: 'http-header', httpHeaderConfig: { httpHeaderName: 'Access-Control-Request-Method', values: ['?*'] } },
];

interface PreflightRouteLike extends RouteMatch {
  readonly jwt: boolean;
  readonly cors: boolean;
}

/** Whether the route needs a preflight rule: it verifies tokens, its CORS middleware answers preflights, and it matches OPTIONS. */
export function answersPreflight(route: PreflightRouteLike): boolean {
  return route.jwt && route.cors && (route.methods.length === 0 || route.methods.includes('OPTIONS'));
}

/** Most preflight rules one route takes (a path prefix is two path values, split over two rules when needed). */
export const MAX_PREFLIGHT_RULES_PER_ROUTE = 2;

const valueCount = (conditions: readonly any[]) => conditions.reduce((n, c) => n + conditionValues(c), 0);

/**
 * The route's preflight rules, as condition lists: a preflight to exactly what the route matches (the
 * method condition is the preflight's). When the route's path values and the three preflight values
 * exceed what one rule holds, one rule per path value (their union is the route's match).
 */
export function albPreflightRules(route: RouteMatch): any[][] {
  const conditions = [...PREFLIGHT_CONDITIONS, ...albConditions({ ...route, methods: [] })];
  if (valueCount(conditions) <= MAX_ALB_CONDITION_VALUES) return [conditions];
  const path = conditions.find(c => c.field === 'path-pattern');
  if (!path || path.pathPatternConfig.values.length < 2) return [conditions];
  const others = conditions.filter(c => c !== path);
  return path.pathPatternConfig.values.map((value: string) => [...others, { field: 'path-pattern', pathPatternConfig: { values: [value] } }]);
}

/** Condition values of the route's largest preflight rule. */
export function albPreflightConditionValueCount(route: RouteMatch): number {
  return Math.max(...albPreflightRules(route).map(valueCount));
}

/** Listener rules the route takes: its own, and its preflight rules when it answers preflights. */
export function albRuleCount(route: PreflightRouteLike): number {
  return 1 + (answersPreflight(route) ? albPreflightRules(route).length : 0);
}

/** The `jwt-validation` listener action (issuer, JWKS, audiences). */
export function albJwtValidationAction(jwt: JwtSpec, order: number): any {
  return {
    type: 'jwt-validation',
    order,
    jwtValidationConfig: {
      issuer: jwt.issuer,
      jwksEndpoint: jwt.jwksUrl,
      ...(jwt.audiences.length > 0
        ? { additionalClaims: [{ name: 'aud', format: 'single-string', values: jwt.audiences }] }
        : {}),
    },
  };
}
