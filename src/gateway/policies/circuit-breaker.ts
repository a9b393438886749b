import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ChainStep, linkName } from './chain';
import { integerInRange, numberAbove } from '../../platform/validation';
import { seconds } from '../traefik-target';

/**
 * A circuit breaker: while any threshold is exceeded, Traefik answers 503 without calling the service.
 */
export interface CircuitBreakerOptions {
  /**
   * Ratio (0-1) of network errors that opens the circuit.
   *
   * @default 0.3
   */
  readonly networkErrorRatio?: number;
  /**
   * Ratio (0-1) of 5xx answers that opens the circuit.
   *
   * @default 0.25
   */
  readonly serverErrorRatio?: number;
  /**
   * Median latency that opens the circuit.
   *
   * @default latency does not open the circuit
   */
  readonly latencyThreshold?: Duration;
  /**
   * How long the circuit stays open before it tries again.
   *
   * @default Duration.seconds(10)
   */
  readonly fallbackDuration?: Duration;
  /**
   * How long the circuit takes to let all traffic through again.
   *
   * @default Duration.seconds(10)
   */
  readonly recoveryDuration?: Duration;
}

export interface CircuitBreakerSpec {
  readonly networkErrorRatio: number;
  readonly serverErrorRatio: number;
  readonly latencyMs?: number;
  readonly fallbackSeconds: number;
  readonly recoverySeconds: number;
}

export function resolveCircuitBreaker(breaker: CircuitBreakerOptions): CircuitBreakerSpec {
  return {
    networkErrorRatio: breaker.networkErrorRatio ?? 0.3,
    serverErrorRatio: breaker.serverErrorRatio ?? 0.25,
    latencyMs: breaker.latencyThreshold?.toMilliseconds(),
    fallbackSeconds: (breaker.fallbackDuration ?? Duration.seconds(10)).toSeconds(),
    recoverySeconds: (breaker.recoveryDuration ?? Duration.seconds(10)).toSeconds(),
  };
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

/** The Traefik `circuitBreaker` middleware. */
export function circuitBreakerMiddleware(breaker: CircuitBreakerSpec) {
  const terms = [
    `NetworkErrorRatio() > ${breaker.networkErrorRatio}`,
    `ResponseCodeRatio(500, 600, 0, 600) > ${breaker.serverErrorRatio}`,
  ];
  if (breaker.latencyMs !== undefined) terms.push(`LatencyAtQuantileMS(50.0) > ${breaker.latencyMs}`);
  return {
    circuitBreaker: {
      expression: terms.join(' || '),
      checkPeriod: '100ms',
      fallbackDuration: seconds(breaker.fallbackSeconds),
      recoveryDuration: seconds(breaker.recoverySeconds),
      responseCode: 503,
    },
  };
}

export const circuitBreakerLinks: ChainStep = route => {
  const breaker = route.circuitBreaker;
  return breaker ? [{ name: linkName(route, breaker.shared, 'circuit-breaker'), definition: () => circuitBreakerMiddleware(breaker.spec) }] : [];
};
