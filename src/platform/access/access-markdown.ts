import { AccessPath } from './access-path';
import { portText } from './port-text';

/**
 * A markdown table of the access matrix: one row per source, destination and port, with the
 * workloads (paths relative to the Stack or Chart) and the rules that allow it; components by their
 * topology name. Pure.
 */
export function renderAccessTable(paths: readonly AccessPath[], names: ReadonlyMap<string, string>, rootPath: string): string {
  const name = (pathOrPeer: string) => names.get(pathOrPeer) ?? pathOrPeer;
  const relative = (workload: string) => (workload.startsWith(`${rootPath}/`) ? workload.slice(rootPath.length + 1) : workload);
  const rows = paths.map(p => ({
    from: name(p.from),
    to: name(p.to),
    port: portText(p),
    fromWorkload: relative(p.fromWorkload),
    toWorkload: relative(p.toWorkload),
    rules: p.rules,
  })).sort((a, b) => a.to.localeCompare(b.to) || a.from.localeCompare(b.from) || a.port.localeCompare(b.port, undefined, { numeric: true })
    || a.fromWorkload.localeCompare(b.fromWorkload) || a.toWorkload.localeCompare(b.toWorkload));
  const lines = ['| from | to | port | from workload → to workload | allowed by |', '|---|---|---|---|---|'];
  for (const r of rows) {
    lines.push(`| ${cell(r.from)} | ${cell(r.to)} | ${r.port} | ${cell(`${r.fromWorkload} → ${r.toWorkload}`)} | ${r.rules.map(cell).join('<br/>')} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Markdown table cells: a pipe would end the cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
