/**
 * NetworkPolicies on top of the namespace's default-deny: members talk to members (the backup agents
 * beside them too: their own mongod, the config servers, and the backup bucket), routers to members,
 * the Jobs to both; clients reach only the routers, and only once `allowFrom` admits them.
 */
import { k8s } from 'cdk8s-plus-27';
import { MongoKubernetesContext } from './kubernetes-pods';
import { COMPONENTS, instanceLabels } from './kubernetes-workloads';
import { MONGO_DEFAULTS } from './spec';
import { typedKubeObject } from '../platform/kube-object';
import { NetworkPeer } from '../platform/network';

const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });

/** Pods selected by the policies, by role. */
export interface MongoPodSelectors {
  readonly members: k8s.LabelSelector;
  readonly routers: k8s.LabelSelector;
  readonly jobs: k8s.LabelSelector;
}

export function podSelectors(ctx: MongoKubernetesContext, routerLabels: Record<string, string>): MongoPodSelectors {
  return {
    members: {
      matchLabels: instanceLabels(ctx),
      matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: [COMPONENTS.configServer, COMPONENTS.shard] }],
    },
    routers: { matchLabels: routerLabels },
    jobs: {
      matchLabels: { 'app.kubernetes.io/part-of': ctx.platform.platformName, ...ctx.platform.ownerLabels(ctx.scope) },
      matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: [`${ctx.spec.name}-init`, `${ctx.spec.name}-backup`, `${ctx.spec.name}-restore`] }],
    },
  };
}

export interface MongoNetworkPolicies {
  readonly memberNetworkPolicy: k8s.KubeNetworkPolicy;
  readonly routerNetworkPolicy: k8s.KubeNetworkPolicy;
  readonly jobNetworkPolicy: k8s.KubeNetworkPolicy;
  /** Admits `peer` to the routers' port (and opens the peer's own egress). */
  allowClient(peer: NetworkPeer): void;
  /** Admits `peer` to every exporter's port. */
  allowMetrics(peer: NetworkPeer): void;
}

/** `storageEgress`: the backup bucket, which the agents in the member pods write to. */
export function renderNetworkPolicies(
  ctx: MongoKubernetesContext, selectors: MongoPodSelectors, storageEgress: k8s.NetworkPolicyEgressRule[],
): MongoNetworkPolicies {
  const { scope, platform, spec } = ctx;
  const mongo = [tcp(MONGO_DEFAULTS.port)];
  // Mutable after construction: allowFrom/allowMetricsFrom append here; objects render at synth.
  const memberIngress: k8s.NetworkPolicyIngressRule[] = [{
    from: [{ podSelector: selectors.members }, { podSelector: selectors.routers }, { podSelector: selectors.jobs }],
    ports: mongo,
  }];
  const routerIngress: k8s.NetworkPolicyIngressRule[] = [{ from: [{ podSelector: selectors.jobs }], ports: mongo }];

  type Ingress = k8s.NetworkPolicyIngressRule[] | undefined;
  const policy = (id: string, name: string, podSelector: k8s.LabelSelector, ingress: Ingress, egress: k8s.NetworkPolicyEgressRule[]) =>
    typedKubeObject(k8s.KubeNetworkPolicy, scope, id, {
      metadata: platform.metadata(name, 'network-policy', scope),
      spec: { podSelector, policyTypes: ingress ? ['Ingress', 'Egress'] : ['Egress'], ingress, egress },
    });

  const memberNetworkPolicy = policy('MemberNetworkPolicy', `${spec.name}-members`, selectors.members, memberIngress,
    [{ to: [{ podSelector: selectors.members }], ports: mongo }, ...storageEgress]);
  const routerNetworkPolicy = policy('RouterNetworkPolicy', `${spec.name}-routers`, selectors.routers, routerIngress,
    [{ to: [{ podSelector: selectors.members }], ports: mongo }]);
  // Job pods accept no connections: an Egress-only policy leaves their ingress to the default deny.
  const jobNetworkPolicy = policy('JobNetworkPolicy', `${spec.name}-jobs`, selectors.jobs, undefined,
    [{ to: [{ podSelector: selectors.members }, { podSelector: selectors.routers }], ports: mongo }]);

  const grant = (peer: NetworkPeer, ingress: k8s.NetworkPolicyIngressRule[], podLabels: Record<string, string>, port: number) => {
    ingress.push({ from: [peer._kubernetesPeer(scope, platform.namespace)], ports: [tcp(port)] });
    peer._grantEgress({ podLabels, namespace: platform.namespace, port });
  };
  return {
    memberNetworkPolicy,
    routerNetworkPolicy,
    jobNetworkPolicy,
    allowClient: peer => grant(peer, routerIngress, selectors.routers.matchLabels!, MONGO_DEFAULTS.port),
    allowMetrics: peer => {
      grant(peer, memberIngress, instanceLabels(ctx), MONGO_DEFAULTS.metricsPort);
      routerIngress.push({ from: [peer._kubernetesPeer(scope, platform.namespace)], ports: [tcp(MONGO_DEFAULTS.metricsPort)] });
    },
  };
}
