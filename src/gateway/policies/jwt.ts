import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ChainStep } from './chain';
import { invalidPropMessage } from '../../platform/errors';
import { hasUserInfo, isHttpUrl, USERINFO_HINT } from '../../platform/grammar/url';
import { JWT_SIDECAR_ADDRESS } from '../jwt-verifier-config';

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

export interface JwtSpec {
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly audiences: string[];
  readonly verifier: JwtVerifier;
}

export function resolveJwt(jwt: JwtOptions): JwtSpec {
  return {
    issuer: jwt.issuer,
    jwksUrl: jwt.jwksUrl,
    audiences: [...jwt.audiences ?? []],
    verifier: jwt.verifier ?? JwtVerifier.sidecar(),
  };
}

export function jwtProblems(scope: IConstruct, jwt: JwtSpec): string[] {
  const problems: string[] = [];
  if (!jwt.issuer) {
    problems.push(invalidPropMessage(scope, 'jwt.issuer', 'is empty', jwt.issuer, 'set the expected "iss" claim, e.g. "https://auth.example.com/"'));
  }
  if (!jwt.jwksUrl || (!Token.isUnresolved(jwt.jwksUrl) && !isHttpUrl(jwt.jwksUrl, true))) {
    problems.push(invalidPropMessage(scope, 'jwt.jwksUrl', 'is not an https URL', jwt.jwksUrl,
      'set the issuer\'s JSON Web Key Set URL, e.g. "https://auth.example.com/.well-known/jwks.json"'));
  } else if (Token.isUnresolved(jwt.jwksUrl) && jwt.verifier.kind === 'sidecar') {
    problems.push(invalidPropMessage(scope, 'jwt.jwksUrl', 'is unresolved', '<token>', 'the JWT verifier sidecar needs a literal URL'));
  }
  for (const [prop, url] of [['jwt.jwksUrl', jwt.jwksUrl], ['jwt.verifier', jwt.verifier.address]] as const) {
    if (url !== undefined && !Token.isUnresolved(url) && hasUserInfo(url)) problems.push(invalidPropMessage(scope, prop, 'carries credentials in its URL', '<redacted>', USERINFO_HINT));
  }
  const address = jwt.verifier.address;
  if (address !== undefined && !Token.isUnresolved(address) && !isHttpUrl(address)) {
    problems.push(invalidPropMessage(scope, 'jwt.verifier', 'has an invalid forwardAuth address', address, 'use an http(s) URL of the verifier'));
  }
  return problems;
}

/** The address Traefik's forwardAuth calls: the sidecar on localhost, a verifier of yours, or none (the load balancer verifies). */
export function jwtVerifierAddress(jwt: JwtSpec | undefined): string | undefined {
  return jwt?.verifier.kind === 'sidecar' ? JWT_SIDECAR_ADDRESS : jwt?.verifier.address;
}

/** The Traefik `forwardAuth` middleware calling the verifier. */
export function jwtMiddleware(address: string) {
  // trustForwardHeader false: the verifier sees X-Forwarded-* set by Traefik, never by the client.
  return { forwardAuth: { address, trustForwardHeader: false } };
}

export const jwtLinks: ChainStep = (route, { options }) => {
  const address = options.jwtVerifierAddress;
  return route.jwt && address ? [{ name: 'jwt', definition: () => jwtMiddleware(address) }] : [];
};
