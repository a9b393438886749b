import { ServiceClusterSpec } from './spec';
import { invalidPropMessage } from '../platform/errors';
import { integerInRange, Rule } from '../platform/validation';

/** The canary's steps and analysis: weights strictly increasing within 1-99, whole-second durations. */
export const canarySteps: Rule<ServiceClusterSpec> = (scope, s) => {
  const canary = s.canary;
  if (!canary) return [];
  const problems: string[] = [];
  if (canary.weights.length === 0 || canary.weights.length > 10) {
    problems.push(invalidPropMessage(scope, 'rollout.weights', 'must have 1 to 10 steps', `[${canary.weights.join(', ')}]`,
      'e.g. [20, 50, 80]: the rollout completes after the last step'));
  }
  canary.weights.forEach((weight, i) => {
    if (!Number.isInteger(weight) || weight < 1 || weight > 99) {
      problems.push(invalidPropMessage(scope, `rollout.weights[${i}]`, 'is not a canary share', weight, 'use an integer percentage from 1 to 99'));
    } else if (i > 0 && weight <= canary.weights[i - 1]) {
      problems.push(invalidPropMessage(scope, `rollout.weights[${i}]`, 'does not increase', weight,
        `each step must give the new version more than the previous step (${canary.weights[i - 1]})`));
    }
  });
  problems.push(
    ...integerInRange(scope, 'rollout.stepDuration (seconds)', canary.stepSeconds, 60, 86400),
    ...integerInRange(scope, 'rollout.analysisInterval (seconds)', canary.analysisIntervalSeconds, 10, 3600),
  );
  if (problems.length === 0 && canary.analysisIntervalSeconds > canary.stepSeconds) {
    problems.push(invalidPropMessage(scope, 'rollout.analysisInterval', 'is longer than a canary step', `${canary.analysisIntervalSeconds}s`,
      `use at most rollout.stepDuration (${canary.stepSeconds}s), or a step would pass without a measurement`));
  }
  return problems;
};

/** ECS rolling deployments have no traffic steps: refuse them rather than drop them. */
export const awsCanarySteps: Rule<ServiceClusterSpec> = (scope, s) => s.canary?.stepsGiven ? [invalidPropMessage(scope,
  'rollout (weights/stepDuration/analysisInterval)', 'cannot be honoured on aws',
  `weights [${s.canary.weights.join(', ')}], ${s.canary.stepSeconds}s steps, analysis every ${s.canary.analysisIntervalSeconds}s`,
  'ECS replaces the tasks in one rolling deployment that its SLO alarms (5-minute periods) fail and roll back; ' +
  'use RolloutStrategy.sloGatedCanary() without options on aws')] : [];
