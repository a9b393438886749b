/**
 * The reference platform's tests ask the library's own NetworkPolicy evaluator
 * (src/platform/access/network-policies.ts) whether one workload reaches another.
 */
import { canConnect as workloadsConnect } from '../../src/platform/access/network-policies';
import { PodTemplate, podTemplatesOf } from '../conformance/kubernetes';

/** The workload's pod template, by the owner's name (Deployment, StatefulSet, Job…). */
export function podOf(manifests: readonly any[], owner: string): PodTemplate {
  const pods = podTemplatesOf(manifests).filter(p => p.owner.metadata?.name === owner);
  if (pods.length !== 1) throw new Error(`expected one workload named ${owner}, found ${pods.length}`);
  return pods[0];
}

/** Whether `from` may connect to `to` on TCP `port`, under the NetworkPolicies of `manifests`. */
export function canConnect(manifests: readonly any[], from: PodTemplate, to: PodTemplate, port: number): boolean {
  return workloadsConnect(manifests, from.owner.metadata.name, to.owner.metadata.name, port);
}
