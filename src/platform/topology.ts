import { Stack } from 'aws-cdk-lib';
import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { AccessLedger } from './access/access-ledger';
import { renderAccessTable } from './access/access-markdown';
import { AccessPath } from './access/access-path';
import { INetworkPeer, NetworkPeer } from './network';
import { renderTopologyMermaid } from './topology-mermaid';

/** Where a component is drawn in the architecture diagram. */
export enum TopologyLayer {
  /** The public entry point (gateways). */
  EDGE = 'edge',
  /** Stateless services. */
  SERVICES = 'services',
  /** Caches and databases. */
  DATA = 'data',
  /** Metrics, alerts, traces and logs. */
  OBSERVABILITY = 'observability',
}

/** How a platform construct registers itself in the topology. */
export interface TopologyComponentOptions {
  /** What it is: `gateway`, `service`, `cache`, `mongo`, `observability`, or a kind of your own. */
  readonly kind: string;
  /** Its name in DNS, logs and metrics. */
  readonly name: string;
  /**
   * Where the diagram draws it.
   *
   * @default from the kind: gateway → EDGE, cache and mongo → DATA, observability → OBSERVABILITY, others → SERVICES
   */
  readonly layer?: TopologyLayer;
  /**
   * Its network identity, so that `allowFrom(identity)` calls elsewhere are attributed to it.
   *
   * @default the construct itself, when it is a network peer
   */
  readonly networkIdentity?: INetworkPeer;
}

/** A platform construct in the topology. */
export interface TopologyComponent {
  /** What it is (`gateway`, `service`, …). */
  readonly kind: string;
  /** Its name. */
  readonly name: string;
  /** Its construct path (unique). */
  readonly path: string;
  /** Where the diagram draws it. */
  readonly layer: TopologyLayer;
}

/** A declared connection between two components (or from an outside peer). */
export interface TopologyConnection {
  /** Path of the component the traffic (or observation) comes from, or a description of an outside peer. */
  readonly from: string;
  /** Path of the component it goes to. */
  readonly to: string;
  /** `network` (allowFrom), `route` (a gateway route) or `observes` (the observability stack watching it). */
  readonly kind: string;
  /** What the diagram writes on the arrow (a protocol, a route's path). */
  readonly label: string;
}

const REGISTRY = Symbol.for('cdk-portable-platform.PlatformTopology');
const DEFAULT_LAYERS: Record<string, TopologyLayer> = {
  gateway: TopologyLayer.EDGE, cache: TopologyLayer.DATA, mongo: TopologyLayer.DATA, observability: TopologyLayer.OBSERVABILITY,
};

interface RecordedConnection {
  readonly to: string;
  readonly peer: INetworkPeer | IConstruct;
  /** The construct wiring connections when this one was recorded (see `_during`). */
  readonly actor?: string;
  readonly kind: string;
  readonly label: string;
}

/**
 * The platform constructs of one Stack (nested stacks included) or Chart, and the connections
 * declared between them: `allowFrom` calls, gateway routes, the observability stack watching. Every
 * platform construct records itself; a construct of your own appears by calling `addComponent`.
 * `renderMermaid()` draws it (after synthesis, when the observability stack has discovered its sources).
 */
export class PlatformTopology {
  /** The topology of the Stack or Chart containing `scope`, created on first use. */
  public static of(scope: IConstruct): PlatformTopology {
    const root = topologyRoot(scope);
    const existing = (root as any)[REGISTRY] as PlatformTopology | undefined;
    if (existing) return existing;
    const topology = new PlatformTopology(root.node.path, root);
    Object.defineProperty(root, REGISTRY, { value: topology, enumerable: false });
    return topology;
  }

  /** A Mermaid `graph LR` of `components` and `connections`, with a subgraph per layer. Pure. */
  public static toMermaid(components: TopologyComponent[], connections: TopologyConnection[]): string {
    return renderTopologyMermaid(components, connections);
  }

