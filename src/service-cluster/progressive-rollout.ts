import { ApiObject, ApiObjectMetadata, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { CanarySpec } from './spec';
import { DeploymentGate, SloGateQuery } from '../platform/deployment-gate';
import { invalidPropMessage, PlatformValidationError } from '../platform/errors';

/** Argo Rollouts' API group and version (CRDs of Argo Rollouts v1.x). */
export const ARGO_ROLLOUTS_API_VERSION = 'argoproj.io/v1alpha1';

/** What the Rollout shares with the Deployment it replaces. */
export interface RolloutInput {
  readonly name: string;
  readonly metadata: ApiObjectMetadata;
  readonly selector: Record<string, string>;
  /** undefined under an autoscaler, as for the Deployment. */
  readonly replicas?: number;
  readonly template: object;
  readonly canary: CanarySpec;
}

export interface ProgressiveRollout {
  readonly rollout: ApiObject;
  readonly analysisTemplate: ApiObject;
  readonly gate: DeploymentGate;
}

/**
 * An Argo Rollouts `Rollout` in place of the Deployment (same selector and pod template) that moves
 * the new version through `canary.weights`, holding each step for `canary.stepSeconds`, while a
 * background analysis of the `AnalysisTemplate` runs from the first step. One failed measurement
 * aborts the rollout: every replica returns to the stable version. Without traffic routing, a
 * step's weight is the new version's share of the replicas, which the Service and the gateway
 * balance over alike. The analysis' queries come from the ObservabilityStack watching the service
 * (its SLO and Prometheus), handed over at synthesis; synthesis fails when none does.
 */
export function renderProgressiveRollout(scope: Construct, input: RolloutInput): ProgressiveRollout {
  let analysis: { address: string; queries: readonly SloGateQuery[] } | undefined;
  const { canary } = input;
  const rollout = new ApiObject(scope, 'Rollout', {
    apiVersion: ARGO_ROLLOUTS_API_VERSION,
    kind: 'Rollout',
    metadata: input.metadata,
    spec: {
      replicas: input.replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: input.selector },
      template: input.template,
      // A canary that makes no progress for 10 minutes is aborted, as the ECS circuit breaker would.
      progressDeadlineSeconds: 600,
      progressDeadlineAbort: true,
      strategy: {
        canary: {
          maxSurge: '25%',
          maxUnavailable: 0,
          analysis: { templates: [{ templateName: input.name }] },
          steps: canary.weights.flatMap(weight => [{ setWeight: weight }, { pause: { duration: `${canary.stepSeconds}s` } }]),
        },
      },
    },
  });
  const analysisTemplate = new ApiObject(scope, 'AnalysisTemplate', {
    apiVersion: ARGO_ROLLOUTS_API_VERSION,
    kind: 'AnalysisTemplate',
    metadata: input.metadata,
    spec: Lazy.any({
      produce: () => {
        if (!analysis) {
          throw new PlatformValidationError(invalidPropMessage(scope, 'rollout', 'has no SLO to gate on', 'RolloutStrategy.sloGatedCanary()',
            'create an ObservabilityStack in the same Chart that watches this service (its slo and Prometheus drive the analysis), or use RolloutStrategy.rollingUpdate()'));
        }
        return { metrics: analysisMetrics(analysis.address, analysis.queries, canary.analysisIntervalSeconds) };
      },
    }),
  });
  return {
    rollout,
    analysisTemplate,
    gate: {
      gateOnAlarms: () => {
        throw new Error(`${scope.node.path}: a CloudWatch deployment gate on kubernetes is a bug: the canary analysis queries Prometheus`);
      },
      gateOnPrometheus: (address, queries) => { analysis = { address, queries }; },
    },
  };
}

/**
 * One measurement per SLO query (pure), every `intervalSeconds` for as long as the canary runs:
 * each query counts the firing series of one alert condition, so success is 0 and a single
 * failure ends the analysis.
 */
export function analysisMetrics(address: string, queries: readonly SloGateQuery[], intervalSeconds: number): object[] {
  return queries.map(q => ({
    name: q.name,
    interval: `${intervalSeconds}s`,
    failureLimit: 0,
    successCondition: 'result[0] == 0',
    provider: { prometheus: { address, query: q.query } },
  }));
}
