import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AccessPath } from './access-path';
import { listenersOf, securityGroupRulesOf } from './aws-rules';
import { networkPolicyPaths } from './network-policies';
import { componentAt, workloadName } from './owners';
import { securityGroupPaths } from './security-group-rules';
import { PolicyWorkload } from './workloads';

/** Label carrying the identity (construct address) of the construct that owns a pod. */
const OWNER_LABEL = 'cdk-portable-platform.io/owner';
/** Kinds the Kubernetes evaluation reads: the policies and every pod-bearing kind. */
const POLICY_KINDS: ReadonlySet<string> = new Set(['NetworkPolicy', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'ReplicationController', 'Rollout']);

/**
 * The access matrix of a Chart: its NetworkPolicies and pod templates rendered as they are synthesized,
 * each workload mapped to the component owning it through its owner label. `rendered` replaces the
 * Chart's own objects (to evaluate output changed after synthesis).
 */
export function kubernetesAccess(
  chart: Chart, constructs: readonly IConstruct[], components: ReadonlySet<string>, rendered?: readonly any[],
): AccessPath[] {
  const manifests = rendered ?? constructs
    .filter((c): c is ApiObject => ApiObject.isApiObject(c) && POLICY_KINDS.has(c.kind) && Chart.of(c) === chart)
    .map(o => o.toJson());
  const owners = new Map<string, string>();
  const wanted = new Set(manifests.map(m => templateLabels(m)?.[OWNER_LABEL]).filter((a): a is string => a !== undefined));
  for (const c of constructs) {
    if (wanted.size === owners.size) break;
    if (wanted.has(c.node.addr)) owners.set(c.node.addr, c.node.path);
  }
  // Pods without the owner label (objects of your own) belong to the component above their object.
  const objects = new Map(constructs.filter(ApiObject.isApiObject).filter(o => POLICY_KINDS.has(o.kind))
    .map(o => [`${o.metadata.namespace ?? chart.namespace ?? 'default'}/${o.kind}/${o.name}`, o.node.path]));
  const ownerOf = (workload: PolicyWorkload) => {
    const path = owners.get(workload.labels[OWNER_LABEL]) ?? objects.get(`${workload.namespace}/${workload.id}`);
    return path === undefined ? undefined : componentAt(components, path);
  };
  return networkPolicyPaths(manifests).map(p => {
    const fromWorkload = p.from ? `${p.from.id}` : p.fromPeer!;
    return {
      from: p.from ? ownerOf(p.from) ?? `unowned ${fromWorkload}` : p.fromPeer!,
      to: ownerOf(p.to) ?? `unowned ${p.to.id}`,
      fromWorkload,
      toWorkload: p.to.id,
      port: p.port,
      endPort: p.endPort,
      rules: [...p.rules],
    };
  });
}

/**
 * The access matrix of a Stack (nested stacks included): its security-group rules, each group mapped
 * to the component whose construct holds it (or whose network identity it is, `groupOwners`). A shared load balancer is seen through: a connection to
 * its listener reaches the component owning that listener, and its connections to a component owning
 * a listener on it are that component's own.
 */
export function awsAccess(
  constructs: readonly IConstruct[], components: ReadonlySet<string>, groupOwners: ReadonlyMap<string, string> = new Map(),
): AccessPath[] {
  const listeners = listenersOf(constructs);
  const ownerOf = (group: string) => componentAt(components, group) ?? groupOwners.get(group);
  const balancerGroups = new Set([...listeners.keys()].map(k => k.slice(0, k.lastIndexOf(':'))));
  const listenerOwner = (group: string, port: number) => {
    const listener = listeners.get(`${group}:${port}`);
    return listener === undefined ? undefined : componentAt(components, listener);
  };
  const ownsListenerOn = (component: string, group: string) =>
    [...listeners].some(([key, listener]) => key.startsWith(`${group}:`) && componentAt(components, listener) === component);
  return securityGroupPaths(securityGroupRulesOf(constructs)).map(p => {
    const to = ownerOf(p.to) ?? (p.port === p.endPort ? listenerOwner(p.to, p.port) : undefined) ?? `unowned ${workloadName(p.to)}`;
    const relayed = p.from !== undefined && balancerGroups.has(p.from) && ownsListenerOn(to, p.from);
    const from = p.from === undefined ? p.fromPeer! : ownerOf(p.from) ?? (relayed ? to : `unowned ${workloadName(p.from)}`);
    return {
      from,
      to,
      fromWorkload: p.from === undefined ? p.fromPeer! : workloadName(p.from),
      toWorkload: workloadName(p.to),
      port: p.port,
      endPort: p.endPort,
      rules: [...p.rules],
    };
  });
}

function templateLabels(obj: any): Record<string, string> | undefined {
  const template = obj.kind === 'CronJob' ? obj.spec?.jobTemplate?.spec?.template : obj.kind === 'Pod' ? obj : obj.spec?.template;
  return template?.metadata?.labels;
}
