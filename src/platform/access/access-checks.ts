/**
 * The checks run on the effective access matrix at synthesis: the user's assertions (`denyAccess`,
 * `allowAccessOnlyFrom`) and the drift check (every effective path has a declaration). Pure.
 */
import { AccessPath } from './access-path';
import { portText } from './port-text';

/** What the topology knows was declared, by construct path. */
export interface AccessDeclarations {
  /**
   * `network` (`allowFrom`, `connect*`, `grant*`), `route` (gateway routes) and `telemetry` (sending to a
   * collector): `from` may reach `to` on its service ports; `observes`: on its metrics port.
   */
  readonly connections: ReadonlyArray<{ readonly from: string; readonly to: string; readonly kind: string }>;
  /** Components whose own workloads reach each other (replication, a router to its shards…), with why. */
  readonly internal: ReadonlyMap<string, string>;
  /** Components anyone on the internet may reach (public entry points), with why. */
  readonly entryPoints: ReadonlyMap<string, string>;
  /** Metrics ports of each component: only an observation (`AccessPurpose.METRICS`) covers them. */
  readonly metricsPorts: ReadonlyMap<string, readonly number[]>;
}

/** A user's assertion on the matrix. */
export interface AccessAssertion {
  /** `denyAccess(from, to)`: no path; `onlyFrom`: no path to `to` from a component outside `allowed` (its own aside). */
  readonly kind: 'deny' | 'onlyFrom';
  readonly to: string;
  readonly from?: string;
  readonly allowed?: readonly string[];
}

/** Messages for every path no declaration accounts for. */
export function undeclaredAccess(paths: readonly AccessPath[], declared: AccessDeclarations): string[] {
  const pairs = new Map<string, Set<string>>();
  for (const c of declared.connections) {
    const key = `${c.from}\u0000${c.to}`;
    pairs.set(key, (pairs.get(key) ?? new Set()).add(c.kind));
  }
  // Pairs reaching each other beside the metrics port: there a grant opened a service port of its own.
  const beside = new Set(paths.filter(p => !onlyMetricsPort(p, declared)).map(p => `${p.from}\u0000${p.to}`));
  const problems: string[] = [];
  for (const path of paths) {
    const missing = missingDeclaration(path, pairs, declared, beside.has(`${path.from}\u0000${path.to}`));
    if (missing) problems.push(`${path.rules.join(' and ')} let ${describe(path.from, path.fromWorkload)} reach ${describe(path.to, path.toWorkload)} on port ${portText(path)}, but ${missing}`);
  }
  return problems;
}

function onlyMetricsPort(path: AccessPath, declared: AccessDeclarations): boolean {
  return path.port === path.endPort && (declared.metricsPorts.get(path.to) ?? []).includes(path.port);
}

/**
 * What declaration `path` lacks, if any. The metrics port takes an observation, unless the grant's
 * service port is the metrics port itself (the pair reaches no other port).
 */
function missingDeclaration(
  path: AccessPath, pairs: ReadonlyMap<string, ReadonlySet<string>>, declared: AccessDeclarations, reachesServicePort: boolean,
): string | undefined {
  if (path.to.startsWith('unowned ')) return `${path.toWorkload} belongs to no platform construct: register its owner with PlatformTopology.addComponent`;
  if (path.from.startsWith('unowned ')) return `${path.fromWorkload} belongs to no platform construct: register its owner with PlatformTopology.addComponent`;
  const outside = /^(?:cidr|ipBlock) (\S+)/.exec(path.from);
  if (outside) {
    if (pairs.has(`${outside[1]}\u0000${path.to}`)) return undefined;
    if (outside[1] === '0.0.0.0/0' && declared.entryPoints.has(path.to)) return undefined;
    return `nothing declares it: admit the range with allowFrom(NetworkPeer.ipv4('${outside[1]}')), or, for a public entry point, PlatformTopology.addEntryPoint`;
  }
  if (path.from === path.to) {
    return declared.internal.has(path.to) ? undefined
      : `nothing declares traffic between its own workloads: the construct recognises it with PlatformTopology.addInternalConnection(${path.to}, why)`;
  }
  const kinds = pairs.get(`${path.from}\u0000${path.to}`) ?? new Set<string>();
  const metrics = declared.metricsPorts.get(path.to) ?? [];
  const isMetrics = metrics.some(p => path.port <= p && p <= path.endPort);
  const isOther = path.port !== path.endPort || !metrics.includes(path.port);
  const granted = kinds.has('network') || kinds.has('route') || kinds.has('telemetry');
  if (isMetrics && !kinds.has('observes') && (reachesServicePort || !granted)) {
    return `port ${metrics.join(', ')} is the metrics port, and ${path.from} does not observe ${path.to}: only allowFrom(peer, { purpose: AccessPurpose.METRICS }) (an observability stack watching it) opens it`;
  }
  if (isOther && !granted) {
    return kinds.size > 0
      ? `${path.from} is declared to ${[...kinds].join(', ')} ${path.to} only, which covers no port but the metrics port`
      : `no allowFrom, connect*, grant* or gateway route declares it: call ${path.to}.allowFrom(${path.from}) (PlatformTopology.addNetworkConnection) if it is meant`;
  }
  return undefined;
}

/** Messages for every path an assertion forbids. */
export function violatedAssertions(paths: readonly AccessPath[], assertions: readonly AccessAssertion[]): string[] {
  const problems: string[] = [];
  for (const assertion of assertions) {
    for (const path of paths.filter(p => p.to === assertion.to && p.from !== p.to)) {
      const forbidden = assertion.kind === 'deny' ? path.from === assertion.from : !assertion.allowed!.includes(path.from);
      if (!forbidden) continue;
      const stated = assertion.kind === 'deny' ? `denyAccess(${assertion.from}, ${assertion.to})` : `allowAccessOnlyFrom(${assertion.to}, [${assertion.allowed!.join(', ')}])`;
      problems.push(`${stated} is violated: ${path.rules.join(' and ')} let ${describe(path.from, path.fromWorkload)} reach ${describe(path.to, path.toWorkload)} on port ${portText(path)}`);
    }
  }
  return problems;
}

function describe(component: string, workload: string): string {
  return component === workload || component.startsWith('unowned ') ? workload : `${component} (${workload})`;
}
