import { Duration } from 'aws-cdk-lib';

/**
 * Options of `RolloutStrategy.sloGatedCanary`.
 */
export interface SloGatedCanaryOptions {
  /**
   * Share of the replicas (percent) the new version gets at each canary step, strictly increasing,
   * each from 1 to 99; the rollout completes after the last step. Kubernetes only: on AWS, ECS
   * replaces the tasks in one rolling deployment gated by the alarms, and a value here is refused.
   *
   * @default [20, 50, 80]
   */
  readonly weights?: number[];
  /**
   * How long each canary step holds while the analysis runs before the next step. Kubernetes only
   * (refused on AWS, as `weights`).
   *
   * @default Duration.minutes(5)
   */
  readonly stepDuration?: Duration;
  /**
   * Time between two evaluations of the SLO queries during the canary. Kubernetes only (refused on
   * AWS, where the alarms' 5-minute period sets the pace).
   *
   * @default Duration.minutes(1)
   */
  readonly analysisInterval?: Duration;
}

/**
 * How a new version of a ServiceCluster replaces the running one.
 */
export class RolloutStrategy {
  /**
   * A rolling update: new replicas start before old ones stop (never below the desired count),
   * with the ECS deployment circuit breaker on AWS and a Deployment on Kubernetes. On AWS the
   * deployment is also gated by the service's SLO alarms whenever an ObservabilityStack watches it.
   */
  public static rollingUpdate(): RolloutStrategy {
    return new RolloutStrategy('rolling-update', {});
  }

  /**
   * A deployment gated by the service's SLO, as declared on the ObservabilityStack that watches it
   * (synthesis fails without one). On Kubernetes: an Argo Rollouts `Rollout` replaces the
   * Deployment and moves the new version through canary steps while an `AnalysisTemplate` runs the
   * SLO alerts' own conditions (fast error-budget burn, error rate) against Prometheus; one failing
   * measurement aborts the canary and returns every replica to the stable version. On AWS: ECS
   * deployment alarms on the CloudWatch alarms of the same two conditions, with rollback, on top of
   * the circuit breaker.
   */
  public static sloGatedCanary(options: SloGatedCanaryOptions = {}): RolloutStrategy {
    return new RolloutStrategy('slo-gated-canary', options);
  }

  private constructor(
    /** `rolling-update` or `slo-gated-canary`. */
    public readonly strategyType: string,
    /** The canary options (empty for a rolling update). */
    public readonly canaryOptions: SloGatedCanaryOptions,
  ) {}
}
