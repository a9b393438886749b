import { Token } from 'aws-cdk-lib';
import type { NetworkPeer } from '../network';

/** The registered component at `path` or above it, among `components` (construct paths). */
export function componentAt(components: ReadonlySet<string>, path: string): string | undefined {
  for (let p = path; p; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) {
    if (components.has(p)) return p;
  }
  return undefined;
}

/** A security group's or workload's construct path, without the L1's `/Resource`. */
export function workloadName(path: string): string {
  return path.endsWith('/Resource') ? path.slice(0, -'/Resource'.length) : path;
}

/** Security groups (by construct path, or id when imported) → path of the component they are the network identity of. */
export function groupOwnersOf(identities: ReadonlyMap<NetworkPeer, string>): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [peer, component] of identities) {
    for (const group of peer.connectable?.connections.securityGroups ?? []) {
      owners.set(Token.isUnresolved(group.securityGroupId) ? (group.node.defaultChild ?? group).node.path : group.securityGroupId, component);
    }
  }
  return owners;
}
