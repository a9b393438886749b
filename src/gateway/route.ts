import { Duration } from 'aws-cdk-lib';
import { GatewayPolicy } from './policies/gateway-policy';
import { RoutePolicyOptions } from './policies/route-policies';
import { RouteTarget } from './targets';

/**
 * How the gateway checks the health of a route's upstreams (unhealthy ones get no traffic).
 */
export interface UpstreamHealthCheck {
  /** HTTP path answering 2xx/3xx while the upstream is healthy. */
  readonly path: string;
  /**
   * Time between checks.
   *
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;
  /**
   * Time to wait for an answer.
   *
   * @default Duration.seconds(3)
   */
  readonly timeout?: Duration;
}

/**
 * One route: which requests it matches (all conditions must hold) and where they go, with
 * per-route policy overrides.
 */
export interface GatewayRoute extends RoutePolicyOptions {
  /**
   * Name of the route in Traefik (routers, metrics) and in error messages.
   *
   * @default derived from the match, e.g. `v1-users`
   */
  readonly name?: string;
  /** Where matching requests go. */
  readonly target: RouteTarget;
  /**
   * Host names the route answers.
   *
   * @default the gateway's domainName, or any host without one
   */
  readonly hosts?: string[];
  /**
   * Path prefix (on a segment boundary), e.g. `/v1/users`.
   *
   * @default any path (unless `path` is set)
   */
  readonly pathPrefix?: string;
  /**
   * Exact path, e.g. `/v1/health`.
   *
   * @default any path (unless `pathPrefix` is set)
   */
  readonly path?: string;
  /**
   * Request headers that must have exactly these values, e.g. `{ 'X-API-Version': '2' }`.
   *
   * @default no header condition
   */
  readonly headers?: { [name: string]: string };
  /**
   * HTTP methods, e.g. `['GET', 'POST']`.
   *
   * @default every method
   */
  readonly methods?: string[];
  /**
   * Remove `pathPrefix` before forwarding (`/v1/users/42` reaches the service as `/42`).
   *
   * @default false
   */
  readonly stripPrefix?: boolean;
  /**
   * A WebSocket route: no compression, no retries, no body buffering, long idle timeouts.
   *
   * @default false
   */
  readonly websocket?: boolean;
  /**
   * Gateway-wide policies this route opts out of, e.g. `[GatewayPolicy.JWT]` for a public route.
   *
   * @default none
   */
  readonly disable?: GatewayPolicy[];
  /**
   * How long the upstream may take to send its response headers.
   *
   * @default the gateway's requestTimeout
   */
  readonly timeout?: Duration;
  /**
   * Active health checks of the upstreams.
   *
   * @default none: the platform's load balancers already route around unhealthy replicas
   */
  readonly healthCheck?: UpstreamHealthCheck;
  /**
   * Keep a client on the same upstream (and canary side) with a secure, HTTP-only cookie.
   *
   * @default false
   */
  readonly stickySessions?: boolean;
}
