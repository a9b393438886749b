/**
 * The effective reachability of workloads under NetworkPolicies, from the manifests alone: a pod
 * selected by a policy of a type is isolated in that direction; a connection needs the destination's
 * ingress AND the source's egress; pod and namespace selectors (a namespace is matched by its
 * `kubernetes.io/metadata.name` label); numeric and named ports; ipBlock peers. Only TCP.
 *
 * ipBlock peers are outside peers: an ingress ipBlock becomes a source of its own, and an egress
 * ipBlock never matches a pod (the platform's ipBlocks name the internet with the private ranges
 * excluded). Pods no manifest describes (kube-dns, an operator in another namespace) are not in the
 * matrix. Pure: the same manifests always give the same paths.
 */
import { labelSelectorMatches } from './label-selector';
import { PolicyWorkload, policyWorkloadsOf } from './workloads';

/** One effective path between workloads (or from an ipBlock), with the rules that allow it. */
export interface WorkloadPath {
  /** The source workload; undefined for an ipBlock. */
  readonly from?: PolicyWorkload;
  /** `ipBlock <cidr>` for an outside source. */
  readonly fromPeer?: string;
  readonly to: PolicyWorkload;
  readonly port: number;
  readonly endPort: number;
  readonly rules: readonly string[];
}

type Direction = 'Ingress' | 'Egress';

interface PolicyRule {
  /** `NetworkPolicy shop/users ingress[1]`. */
  readonly id: string;
  readonly policyNamespace: string;
  readonly peers?: readonly any[];
  readonly ports?: readonly any[];
}

interface PortRange { readonly port: number; readonly endPort: number }

const ALL_PORTS: PortRange = { port: 1, endPort: 65535 };
/** The source of a rule that names no peer. */
const ANY_SOURCE = 'ipBlock 0.0.0.0/0 (any source)';

/** Every path the policies of `manifests` allow. */
export function networkPolicyPaths(manifests: readonly any[]): WorkloadPath[] {
  const workloads = policyWorkloadsOf(manifests);
  const index = new WorkloadIndex(workloads);
  const policies = manifests.filter(m => m?.kind === 'NetworkPolicy');
  const isolation = isolationOf(policies, index);
  const paths = new Map<string, Omit<WorkloadPath, 'rules'> & { rules: Set<string> }>();
  const add = (from: PolicyWorkload | string, to: PolicyWorkload, range: PortRange, rules: string[]) => {
    const fromKey = typeof from === 'string' ? from : `${from.namespace}/${from.id}`;
    const key = `${fromKey}\u0000${to.namespace}/${to.id}\u0000${range.port}-${range.endPort}`;
    const entry = paths.get(key) ?? { ...(typeof from === 'string' ? { fromPeer: from } : { from }), to, ...range, rules: new Set<string>() };
    rules.forEach(r => entry.rules.add(r));
    paths.set(key, entry);
  };

  for (const to of workloads) {
    const ingress = isolation.get(to)?.Ingress;
    const ingressRules: PolicyRule[] = ingress ?? [{ id: `no NetworkPolicy isolates ${to.namespace}/${to.id} for ingress`, policyNamespace: to.namespace }];
    for (const rule of ingressRules) {
      const ranges = portRanges(rule.ports, to);
      if (ranges.length === 0) continue;
      const sources = rule.peers === undefined || rule.peers.length === 0
        ? workloads
        : [...new Set(rule.peers.filter(p => !p.ipBlock).flatMap(p => index.matching(p, rule.policyNamespace)))];
      // A rule naming no peer admits every source, inside the cluster or not.
      const outside = rule.peers === undefined || rule.peers.length === 0
        ? [ANY_SOURCE]
        : rule.peers.filter(p => p.ipBlock).map(p => ipBlockText(p.ipBlock));
      for (const peer of outside) ranges.forEach(range => add(peer, to, range, [rule.id]));
      for (const from of sources) {
        for (const range of ranges) {
          const egress = egressAllowing(isolation.get(from)?.Egress, from, to, range, index);
          egress.forEach(e => add(from, to, e.range, [rule.id, e.rule]));
        }
      }
    }
  }
  return [...paths.values()].map(p => ({ ...p, rules: [...p.rules] }));
}

const evaluated = new WeakMap<readonly any[], WorkloadPath[]>();

/** Whether the workload named `from` may connect to the one named `to` on TCP `port` (paths computed once per manifest list). */
export function canConnect(manifests: readonly any[], from: string, to: string, port: number): boolean {
  if (!evaluated.has(manifests)) evaluated.set(manifests, networkPolicyPaths(manifests));
  return evaluated.get(manifests)!.some(p => p.from?.id.endsWith(`/${from}`) && p.to.id.endsWith(`/${to}`) && p.port <= port && port <= p.endPort);
}

