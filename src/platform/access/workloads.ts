import { isPlainObject } from './label-selector';

/** Where each kind that runs pods keeps its pod template, by `apiVersion/kind`. */
const POD_TEMPLATE_PATH: Record<string, readonly string[]> = {
  'v1/Pod': [],
  'v1/ReplicationController': ['spec', 'template'],
  'apps/v1/Deployment': ['spec', 'template'],
  'apps/v1/StatefulSet': ['spec', 'template'],
  'apps/v1/DaemonSet': ['spec', 'template'],
  'apps/v1/ReplicaSet': ['spec', 'template'],
  'batch/v1/Job': ['spec', 'template'],
  'batch/v1/CronJob': ['spec', 'jobTemplate', 'spec', 'template'],
  // Argo Rollouts' replacement of a Deployment (a progressive rollout), with the same pod template.
  'argoproj.io/v1alpha1/Rollout': ['spec', 'template'],
};

/** The path from a manifest's root to the template of the pods it runs, or undefined if it runs none. */
export function podTemplatePath(obj: any): readonly string[] | undefined {
  return POD_TEMPLATE_PATH[`${obj?.apiVersion}/${obj?.kind}`];
}

/** The pods of one workload, as a NetworkPolicy sees them. */
export interface PolicyWorkload {
  /** `Deployment/orders`. */
  readonly id: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** Container ports by number, and by name for named ports in policies. */
  readonly ports: readonly number[];
  readonly namedPorts: Readonly<Record<string, number>>;
}

/** The workloads of a manifest list (Deployments, StatefulSets, Jobs, CronJobs…). */
export function policyWorkloadsOf(manifests: readonly any[]): PolicyWorkload[] {
  const workloads: PolicyWorkload[] = [];
  for (const obj of manifests) {
    const path = podTemplatePath(obj);
    if (!path) continue;
    let template: any = obj;
    for (const key of path) template = template?.[key];
    if (!isPlainObject(template)) continue;
    const containers: any[] = Array.isArray(template.spec?.containers) ? template.spec.containers : [];
    const declared = containers.flatMap(c => (Array.isArray(c.ports) ? c.ports : []).filter((p: any) => (p.protocol ?? 'TCP') === 'TCP'));
    workloads.push({
      id: `${obj.kind}/${obj.metadata?.name}`,
      namespace: obj.metadata?.namespace || 'default',
      labels: template.metadata?.labels ?? {},
      ports: [...new Set<number>(declared.map((p: any) => p.containerPort))].sort((a, b) => a - b),
      namedPorts: Object.fromEntries(declared.filter((p: any) => p.name).map((p: any) => [p.name, p.containerPort])),
    });
  }
  return workloads;
}