  private readonly componentsByPath = new Map<string, TopologyComponent>();
  private readonly owners = new Map<NetworkPeer, string>();
  private readonly recorded: RecordedConnection[] = [];
  private actor?: string;
  private readonly access: AccessLedger;

  private constructor(
    /** Path of the Stack or Chart. */
    public readonly rootPath: string,
    root: IConstruct,
  ) {
    this.access = new AccessLedger(root, this, (peer, actor) => this.resolve({ to: '', peer, actor, kind: 'metrics', label: '' }), this.owners);
  }

  /** Every registered component, in registration order. */
  public get components(): TopologyComponent[] {
    return [...this.componentsByPath.values()];
  }

  /** Every declared connection, with peers resolved to components where possible. */
  public get connections(): TopologyConnection[] {
    const unique = new Map<string, TopologyConnection>();
    for (const recorded of this.recorded) {
      const connection = { from: this.resolve(recorded), to: recorded.to, kind: recorded.kind, label: recorded.label };
      if (connection.from !== connection.to) unique.set(JSON.stringify(connection), connection);
    }
    return [...unique.values()];
  }

  /** Registers `construct` as a component of the platform. */
  public addComponent(construct: IConstruct, options: TopologyComponentOptions): void {
    this.componentsByPath.set(construct.node.path, {
      kind: options.kind,
      name: options.name,
      path: construct.node.path,
      layer: options.layer ?? DEFAULT_LAYERS[options.kind] ?? TopologyLayer.SERVICES,
    });
    const identity = options.networkIdentity ?? (isPeer(construct) ? construct : undefined);
    if (identity) this.owners.set(identity.networkIdentity, construct.node.path);
  }

  /** Records that `target` admits `peer` (what its `allowFrom(peer)` does); `label` names the protocol. */
  public addNetworkConnection(target: IConstruct, peer: INetworkPeer, label: string): void {
    this.recorded.push({ to: target.node.path, peer, actor: this.actor, kind: 'network', label });
  }

  /** Records that `target` admits `peer` to its metrics port alone (what its `allowFrom(peer, { purpose: AccessPurpose.METRICS })` does). Not drawn. */
  public addMetricsConnection(target: IConstruct, peer: INetworkPeer): void {
    this.access.metricsGrants.push({ to: target.node.path, peer, actor: this.actor });
  }

  /** Records that `gateway` routes `label` (e.g. a path prefix) to `target`. */
  public addRoute(gateway: IConstruct, target: IConstruct, label: string): void {
    this.recorded.push({ to: target.node.path, peer: gateway, kind: 'route', label });
  }

  /** Records that `observer` watches `observed` (scrapes its metrics, alerts on it). */
  public addObservation(observer: IConstruct, observed: IConstruct): void {
    this.recorded.push({ to: observed.node.path, peer: observer, kind: 'observes', label: 'metrics' });
  }

  /**
   * Records that the workloads of `owner` reach each other (replication between members, a router
   * to its shards, a load balancer to its targets): the drift check accepts traffic between the
   * workloads of one component only when the component recognised it this way.
   */
  public addInternalConnection(owner: IConstruct, label: string): void {
    this.access.internal.set(owner.node.path, label);
  }

  /**
   * Records that `source` sends its telemetry (OTLP traces, metrics, logs) to `collector`: the drift
   * check accepts `source` reaching `collector` (not on its metrics port). Not drawn: the diagram
   * shows the observation.
   */
  public addTelemetryConnection(collector: IConstruct, source: IConstruct): void {
    this.access.telemetry.add(`${source.node.path}\u0000${collector.node.path}`);
  }

  /** Records that anyone on the internet may reach `target` (a public entry point, e.g. a gateway's load balancer). */
  public addEntryPoint(target: IConstruct, label: string): void {
    this.access.entryPoints.set(target.node.path, label);
  }