/** The egress rules of `from` that let it reach `to` within `range`, each with the part of the range it allows. */
function egressAllowing(
  rules: readonly PolicyRule[] | undefined, from: PolicyWorkload, to: PolicyWorkload, range: PortRange, index: WorkloadIndex,
): Array<{ rule: string; range: PortRange }> {
  if (rules === undefined) return [{ rule: `no NetworkPolicy isolates ${from.namespace}/${from.id} for egress`, range }];
  return rules
    .filter(rule => rule.peers === undefined || rule.peers.length === 0 || rule.peers.some(p => index.peerMatches(p, to, rule.policyNamespace)))
    .flatMap(rule => portRanges(rule.ports, to).map(r => ({
      rule: rule.id,
      range: { port: Math.max(r.port, range.port), endPort: Math.min(r.endPort, range.endPort) },
    })))
    .filter(e => e.range.port <= e.range.endPort);
}

/** Per workload, the rules of the policies isolating it in each direction. */
function isolationOf(policies: readonly any[], index: WorkloadIndex): Map<PolicyWorkload, Partial<Record<Direction, PolicyRule[]>>> {
  const isolation = new Map<PolicyWorkload, Partial<Record<Direction, PolicyRule[]>>>();
  for (const policy of policies) {
    const namespace = policy.metadata?.namespace || 'default';
    const name = `NetworkPolicy ${namespace}/${policy.metadata?.name}`;
    const selected = index.selecting(policy.spec?.podSelector, namespace);
    for (const direction of policyTypes(policy)) {
      const key = direction === 'Ingress' ? 'ingress' : 'egress';
      const rules: PolicyRule[] = (policy.spec?.[key] ?? []).map((rule: any, i: number) => ({
        id: `${name} ${key}[${i}]`,
        policyNamespace: namespace,
        peers: direction === 'Ingress' ? rule.from : rule.to,
        ports: rule.ports,
      }));
      for (const workload of selected) {
        const entry = isolation.get(workload) ?? {};
        entry[direction] = [...entry[direction] ?? [], ...rules];
        isolation.set(workload, entry);
      }
    }
  }
  return isolation;
}

function policyTypes(policy: any): Direction[] {
  if (policy.spec?.policyTypes) return policy.spec.policyTypes;
  return policy.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** The TCP port ranges of a rule on `destination` (its declared ports when the rule names none). */
function portRanges(ports: readonly any[] | undefined, destination: PolicyWorkload): PortRange[] {
  if (ports === undefined || ports.length === 0) return declaredPorts(destination);
  return ports.filter(p => (p.protocol ?? 'TCP') === 'TCP').flatMap(p => {
    if (p.port === undefined) return declaredPorts(destination);
    const port = typeof p.port === 'number' ? p.port : /^\d+$/.test(String(p.port)) ? Number(p.port) : destination.namedPorts[p.port];
    if (port === undefined) return []; // a named port the destination does not declare matches nothing
    return [{ port, endPort: typeof p.endPort === 'number' ? p.endPort : port }];
  });
}

/** Every port the destination's containers declare, or every port when they declare none. */
function declaredPorts(destination: PolicyWorkload): PortRange[] {
  return destination.ports.length > 0 ? destination.ports.map(port => ({ port, endPort: port })) : [ALL_PORTS];
}

function ipBlockText(block: any): string {
  return `ipBlock ${block.cidr}${(block.except ?? []).length > 0 ? ` except ${block.except.join(', ')}` : ''}`;
}

/** Workloads indexed by label, so a selector looks at the workloads carrying its first label only. */
class WorkloadIndex {
  private readonly byLabel = new Map<string, PolicyWorkload[]>();

  constructor(private readonly workloads: readonly PolicyWorkload[]) {
    for (const w of workloads) {
      for (const [k, v] of Object.entries(w.labels)) {
        const key = `${k}=${v}`;
        const list = this.byLabel.get(key);
        if (list) list.push(w); else this.byLabel.set(key, [w]);
      }
    }
  }

  /** Workloads of `namespace` a policy's podSelector selects. */
  public selecting(selector: any, namespace: string): PolicyWorkload[] {
    return this.candidates(selector).filter(w => w.namespace === namespace && labelSelectorMatches(selector, w.labels));
  }

  /** Workloads a rule's peer (pod and namespace selectors) matches. */
  public matching(peer: any, policyNamespace: string): PolicyWorkload[] {
    return this.candidates(peer.podSelector).filter(w => this.peerMatches(peer, w, policyNamespace));
  }

  public peerMatches(peer: any, w: PolicyWorkload, policyNamespace: string): boolean {
    if (peer.ipBlock) return false;
    const namespaceOk = peer.namespaceSelector
      ? labelSelectorMatches(peer.namespaceSelector, { 'kubernetes.io/metadata.name': w.namespace })
      : w.namespace === policyNamespace;
    return namespaceOk && (peer.podSelector ? labelSelectorMatches(peer.podSelector, w.labels) : true);
  }

  private candidates(selector: any): readonly PolicyWorkload[] {
    const first = Object.entries(selector?.matchLabels ?? {})[0];
    return first ? this.byLabel.get(`${first[0]}=${first[1]}`) ?? [] : this.workloads;
  }
}
