import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ChainStep } from './chain';
import { invalidPropMessage } from '../../platform/errors';
import { HTTP_METHODS, isHeaderName } from '../../platform/grammar/http-header';
import { integerInRange } from '../../platform/validation';

/**
 * Cross-origin resource sharing, answered at the gateway (preflight requests never reach a service).
 */
export interface CorsOptions {
  /** Allowed origins, e.g. `https://app.example.com`; `*` allows any origin (not with credentials). */
  readonly allowOrigins: string[];
  /**
   * Allowed methods.
   *
   * @default GET, POST, PUT, PATCH, DELETE, OPTIONS
   */
  readonly allowMethods?: string[];
  /**
   * Allowed request headers.
   *
   * @default Authorization, Content-Type
   */
  readonly allowHeaders?: string[];
  /**
   * Response headers the browser may read.
   *
   * @default none
   */
  readonly exposeHeaders?: string[];
  /**
   * Whether browsers may send cookies and credentials.
   *
   * @default false
   */
  readonly allowCredentials?: boolean;
  /**
   * How long browsers may cache a preflight answer.
   *
   * @default Duration.minutes(10)
   */
  readonly maxAge?: Duration;
}

export interface CorsSpec {
  readonly allowOrigins: string[];
  readonly allowMethods: string[];
  readonly allowHeaders: string[];
  readonly exposeHeaders: string[];
  readonly allowCredentials: boolean;
  readonly maxAgeSeconds: number;
}

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

export function resolveCors(cors: CorsOptions): CorsSpec {
  return {
    allowOrigins: [...cors.allowOrigins],
    allowMethods: [...cors.allowMethods ?? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']],
    allowHeaders: [...cors.allowHeaders ?? ['Authorization', 'Content-Type']],
    exposeHeaders: [...cors.exposeHeaders ?? []],
    allowCredentials: cors.allowCredentials ?? false,
    maxAgeSeconds: (cors.maxAge ?? Duration.minutes(10)).toSeconds(),
  };
}

export function corsProblems(scope: IConstruct, cors: CorsSpec): string[] {
  const problems: string[] = [];
  if (cors.allowOrigins.length === 0) {
    problems.push(invalidPropMessage(scope, 'cors.allowOrigins', 'is empty', [], 'list the origins, e.g. ["https://app.example.com"]'));
  }
  for (const origin of cors.allowOrigins) {
    if (origin !== '*' && !Token.isUnresolved(origin) && !ORIGIN.test(origin)) {
      problems.push(invalidPropMessage(scope, 'cors.allowOrigins', 'has an invalid origin', origin,
        'use scheme://host[:port] without a path, e.g. "https://app.example.com", or "*"'));
    }
  }
  if (cors.allowCredentials && cors.allowOrigins.includes('*')) {
    problems.push(invalidPropMessage(scope, 'cors.allowOrigins', 'is "*" with allowCredentials', '*',
      'browsers reject credentialed responses for any origin: list the origins explicitly or set allowCredentials: false'));
  }
  for (const header of [...cors.allowHeaders, ...cors.exposeHeaders]) {
    if (header !== '*' && !isHeaderName(header)) {
      problems.push(invalidPropMessage(scope, 'cors.allowHeaders', 'has an invalid header name', header, 'use HTTP header names'));
    }
  }
  problems.push(...integerInRange(scope, 'cors.maxAge', cors.maxAgeSeconds, 0, 86_400));
  return problems;
}

/** Unknown methods in `allowMethods` (reported after the security headers' problems). */
export function corsMethodProblems(scope: IConstruct, cors: CorsSpec | undefined): string[] {
  return (cors?.allowMethods ?? []).filter(method => method !== '*' && !HTTP_METHODS.includes(method)).map(method =>
    invalidPropMessage(scope, 'cors.allowMethods', 'has an unknown HTTP method', method, `use ${HTTP_METHODS.join(', ')} or "*"`));
}

/** The Traefik `headers` middleware answering CORS. */
export function corsMiddleware(cors: CorsSpec) {
  return {
    headers: {
      accessControlAllowOriginList: cors.allowOrigins,
      accessControlAllowMethods: cors.allowMethods,
      accessControlAllowHeaders: cors.allowHeaders,
      ...(cors.exposeHeaders.length > 0 ? { accessControlExposeHeaders: cors.exposeHeaders } : {}),
      ...(cors.allowCredentials ? { accessControlAllowCredentials: true } : {}),
      accessControlMaxAge: cors.maxAgeSeconds,
      addVaryHeader: true,
    },
  };
}

export const corsLinks: ChainStep = (route, { spec }) => {
  const cors = spec.cors;
  return route.cors && cors ? [{ name: 'cors', definition: () => corsMiddleware(cors) }] : [];
};