  /**
   * The effective access matrix, computed from what is synthesized, not from declarations: on
   * Kubernetes the NetworkPolicies (the target's ingress and the source's egress, namespace default
   * deny, pod and namespace selectors, ipBlocks, ports) over the pod templates, each workload mapped
   * to the component owning it by its owner label; on AWS the security-group ingress and egress rules
   * (group references, address ranges, port ranges), each group mapped to the component holding it.
   * Call it after synthesis, when every construct has added its rules.
   */
  public accessMatrix(): AccessPath[] {
    return this.access.matrix();
  }

  /** The access matrix as a markdown table: who reaches whom on which port, and which rules allow it. */
  public renderAccessMarkdown(): string {
    return renderAccessTable(this.accessMatrix(), this.access.names(), this.rootPath);
  }

  /**
   * Asserts that `from` can reach `to` on no port: synthesis fails otherwise, naming the rule that
   * allows it (NetworkPolicy, or security-group rule logical id) and the port.
   */
  public denyAccess(from: IConstruct, to: IConstruct): void {
    this.access.assertions.push({ kind: 'deny', from: from.node.path, to: to.node.path });
  }

  /**
   * Asserts that no component but `allowed` (and `to`'s own workloads) can reach `to`: synthesis
   * fails otherwise, naming the rule that allows it and the port.
   */
  public allowAccessOnlyFrom(to: IConstruct, allowed: IConstruct[]): void {
    this.access.assertions.push({ kind: 'onlyFrom', to: to.node.path, allowed: allowed.map(a => a.node.path) });
  }

  /**
   * What the access check reports at synthesis; on Kubernetes over `manifests` instead of the Chart's
   * own objects when given (to check output changed by hand).
   *
   * @internal
   */
  public _accessProblems(manifests?: any[]): string[] {
    return this.access.problems(manifests);
  }

  /**
   * Runs `fn` before the access matrix is computed (a discovery adding rules at synthesis).
   *
   * @internal
   */
  public _beforeAccessEvaluation(fn: () => void): void {
    this.access.beforeEvaluation(fn);
  }

  /** The Mermaid diagram of this topology as it is now. */
  public renderMermaid(): string {
    return PlatformTopology.toMermaid(this.components, this.connections);
  }

  /**
   * Runs `wire` with `actor` as the source of connections whose peer is no registered component
   * (e.g. the observability stack admitting its scraper's pods).
   *
   * @internal
   */
  public _during(actor: IConstruct, wire: () => void): void {
    const previous = this.actor;
    this.actor = actor.node.path;
    try {
      wire();
    } finally {
      this.actor = previous;
    }
  }

  private resolve(c: RecordedConnection): string {
    if (Construct.isConstruct(c.peer)) return this.componentAt(c.peer.node.path) ?? c.peer.node.path;
    const identity = c.peer.networkIdentity;
    return this.owners.get(identity) ?? c.actor ?? describePeer(identity);
  }

  /** The registered component at `path` or above it. */
  private componentAt(path: string): string | undefined {
    for (let p = path; p; p = p.slice(0, Math.max(0, p.lastIndexOf('/')))) {
      if (this.componentsByPath.has(p)) return p;
    }
    return undefined;
  }
}

function isPeer(construct: IConstruct): construct is IConstruct & INetworkPeer {
  return (construct as Partial<INetworkPeer>).networkIdentity instanceof NetworkPeer;
}

/** An outside peer, as the diagram names it. */
function describePeer(peer: NetworkPeer): string {
  if (peer.cidr) return peer.cidr;
  if (peer.podLabels) return peer.podLabels['app.kubernetes.io/name'] ?? Object.entries(peer.podLabels).map(([k, v]) => `${k}=${v}`).join(',');
  return 'security group';
}

/** The top-level Stack (nested stacks share their parent's topology) or the Chart. */
function topologyRoot(scope: IConstruct): IConstruct {
  for (const node of scope.node.scopes.slice().reverse()) {
    if (Stack.isStack(node)) {
      let stack: Stack = node;
      while (stack.nestedStackParent) stack = stack.nestedStackParent;
      return stack;
    }
    if (Chart.isChart(node)) return node;
  }
  return scope.node.root;
}
