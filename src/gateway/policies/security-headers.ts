import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ChainStep } from './chain';
import { invalidPropMessage } from '../../platform/errors';
import { isHeaderValue, isReferrerPolicy, REFERRER_POLICIES } from '../../platform/grammar/http-header';
import { integerInRange } from '../../platform/validation';

/**
 * Security headers added to every answer.
 */
export interface SecurityHeadersOptions {
  /**
   * HSTS max-age.
   *
   * @default Duration.days(365)
   */
  readonly hstsMaxAge?: Duration;
  /**
   * Whether HSTS covers subdomains.
   *
   * @default true
   */
  readonly hstsIncludeSubdomains?: boolean;
  /**
   * `Referrer-Policy`.
   *
   * @default 'strict-origin-when-cross-origin'
   */
  readonly referrerPolicy?: string;
  /**
   * `Content-Security-Policy`.
   *
   * @default none
   */
  readonly contentSecurityPolicy?: string;
}

export interface SecurityHeadersSpec {
  readonly hstsSeconds: number;
  readonly hstsIncludeSubdomains: boolean;
  readonly referrerPolicy: string;
  readonly contentSecurityPolicy?: string;
}

export function resolveSecurityHeaders(headers: SecurityHeadersOptions | undefined): SecurityHeadersSpec {
  return {
    hstsSeconds: (headers?.hstsMaxAge ?? Duration.days(365)).toSeconds(),
    hstsIncludeSubdomains: headers?.hstsIncludeSubdomains ?? true,
    referrerPolicy: headers?.referrerPolicy ?? 'strict-origin-when-cross-origin',
    contentSecurityPolicy: headers?.contentSecurityPolicy,
  };
}

export function securityHeadersProblems(scope: IConstruct, headers: SecurityHeadersSpec): string[] {
  const problems = integerInRange(scope, 'securityHeaders.hstsMaxAge', headers.hstsSeconds, 0, 2 * 365 * 86_400);
  const csp = headers.contentSecurityPolicy;
  if (csp !== undefined && !Token.isUnresolved(csp) && !isHeaderValue(csp)) {
    problems.push(invalidPropMessage(scope, 'securityHeaders.contentSecurityPolicy', 'is not an HTTP header value', csp,
      'use visible ASCII, spaces and tabs only (no line breaks or control characters), without leading or trailing space'));
  }
  const referrer = headers.referrerPolicy;
  if (!Token.isUnresolved(referrer) && !isReferrerPolicy(referrer)) {
    problems.push(invalidPropMessage(scope, 'securityHeaders.referrerPolicy', 'is not a referrer policy', referrer, `use one of ${REFERRER_POLICIES.join(', ')}`));
  }
  return problems;
}

/** The Traefik `headers` middleware on every route. */
export function securityHeadersMiddleware(h: SecurityHeadersSpec) {
  return {
    headers: {
      stsSeconds: h.hstsSeconds,
      stsIncludeSubdomains: h.hstsIncludeSubdomains,
      forceSTSHeader: true,
      contentTypeNosniff: true,
      frameDeny: true,
      referrerPolicy: h.referrerPolicy,
      ...(h.contentSecurityPolicy ? { contentSecurityPolicy: h.contentSecurityPolicy } : {}),
    },
  };
}

export const securityHeadersLinks: ChainStep = (_route, { spec }) => [{ name: 'security-headers', definition: () => securityHeadersMiddleware(spec.securityHeaders) }];
