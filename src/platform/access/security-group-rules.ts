/**
 * The effective reachability between security groups, from their rules alone: a connection needs an
 * ingress rule of the destination's group admitting the source (its group, or an address range) and
 * an egress rule of the source's group towards the destination (its group, or any address range: an
 * address range may hold any task, so it is counted as reaching every group, which over-reports and
 * never under-reports). A group without egress rules allows all egress, as in CloudFormation. Only
 * TCP (protocol `tcp`, `6` or `-1`). Pure.
 */

/** One security-group rule, with groups named by a stable key (the group's construct path). */
export interface SecurityGroupRule {
  /** What a message names: `AWS::EC2::SecurityGroupIngress <logical id>`. */
  readonly id: string;
  readonly direction: 'ingress' | 'egress';
  /** The group the rule belongs to. */
  readonly group: string;
  /** The other group (source of an ingress rule, destination of an egress rule). */
  readonly peerGroup?: string;
  /** The address range, when the peer is one. */
  readonly cidr?: string;
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
}

/** One effective path between groups (or from an address range). */
export interface GroupPath {
  /** The source group; undefined for an address range. */
  readonly from?: string;
  /** `cidr <range>` for an outside source. */
  readonly fromPeer?: string;
  readonly to: string;
  readonly port: number;
  readonly endPort: number;
  readonly rules: readonly string[];
}

/** Every path the rules allow. */
export function securityGroupPaths(rules: readonly SecurityGroupRule[]): GroupPath[] {
  const tcp = rules.filter(r => ['tcp', '6', '-1'].includes(String(r.protocol)));
  const withEgressRules = new Set(rules.filter(r => r.direction === 'egress').map(r => r.group));
  const egressOf = new Map<string, SecurityGroupRule[]>();
  for (const r of tcp.filter(e => e.direction === 'egress')) egressOf.set(r.group, [...egressOf.get(r.group) ?? [], r]);
  const paths: GroupPath[] = [];
  for (const rule of tcp.filter(r => r.direction === 'ingress')) {
    const range = portRange(rule);
    if (rule.peerGroup === undefined) {
      paths.push({ fromPeer: `cidr ${rule.cidr}`, to: rule.group, ...range, rules: [rule.id] });
      continue;
    }
    const source = rule.peerGroup;
    if (!withEgressRules.has(source)) {
      paths.push({ from: source, to: rule.group, ...range, rules: [rule.id] });
      continue;
    }
    for (const egress of egressOf.get(source) ?? []) {
      if (egress.peerGroup !== undefined && egress.peerGroup !== rule.group) continue;
      const allowed = portRange(egress);
      const port = Math.max(range.port, allowed.port);
      const endPort = Math.min(range.endPort, allowed.endPort);
      if (port <= endPort) paths.push({ from: source, to: rule.group, port, endPort, rules: [rule.id, egress.id] });
    }
  }
  return paths;
}

function portRange(rule: SecurityGroupRule): { port: number; endPort: number } {
  if (String(rule.protocol) === '-1') return { port: 0, endPort: 65535 };
  return { port: rule.fromPort, endPort: rule.toPort };
}
