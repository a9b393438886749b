/**
 * Who checks JSON Web Tokens. Traefik OSS has no JWT middleware, so the token is verified either
 * by a verifier Traefik calls with `forwardAuth`, or (AWS only) by the load balancer itself.
 */
export class JwtVerifier {
  /**
   * An Envoy sidecar in every gateway replica (`jwt_authn` filter: signature from the JWKS,
   * issuer, audiences, expiry), called by Traefik's `forwardAuth` on localhost. Same behaviour on
   * both targets; the default.
   */
  public static sidecar(): JwtVerifier {
    return new JwtVerifier('sidecar', undefined);
  }

  /**
   * The public load balancer's native `jwt-validation` listener action (AWS only): invalid tokens
   * are refused before they reach Traefik. Routes that opt out of JWT get listener rules of their own.
   */
  public static loadBalancer(): JwtVerifier {
    return new JwtVerifier('load-balancer', undefined);
  }

  /**
   * A verifier you run, called with `forwardAuth`: it receives the request's headers
   * (`Authorization` included) and answers 2xx to let the request through; any other answer is
   * returned to the client.
   *
   * @param address URL of the verifier, e.g. `http://jwt-verifier.auth.svc.cluster.local/verify`
   */
  public static forwardAuth(address: string): JwtVerifier {
    return new JwtVerifier('forward-auth', address);
  }

  private constructor(
    /** `sidecar`, `load-balancer` or `forward-auth`. */
    public readonly kind: string,
    /** Address of a `forwardAuth` verifier. */
    public readonly address: string | undefined,
  ) {}
}

/**
 * JWT authentication: a request without a valid token is refused with 401 before it reaches a service.
 */
export interface JwtOptions {
  /** Expected `iss` claim, e.g. `https://auth.example.com/`. */
  readonly issuer: string;
  /** HTTPS URL of the issuer's JSON Web Key Set. */
  readonly jwksUrl: string;
  /**
   * Accepted `aud` values (a token must carry one of them).
   *
   * @default the audience is not checked
   */
  readonly audiences?: string[];
  /**
   * Who verifies the token.
   *
   * @default JwtVerifier.sidecar()
   */
  readonly verifier?: JwtVerifier;
}
