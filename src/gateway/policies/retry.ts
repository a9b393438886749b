import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ChainLink, linkName } from './chain';
import { integerInRange } from '../../platform/validation';
import { RouteSpec } from '../route-spec';

/**
 * Retries of requests that got no answer (connection errors), with exponential backoff.
 */
export interface RetryOptions {
  /** Attempts in all (1-10). */
  readonly attempts: number;
  /**
   * First wait of the exponential backoff.
   *
   * @default Duration.millis(100)
   */
  readonly initialInterval?: Duration;
  /**
   * Also retry POST and PATCH (only when the services are idempotent for them).
   *
   * @default false: only GET, HEAD, OPTIONS, PUT and DELETE are retried
   */
  readonly retryNonIdempotent?: boolean;
}

export interface RetrySpec {
  readonly attempts: number;
  readonly initialIntervalMs: number;
  readonly retryNonIdempotent: boolean;
}

export function resolveRetry(retry: RetryOptions): RetrySpec {
  return {
    attempts: retry.attempts,
    initialIntervalMs: (retry.initialInterval ?? Duration.millis(100)).toMilliseconds(),
    retryNonIdempotent: retry.retryNonIdempotent ?? false,
  };
}

export function retryProblems(scope: IConstruct, prop: string, retry: RetrySpec): string[] {
  return [
    ...integerInRange(scope, `${prop}.attempts`, retry.attempts, 1, 10),
    ...integerInRange(scope, `${prop}.initialInterval`, retry.initialIntervalMs, 1, 60_000),
  ];
}

/** The Traefik `retry` middleware. */
export function retryMiddleware(retry: RetrySpec) {
  return { retry: { attempts: retry.attempts, initialInterval: `${retry.initialIntervalMs}ms` } };
}

/** The route's retry middleware. */
export function retryLink(route: RouteSpec, retry: { readonly spec: RetrySpec; readonly shared: boolean }): ChainLink {
  return { name: linkName(route, retry.shared, 'retry'), definition: () => retryMiddleware(retry.spec) };
}
