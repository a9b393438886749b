/** Reliability rules over a whole manifest list (cross-object rules need every object at once). */
import { imagePinned, noSecretValues, plainCredentialEnv, probes, ReliabilityRule, resources } from './reliability-containers';
import { hpaTarget, networkPolicy, podDisruptionBudget, podSpreading, serviceSelector } from './reliability-topology';
import { Finding, runRules } from './types';

export * from './reliability-containers';
export * from './reliability-topology';

export const reliabilityRules: readonly ReliabilityRule[] = [
  probes, resources, imagePinned, podDisruptionBudget, podSpreading, serviceSelector, networkPolicy, hpaTarget,
  noSecretValues, plainCredentialEnv,
];

export function checkReliability(manifests: readonly any[]): Finding[] {
  return runRules(reliabilityRules, manifests);
}
