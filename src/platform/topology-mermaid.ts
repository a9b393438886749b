import type { TopologyComponent, TopologyConnection } from './topology';

/** Layers in drawing order, with their titles and Mermaid styles (the seeds' palette). */
const LAYERS: ReadonlyArray<{ layer: string; title: string; style: string }> = [
  { layer: 'edge', title: 'Edge', style: 'fill:#f3e5f5,stroke:#7b1fa2,stroke-width:2px' },
  { layer: 'services', title: 'Services', style: 'fill:#e8f5e8,stroke:#388e3c,stroke-width:2px' },
  { layer: 'data', title: 'Data', style: 'fill:#fff3e0,stroke:#f57c00,stroke-width:2px' },
  { layer: 'observability', title: 'Observability', style: 'fill:#e0f7fa,stroke:#00838f,stroke-width:2px' },
];
const CLIENTS_STYLE = 'fill:#e3f2fd,stroke:#1976d2,stroke-width:2px';
const EXTERNAL_STYLE = 'fill:#eeeeee,stroke:#616161,stroke-dasharray:4 2';
const KIND_TITLES: Record<string, string> = {
  gateway: 'Gateway',
  service: 'ServiceCluster',
  cache: 'CacheCluster',
  mongo: 'MongoShardedCluster',
  observability: 'ObservabilityStack',
  queue: 'MessageQueue',
  worker: 'QueueWorker',
};

/**
 * A Mermaid `graph LR` of the components, one subgraph per layer, clients entering through the edge
 * layer, solid arrows for routes and admitted traffic, dotted arrows for observation. A network
 * connection that repeats a route or an observation between the same pair is drawn once, as the
 * route or observation. Pure: the same input always gives the same text.
 */
export function renderTopologyMermaid(components: readonly TopologyComponent[], connections: readonly TopologyConnection[]): string {
  const ids = nodeIds(components);
  const externals = new Map<string, string>();
  const nodeOf = (pathOrPeer: string): string => ids.get(pathOrPeer) ?? externalId(externals, pathOrPeer);
  const lines = ['graph LR', '  clients(["Clients<br/>web, mobile, partners"])'];

  for (const { layer, title } of LAYERS) {
    const members = components.filter(c => c.layer === layer);
    if (members.length === 0) continue;
    lines.push(`  subgraph ${layer}["${title}"]`);
    lines.push(...members.map(c => `    ${ids.get(c.path)}["${escape(c.name)}<br/>${escape(KIND_TITLES[c.kind] ?? c.kind)}"]`));
    lines.push('  end');
  }

  // Clients, then routes, then admitted traffic, then observation: the order a reader follows a request.
  const arrows: string[] = components.filter(c => c.layer === 'edge').map(c => `  clients -->|HTTPS| ${ids.get(c.path)}`);
  const pair = (c: TopologyConnection) => `${c.from}\u0000${c.to}`;
  const covered = new Set(connections.filter(c => c.kind !== 'network').map(pair));
  const routes = new Map<string, string[]>();
  for (const c of connections.filter(r => r.kind === 'route')) routes.set(pair(c), [...routes.get(pair(c)) ?? [], c.label]);
  for (const [key, labels] of routes) {
    const [from, to] = key.split('\u0000');
    arrows.push(`  ${nodeOf(from)} -->|${labels.map(escape).join('<br/>')}| ${nodeOf(to)}`);
  }
  for (const c of connections.filter(n => n.kind === 'network' && !covered.has(pair(n)))) {
    arrows.push(`  ${nodeOf(c.from)} -->|${escape(c.label)}| ${nodeOf(c.to)}`);
  }
  for (const c of connections.filter(o => o.kind === 'observes')) {
    arrows.push(`  ${nodeOf(c.from)} -.->|${escape(c.label)}| ${nodeOf(c.to)}`);
  }

  lines.push(...[...externals].map(([peer, id]) => `  ${id}(["${escape(peer)}"])`));
  lines.push(...arrows);
  lines.push(...LAYERS.map(({ layer, style }) => `  classDef ${layer}Layer ${style}`));
  lines.push(`  classDef clientsLayer ${CLIENTS_STYLE}`, `  classDef externalLayer ${EXTERNAL_STYLE}`);
  lines.push('  class clients clientsLayer');
  for (const { layer } of LAYERS) {
    const members = components.filter(c => c.layer === layer).map(c => ids.get(c.path));
    if (members.length > 0) lines.push(`  class ${members.join(',')} ${layer}Layer`);
  }
  if (externals.size > 0) lines.push(`  class ${[...externals.values()].join(',')} externalLayer`);
  return `${lines.join('\n')}\n`;
}

/** Stable, unique Mermaid ids: `<kind>_<name>`, numbered on a clash. */
function nodeIds(components: readonly TopologyComponent[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const c of components) {
    const base = `${c.kind}_${c.name}`.replace(/[^A-Za-z0-9_]/g, '_');
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
    ids.set(c.path, id);
  }
  return ids;
}

function externalId(externals: Map<string, string>, peer: string): string {
  if (!externals.has(peer)) externals.set(peer, `external_${externals.size + 1}`);
  return externals.get(peer)!;
}

/** Mermaid labels: quotes and pipes would end the label. */
function escape(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/\|/g, '#124;');
}
