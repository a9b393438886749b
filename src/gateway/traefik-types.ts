/**
 * A Traefik v3 router: which requests (`rule`) on which entry points go to which service, through
 * which middlewares.
 */
export interface TraefikRouter {
  /** Entry points the router listens on (the gateway's TLS entry point, `websecure`). */
  readonly entryPoints: string[];
  /** Traefik rule the request must match, e.g. ``Host(`api.example.com`) && PathPrefix(`/v1`)``. */
  readonly rule: string;
  /** Name of the service (a key of `TraefikHttpConfig.services`) the request goes to. */
  readonly service: string;
  /** Names of the middlewares (keys of `TraefikHttpConfig.middlewares`), in the order they run. */
  readonly middlewares: string[];
  /**
   * TLS of the router; an empty object terminates TLS with the default certificate and options.
   *
   * @default no TLS (the gateway always sets it: every route is HTTPS)
   */
  readonly tls?: { [key: string]: any };
  /**
   * Priority among routers whose rules both match.
   *
   * @default Traefik's default: the length of the rule, so a longer rule wins
   */
  readonly priority?: number;
}

/**
 * The `http` part of a Traefik v3 dynamic configuration.
 */
export interface TraefikHttpConfig {
  /** Routers by name: one per route, plus `<route>-idempotent` when only idempotent methods are retried. */
  readonly routers: { [name: string]: TraefikRouter };
  /** Services by name (`loadBalancer` or `weighted`), as Traefik's file provider reads them. */
  readonly services: { [name: string]: any };
  /**
   * Middlewares by name; each holds one entry, keyed by the middleware type (e.g. `rateLimit`,
   * `headers`, `forwardAuth`), whose value is that type's Traefik options.
   */
  readonly middlewares: { [name: string]: { [type: string]: any } };
  /** Servers transports by name (`timeout-<n>s`): forwarding timeouts of the services that use them. */
  readonly serversTransports: { [name: string]: any };
}

/**
 * The `tls` part of a Traefik v3 dynamic configuration.
 */
export interface TraefikTlsConfig {
  /** TLS options by name; `default` sets the lowest version (TLS 1.2) and the TLS 1.2 cipher suites. */
  readonly options: { [name: string]: any };
  /**
   * Certificate stores by name; `default` names the certificate files Traefik serves.
   *
   * @default none on AWS, where the load balancer terminates the clients' TLS and Traefik serves its generated certificate
   */
  readonly stores?: { [name: string]: any };
}

/**
 * A gateway's Traefik v3 dynamic configuration, as the file provider loads it on both targets.
 */
export interface TraefikDynamicConfig {
  /** Routers, services, middlewares and servers transports. */
  readonly http: TraefikHttpConfig;
  /** TLS options and certificate stores. */
  readonly tls: TraefikTlsConfig;
}
