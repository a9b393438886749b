/**
 * A small NetworkPolicy evaluator: can pods of one workload open a TCP connection to pods of another
 * on a port, under the namespace's policies? Follows the NetworkPolicy semantics the platform relies
 * on (a pod selected by a policy of a type is isolated for that direction; a connection needs the
 * source's egress and the destination's ingress; pod and namespace selectors; numeric and named ports).
 * ipBlock peers never match pods: the platform's ipBlocks name the internet with the private ranges excluded.
 */
import { containersOf, labelSelectorMatches, PodTemplate, podTemplatesOf } from '../conformance/kubernetes';

type Direction = 'Ingress' | 'Egress';

/** The workload's pod template, by the owner's name (Deployment, StatefulSet, Job…). */
export function podOf(manifests: readonly any[], owner: string): PodTemplate {
  const pods = podTemplatesOf(manifests).filter(p => p.owner.metadata?.name === owner);
  if (pods.length !== 1) throw new Error(`expected one workload named ${owner}, found ${pods.length}`);
  return pods[0];
}

/** Whether `from` may connect to `to` on TCP `port`. */
export function canConnect(manifests: readonly any[], from: PodTemplate, to: PodTemplate, port: number): boolean {
  return allows(manifests, 'Egress', from, to, port) && allows(manifests, 'Ingress', to, from, port);
}

/** Whether the policies selecting `pod` let traffic in `direction` with `peer` on `port` (the destination's port). */
function allows(manifests: readonly any[], direction: Direction, pod: PodTemplate, peer: PodTemplate, port: number): boolean {
  const policies = manifests.filter(m => m.kind === 'NetworkPolicy' && (m.metadata?.namespace ?? 'default') === pod.namespace
    && labelSelectorMatches(m.spec?.podSelector, pod.labels) && policyTypes(m).includes(direction));
  if (policies.length === 0) return true; // not isolated in this direction
  const destination = direction === 'Ingress' ? pod : peer;
  const rules: any[] = policies.flatMap(p => (direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []);
  return rules.some(rule => {
    const peers: any[] | undefined = direction === 'Ingress' ? rule.from : rule.to;
    const peerOk = peers === undefined || peers.length === 0 || peers.some(p => peerMatches(p, peer, pod.namespace));
    const ports: any[] | undefined = rule.ports;
    const portOk = ports === undefined || ports.length === 0 || ports.some(p => (p.protocol ?? 'TCP') === 'TCP' && portMatches(p.port, port, destination));
    return peerOk && portOk;
  });
}

function policyTypes(policy: any): Direction[] {
  if (policy.spec?.policyTypes) return policy.spec.policyTypes;
  return policy.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

function peerMatches(peer: any, pod: PodTemplate, policyNamespace: string): boolean {
  if (peer.ipBlock) return false;
  const namespaceOk = peer.namespaceSelector
    ? labelSelectorMatches(peer.namespaceSelector, { 'kubernetes.io/metadata.name': pod.namespace })
    : pod.namespace === policyNamespace;
  const podOk = peer.podSelector ? labelSelectorMatches(peer.podSelector, pod.labels) : true;
  return namespaceOk && podOk;
}

function portMatches(rulePort: number | string | undefined, port: number, destination: PodTemplate): boolean {
  if (rulePort === undefined) return true;
  if (typeof rulePort === 'number') return rulePort === port;
  return containersOf(destination, ['containers']).some(c => (c.container.ports ?? []).some((p: any) => p.name === rulePort && p.containerPort === port));
}
