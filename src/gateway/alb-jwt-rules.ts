import { JwtSpec } from './spec';
import { RouteMatch, traefikRule } from './traefik-rules';

/** ALB limit: condition values per listener rule. */
export const MAX_ALB_CONDITION_VALUES = 5;
/** ALB limit: rules per listener (the quota is 100; keep room for the preflight rule and operators). */
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
 * without calling a service. Only true preflights (OPTIONS with Origin and
 * Access-Control-Request-Method) skip verification.
 */
export const PREFLIGHT_CONDITIONS = [
  { field: 'http-request-method', httpRequestMethodConfig: { values: ['OPTIONS'] } },
  { field: 'http-header', httpHeaderConfig: { httpHeaderName: 'Origin', values: ['*'] } },
  { field: 'http-header', httpHeaderConfig: { httpHeaderName: 'Access-Control-Request-Method', values: ['*'] } },
];

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
