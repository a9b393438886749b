/**
 * Options of `GatewayMiddleware.headers`.
 */
export interface HeadersMiddlewareOptions {
  /**
   * Headers set on the request forwarded to the service; an empty value removes the header.
   *
   * @default none
   */
  readonly requestHeaders?: { [name: string]: string };
  /**
   * Headers set on the answer to the client; an empty value removes the header.
   *
   * @default none
   */
  readonly responseHeaders?: { [name: string]: string };
}

/**
 * Options of `GatewayMiddleware.inFlightRequests`.
 */
export interface InFlightRequestsOptions {
  /** Most requests one client may have in flight at once (1 to 1,000,000); the rest get 429. */
  readonly amount: number;
  /**
   * Request header that identifies a client (e.g. an API key header).
   *
   * @default the client address (the one the edge saw, behind the AWS load balancer)
   */
  readonly perHeader?: string;
}

/**
 * A Traefik middleware of your own, added to every route of a gateway (`GatewayProps.middlewares`) or
 * to one route (`GatewayRoute.middlewares`). It runs after the gateway's own protections (IP allow
 * list, security headers, CORS, rate limit, JWT) and before body limits, compression and prefix
 * stripping, so it can neither bypass nor be bypassed by them. It means the same on both targets:
 * Traefik runs on both.
 */
export class GatewayMiddleware {
  /** Sets (or, with an empty value, removes) request and answer headers. */
  public static headers(name: string, options: HeadersMiddlewareOptions): GatewayMiddleware {
    return new GatewayMiddleware(name, 'headers', {
      ...(options.requestHeaders ? { customRequestHeaders: { ...options.requestHeaders } } : {}),
      ...(options.responseHeaders ? { customResponseHeaders: { ...options.responseHeaders } } : {}),
    });
  }

  /** Limits the requests one client has in flight at once (Traefik `inFlightReq`). */
  public static inFlightRequests(name: string, options: InFlightRequestsOptions): GatewayMiddleware {
    return new GatewayMiddleware(name, 'inFlightReq', {
      amount: options.amount,
      ...(options.perHeader ? { sourceCriterion: { requestHeaderName: options.perHeader } } : {}),
    }, options.perHeader === undefined ? 'client-address' : undefined);
  }

  /** Adds `prefix` in front of the request path before forwarding (Traefik `addPrefix`). */
  public static addPrefix(name: string, prefix: string): GatewayMiddleware {
    return new GatewayMiddleware(name, 'addPrefix', { prefix });
  }

  /** Rewrites the request path with a regular expression (Traefik `replacePathRegex`, Go RE2 syntax). */
  public static replacePathRegex(name: string, regex: string, replacement: string): GatewayMiddleware {
    return new GatewayMiddleware(name, 'replacePathRegex', { regex, replacement });
  }

  /**
   * Any other Traefik v3 HTTP middleware, by its type (e.g. `forwardAuth`, `grpcWeb`, `redirectRegex`)
   * and the options Traefik documents for it. Unknown types and fields fail synthesis; middlewares the
   * gateway already offers as props (rateLimit, retry, …) or that would write credentials into the
   * configuration (basicAuth) are refused with what to use instead.
   *
   * @param name name of the middleware (lowercase letters, digits and "-")
   * @param middlewareType the Traefik middleware type, e.g. 'forwardAuth'
   * @param options its options, as Traefik's file provider documents them
   */
  public static traefik(name: string, middlewareType: string, options: { [key: string]: any }): GatewayMiddleware {
    return new GatewayMiddleware(name, middlewareType, { ...options });
  }

  private constructor(
    /** Name of the middleware; Traefik sees it as `custom-<name>`. */
    public readonly name: string,
    /** The Traefik middleware type. */
    public readonly middlewareType: string,
    /** The Traefik options of the middleware. */
    public readonly options: { [key: string]: any },
    /**
     * `client-address` when Traefik must identify clients by the address the edge saw.
     * @internal
     */
    public readonly _sourceByClientAddress?: string,
  ) {}
}
