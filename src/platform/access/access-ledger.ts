import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AccessAssertion, AccessDeclarations, undeclaredAccess, violatedAssertions } from './access-checks';
import { AccessPath } from './access-path';
import { awsAccess, kubernetesAccess } from './effective-access';
import type { INetworkPeer, NetworkPeer } from '../network';
import { groupOwnersOf } from './owners';

/** Context key that turns the drift check off (`false`); the assertions always run. */
export const ACCESS_DRIFT_CHECK_CONTEXT = 'cdk-portable-platform:accessDriftCheck';

/** What the ledger needs from the topology. */
export interface AccessTopology {
  readonly components: ReadonlyArray<{ readonly path: string; readonly name: string; readonly kind: string }>;
  readonly connections: ReadonlyArray<{ readonly from: string; readonly to: string; readonly kind: string }>;
}

/**
 * The access declarations and assertions of one Stack or Chart, beside its topology, and the check
 * of the effective access matrix they make at synthesis.
 */
export class AccessLedger {
  public readonly internal = new Map<string, string>();
  public readonly entryPoints = new Map<string, string>();
  /** `<source path>\u0000<collector path>`. */
  public readonly telemetry = new Set<string>();
  /** `AccessPurpose.METRICS` grants, resolved to components when checked. */
  public readonly metricsGrants: Array<{ readonly to: string; readonly peer: INetworkPeer; readonly actor?: string }> = [];
  public readonly assertions: AccessAssertion[] = [];
  private readonly settle: Array<() => void> = [];

  constructor(
    private readonly root: IConstruct,
    private readonly topology: AccessTopology,
    private readonly resolvePeer: (peer: INetworkPeer, actor?: string) => string,
    private readonly identities: ReadonlyMap<NetworkPeer, string> = new Map(),
  ) {
    root.node.addValidation({ validate: () => this.problems() });
  }

  /** Runs `fn` before the matrix is computed (e.g. a discovery that adds rules at synthesis). */
  public beforeEvaluation(fn: () => void): void {
    this.settle.push(fn);
  }

  /** The effective access matrix of the root as it is now. */
  public matrix(constructs?: readonly IConstruct[], manifests?: readonly any[]): AccessPath[] {
    this.settle.forEach(fn => fn());
    constructs = constructs ?? this.root.node.findAll();
    const components = new Set(this.topology.components.map(c => c.path));
    return Chart.isChart(this.root)
      ? kubernetesAccess(this.root, constructs, components, manifests)
      : awsAccess(constructs, components, groupOwnersOf(this.identities));
  }

  /** Component paths → `<name> (<kind>)`, for tables and messages. */
  public names(): Map<string, string> {
    return new Map(this.topology.components.map(c => [c.path, `${c.name} (${c.kind})`]));
  }

  /** The assertions violated and, unless turned off, the paths nothing declares (in `manifests` instead of the Chart's objects, when given). */
  public problems(manifests?: readonly any[]): string[] {
    const drift = this.root.node.tryGetContext(ACCESS_DRIFT_CHECK_CONTEXT) !== false && this.root.node.tryGetContext(ACCESS_DRIFT_CHECK_CONTEXT) !== 'false';
    if (this.assertions.length === 0 && !drift) return [];
    this.settle.forEach(fn => fn());
    const constructs = this.root.node.findAll();
    const paths = this.matrix(constructs, manifests);
    const problems = violatedAssertions(paths, this.assertions);
    if (drift) problems.push(...undeclaredAccess(paths, this.declarations(constructs)));
    return [...new Set(problems)];
  }

  private declarations(constructs: readonly IConstruct[]): AccessDeclarations {
    const byPath = new Map(constructs.map(c => [c.node.path, c]));
    const metricsPorts = new Map<string, number[]>();
    for (const { path } of this.topology.components) {
      const port = (byPath.get(path) as { metricsSource?: { port?: unknown } } | undefined)?.metricsSource?.port;
      if (typeof port === 'number') metricsPorts.set(path, [port]);
    }
    const telemetry = [...this.telemetry].map(pair => pair.split('\u0000')).map(([from, to]) => ({ from, to, kind: 'telemetry' }));
    const metrics = this.metricsGrants.map(g => ({ from: this.resolvePeer(g.peer, g.actor), to: g.to, kind: 'observes' }));
    const connections = [...this.topology.connections, ...telemetry, ...metrics];
    return { connections, internal: this.internal, entryPoints: this.entryPoints, metricsPorts };
  }
}
