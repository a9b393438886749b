/**
 * Cross-object reliability rules: they need the whole manifest list to see how Services,
 * PodDisruptionBudgets, HorizontalPodAutoscalers and NetworkPolicies relate to workloads.
 */
import { ReliabilityRule } from './reliability-containers';
import { Violation, isPlainObject, joinPath, namespaceOf, objectId } from './types';
import {
  PodTemplate, containersOf, isNonEmptySelector, labelSelectorMatches, mapSelectorMatches, podTemplatesOf,
} from './workloads';

const at = (object: string, path: string, problem: string): Violation => ({ object, path, message: `${path}: ${problem}` });
const ofKind = (manifests: readonly any[], apiVersion: string, kind: string): any[] =>
  manifests.filter((m) => m?.apiVersion === apiVersion && m?.kind === kind);
const groupOf = (apiVersion: unknown): string => (typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
const showLabels = (labels: Record<string, string>): string => `{${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ')}}`;

/** Does this HPA's scaleTargetRef point at `obj`? (API group must agree; version may differ.) */
export function hpaTargets(hpa: any, obj: any): boolean {
  const ref = hpa?.spec?.scaleTargetRef ?? {};
  return namespaceOf(hpa) === namespaceOf(obj) && ref.kind === obj?.kind && ref.name === obj?.metadata?.name
    && groupOf(ref.apiVersion) === groupOf(obj?.apiVersion);
}

/**
 * Replicas the workload will run with: the larger of spec.replicas (default 1) and any targeting
 * HPA's minReplicas (default 1), or KEDA ScaledObject's minReplicaCount (default 0; KEDA runs an HPA for it).
 */
export function desiredReplicas(obj: any, manifests: readonly any[]): number {
  const hpaMins = manifests.filter((m) => m?.kind === 'HorizontalPodAutoscaler' && hpaTargets(m, obj)).map((h) => h.spec?.minReplicas ?? 1);
  const kedaMins = manifests.filter((m) => m?.apiVersion === 'keda.sh/v1alpha1' && m?.kind === 'ScaledObject' && hpaTargets(m, obj))
    .map((s) => s.spec?.minReplicaCount ?? 0);
  return Math.max(obj?.spec?.replicas ?? 1, ...hpaMins, ...kedaMins);
}

/** Deployments, StatefulSets and Argo Rollouts (a Deployment's replacement) that will run more than one replica. */
function multiReplica(manifests: readonly any[]): { pod: PodTemplate; replicas: number }[] {
  return podTemplatesOf(manifests)
    .filter((pod) => (pod.owner.apiVersion === 'apps/v1' && ['Deployment', 'StatefulSet'].includes(pod.owner.kind))
      || (pod.owner.apiVersion === 'argoproj.io/v1alpha1' && pod.owner.kind === 'Rollout'))
    .map((pod) => ({ pod, replicas: desiredReplicas(pod.owner, manifests) }))
    .filter(({ replicas }) => replicas > 1);
}

export const podDisruptionBudget: ReliabilityRule = {
  id: 'Reliability-PodDisruptionBudget',
  description: 'Deployments/StatefulSets with more than one replica are covered by a PodDisruptionBudget in their namespace',
  check: (manifests) => {
    const pdbs = ofKind(manifests, 'policy/v1', 'PodDisruptionBudget');
    return multiReplica(manifests)
      .filter(({ pod }) => !pdbs.some((pdb) => namespaceOf(pdb) === pod.namespace && labelSelectorMatches(pdb.spec?.selector, pod.labels)))
      .map(({ pod, replicas }) => at(pod.object, joinPath(pod.metadataPath, 'labels'),
        `${replicas} replicas but no PodDisruptionBudget in namespace ${pod.namespace} selects ${showLabels(pod.labels)}`));
  },
};

export const podSpreading: ReliabilityRule = {
  id: 'Reliability-PodSpreading',
  description: 'multi-replica Deployments/StatefulSets spread their own pods with podAntiAffinity or topologySpreadConstraints',
  check: (manifests) => multiReplica(manifests)
    .filter(({ pod }) => !spreadSelectors(pod.spec).some((selector) => labelSelectorMatches(selector, pod.labels)))
    .map(({ pod, replicas }) => at(pod.object, pod.specPath,
      `${replicas} replicas but no podAntiAffinity term or topologySpreadConstraint whose labelSelector matches ${showLabels(pod.labels)}`)),
};

/** Label selectors of every anti-affinity term and topology spread constraint in a pod spec. */
function spreadSelectors(spec: Record<string, any>): unknown[] {
  const anti = spec.affinity?.podAntiAffinity ?? {};
  return [
    ...(anti.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((term: any) => term?.labelSelector),
    ...(anti.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((weighted: any) => weighted?.podAffinityTerm?.labelSelector),
    ...(spec.topologySpreadConstraints ?? []).map((constraint: any) => constraint?.labelSelector),
  ];
}

export const serviceSelector: ReliabilityRule = {
  id: 'Reliability-ServiceSelector',
  description: "a Service's selector matches a workload in its namespace and every targetPort exists on that workload's containers",
  check: (manifests) => {
    const pods = podTemplatesOf(manifests);
    return ofKind(manifests, 'v1', 'Service')
      .filter((svc) => isPlainObject(svc.spec?.selector) && Object.keys(svc.spec.selector).length > 0)
      .flatMap((svc) => {
        const selected = pods.filter((pod) => pod.namespace === namespaceOf(svc) && mapSelectorMatches(svc.spec.selector, pod.labels));
        if (selected.length === 0) {
          return [at(objectId(svc), 'spec.selector', `${showLabels(svc.spec.selector)} matches no workload pod template in namespace ${namespaceOf(svc)}`)];
        }
        return ((svc.spec.ports ?? []) as any[]).flatMap((port, i) => {
          const target = port?.targetPort ?? port?.port;
          if (selected.some((pod) => exposesPort(pod, target))) return [];
          const hint = port?.targetPort === undefined ? ' (targetPort defaults to port)' : '';
          return [at(objectId(svc), joinPath('spec.ports', i, 'targetPort'),
            `${JSON.stringify(target)}${hint} is not a container port of ${selected.map((pod) => pod.object).join(', ')}`)];
        });
      });
  },
};

/** Numeric targetPorts match containerPort; string targetPorts match a port name. */
function exposesPort(pod: PodTemplate, target: unknown): boolean {
  return containersOf(pod, ['containers']).some((c) => ((c.container.ports ?? []) as any[])
    .some((p) => (typeof target === 'number' ? p?.containerPort === target : p?.name === target)));
}

export const networkPolicy: ReliabilityRule = {
  id: 'Reliability-NetworkPolicy',
  description: 'every workload is selected by a NetworkPolicy with a non-empty podSelector, and its namespace has a default-deny policy',
  check: (manifests) => {
    const policies = ofKind(manifests, 'networking.k8s.io/v1', 'NetworkPolicy');
    const pods = podTemplatesOf(manifests);
    const unselected = pods
      .filter((pod) => !policies.some((np) => namespaceOf(np) === pod.namespace
        && isNonEmptySelector(np.spec?.podSelector) && labelSelectorMatches(np.spec.podSelector, pod.labels)))
      .map((pod) => at(pod.object, joinPath(pod.metadataPath, 'labels'),
        `no NetworkPolicy with a non-empty podSelector selects ${showLabels(pod.labels)} in namespace ${pod.namespace}`));
    const namespaces = [...new Set(pods.map((pod) => pod.namespace))];
    const withoutDefaultDeny = namespaces
      .filter((ns) => !policies.some((np) => namespaceOf(np) === ns && isDefaultDeny(np)))
      .map((ns): Violation => ({
        object: `v1/Namespace ${ns}`,
        message: `namespace ${ns} has no default-deny NetworkPolicy (podSelector {}, policyTypes [Ingress, Egress], no ingress/egress rules)`,
      }));
    return [...unselected, ...withoutDefaultDeny];
  },
};

/** Empty podSelector, both policy types, and no allow rules: denies all traffic not allowed elsewhere. */
export function isDefaultDeny(np: any): boolean {
  const spec = np?.spec ?? {};
  const types: unknown[] = spec.policyTypes ?? [];
  return !isNonEmptySelector(spec.podSelector) && types.includes('Ingress') && types.includes('Egress')
    && (spec.ingress ?? []).length === 0 && (spec.egress ?? []).length === 0;
}

export const hpaTarget: ReliabilityRule = {
  id: 'Reliability-HpaTarget',
  description: "a HorizontalPodAutoscaler's scaleTargetRef names an object in the same manifest set and namespace",
  check: (manifests) => manifests
    .filter((m) => m?.kind === 'HorizontalPodAutoscaler')
    .filter((hpa) => !manifests.some((m) => hpaTargets(hpa, m)))
    .map((hpa) => {
      const ref = hpa.spec?.scaleTargetRef ?? {};
      return at(objectId(hpa), 'spec.scaleTargetRef', `${ref.apiVersion}/${ref.kind} ${ref.name} does not exist in namespace ${namespaceOf(hpa)}`);
    }),
};
