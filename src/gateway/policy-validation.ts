export { isHttpUrl } from '../platform/grammar/url';
import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CircuitBreakerSpec, CorsSpec, RateLimitSpec, RetrySpec } from './spec';
import { invalidPropMessage } from '../platform/errors';
import { CIDR_HINT, isCidr } from '../platform/grammar/cidr';
import { integerInRange, numberAbove } from '../platform/validation';

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_|~-]+$/;
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

export function isHeaderName(value: string): boolean {
  return HEADER_NAME.test(value);
}


export function rateLimitProblems(scope: IConstruct, prop: string, limit: RateLimitSpec): string[] {
  const problems = [
    ...integerInRange(scope, `${prop}.average`, limit.average, 1, 1_000_000_000)
      .map(m => m.replace('is out of range', 'must be a positive integer')),
    // burst defaults to average: a bad average is reported once.
    ...(limit.burst === limit.average ? [] : integerInRange(scope, `${prop}.burst`, limit.burst, 1, 1_000_000_000))
      .map(m => m.replace('is out of range', 'must be a positive integer')),
    ...integerInRange(scope, `${prop}.period`, limit.periodSeconds, 1, 86_400),
    ...integerInRange(scope, `${prop}.storeDatabase`, limit.storeDatabase, 0, 15),
  ];
  if (limit.headerName !== undefined && !isHeaderName(limit.headerName)) {
    problems.push(invalidPropMessage(scope, `${prop}.key`, 'is not a valid header name', limit.headerName, 'use an HTTP header name such as "X-Api-Key"'));
  }
  if (limit.store?.redisClusterMode) {
    problems.push(invalidPropMessage(scope, `${prop}.store`, 'is a cluster-mode Redis', limit.store.redisEndpoint.address,
      "Traefik's rate-limit store talks to one Redis endpoint: use a replication-mode (primary + replicas) store"));
  }
  if (limit.storeDatabase !== 0 && !limit.store) {
    problems.push(invalidPropMessage(scope, `${prop}.storeDatabase`, 'is set without a store', limit.storeDatabase, 'set rateLimit.store too'));
  }
  return problems;
}

export function circuitBreakerProblems(scope: IConstruct, prop: string, breaker: CircuitBreakerSpec): string[] {
  return [
    ...numberAbove(scope, `${prop}.networkErrorRatio`, breaker.networkErrorRatio, 0, 1),
    ...numberAbove(scope, `${prop}.serverErrorRatio`, breaker.serverErrorRatio, 0, 1),
    ...numberAbove(scope, `${prop}.latencyThreshold`, breaker.latencyMs, 0, 600_000),
    ...integerInRange(scope, `${prop}.fallbackDuration`, breaker.fallbackSeconds, 1, 3600),
    ...integerInRange(scope, `${prop}.recoveryDuration`, breaker.recoverySeconds, 1, 3600),
  ];
}

export function retryProblems(scope: IConstruct, prop: string, retry: RetrySpec): string[] {
  return [
    ...integerInRange(scope, `${prop}.attempts`, retry.attempts, 1, 10),
    ...integerInRange(scope, `${prop}.initialInterval`, retry.initialIntervalMs, 1, 60_000),
  ];
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

export function cidrProblems(scope: IConstruct, prop: string, ranges: string[]): string[] {
  return ranges.filter(r => !Token.isUnresolved(r) && !isCidr(r)).map(r =>
    invalidPropMessage(scope, prop, 'has an invalid address range', r, CIDR_HINT));
}
