/**
 * A gateway-wide policy that a route can opt out of with `disable`.
 */
export enum GatewayPolicy {
  /** JWT authentication. */
  JWT = 'jwt',
  /** CORS. */
  CORS = 'cors',
  /** Rate limiting. */
  RATE_LIMIT = 'rate-limit',
  /** Circuit breaker. */
  CIRCUIT_BREAKER = 'circuit-breaker',
  /** Retries. */
  RETRY = 'retry',
  /** Request body limit. */
  BODY_LIMIT = 'body-limit',
  /** Response compression. */
  COMPRESSION = 'compression',
  /** IP allow list. */
  IP_ALLOW_LIST = 'ip-allow-list',
  /** The gateway's own middlewares (`GatewayProps.middlewares`). */
  CUSTOM_MIDDLEWARES = 'custom-middlewares',
}
