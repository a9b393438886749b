import { isPlainObject } from './label-selector';

/** Where each pod-bearing kind keeps its pod template. */
const POD_TEMPLATE_PATH: Record<string, readonly string[]> = {
  Pod: [],
  ReplicationController: ['spec', 'template'],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  // Argo Rollouts' replacement of a Deployment (a progressive rollout), with the same pod template.
  Rollout: ['spec', 'template'],
};

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
    const path = POD_TEMPLATE_PATH[obj?.kind];
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
