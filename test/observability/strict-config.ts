import * as fs from 'fs';
import * as path from 'path';
import { FieldSchema, LOG_COMPONENTS } from './fixtures/collector-log-components';

type LokiNode = string | { $ref?: string; $list?: string; [field: string]: unknown };
const LOKI = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'loki-3.1.0-configuration.json'), 'utf8')) as Record<string, Record<string, LokiNode>>;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Where a Loki configuration leaves the documented reference: unknown fields, or a value of the wrong kind. */
export function lokiConfigProblems(config: unknown): string[] {
  return walkLoki(config, LOKI.$root, '');
}

function walkLoki(value: unknown, node: LokiNode | Record<string, LokiNode>, at: string): string[] {
  if (typeof node === 'string') return lokiLeafProblems(value, node, at);
  if (typeof node.$ref === 'string') return walkLoki(value, LOKI[node.$ref], at);
  if (typeof node.$list === 'string') {
    return Array.isArray(value) ? value.flatMap((v, i) => walkLoki(v, LOKI[node.$list as string], `${at}[${i}]`)) : [`${at}: must be a list`];
  }
  if (!isObject(value)) return [`${at}: must be a mapping`];
  return Object.entries(value).flatMap(([key, v]) => key in node
    ? walkLoki(v, node[key] as LokiNode, at ? `${at}.${key}` : key)
    : [`${at ? `${at}.` : ''}${key}: not a field of the Loki 3.1 configuration`]);
}

function lokiLeafProblems(value: unknown, type: string, at: string): string[] {
  const list = /^<list of (\w+?)s>$/.exec(type);
  if (list && LOKI[list[1]]) return walkLoki(value, { $list: list[1] }, at);
  const expect = /<(int|float|float64|uint|int64)>/.test(type) ? 'number' : type === '<boolean>' ? 'boolean' : /^<(string|duration|daytime)>$/.test(type) ? 'string' : undefined;
  return expect === undefined || typeof value === expect ? [] : [`${at}: must be a ${expect} (documented as ${type})`];
}

/**
 * Where the log exporters and extensions of a collector configuration leave their components'
 * config structs, and which component types the fixture does not cover.
 */
export function collectorLogComponentProblems(config: any): { problems: string[]; uncovered: string[] } {
  const problems: string[] = [];
  const uncovered = new Set<string>();
  const logExporters: string[] = Object.values<any>(config.service.pipelines)
    .filter((_, i) => /^logs(\/|$)/.test(Object.keys(config.service.pipelines)[i])).flatMap(p => p.exporters);
  // The extensions the log exporters authenticate with.
  const authenticators = [...JSON.stringify(logExporters.map(id => config.exporters[id])).matchAll(/"authenticator":"([^"]+)"/g)].map(m => m[1]);
  const ids = [...logExporters.map(id => ['exporters', id]), ...authenticators.map(id => ['extensions', id])];
  for (const [kind, id] of ids) {
    const type = id.split('/')[0];
    const schema = LOG_COMPONENTS[type];
    if (!schema) { uncovered.add(type); continue; }
    problems.push(...walkFields(config[kind][id], schema, `${kind}.${id}`));
  }
  return { problems, uncovered: [...uncovered].sort() };
}

function walkFields(value: unknown, schema: FieldSchema, at: string): string[] {
  if (schema === 'scalar') return ['string', 'number', 'boolean'].includes(typeof value) ? [] : [`${at}: must be a scalar`];
  if (schema === 'list') return Array.isArray(value) && value.every(v => typeof v === 'string') ? [] : [`${at}: must be a list of strings`];
  if (schema === 'map') return isObject(value) && Object.values(value).every(v => typeof v === 'string') ? [] : [`${at}: must be a string map`];
  if (!isObject(value)) return [`${at}: must be a mapping`];
  return Object.entries(value).flatMap(([key, v]) => key in schema ? walkFields(v, schema[key], `${at}.${key}`) : [`${at}.${key}: not a field of this component`]);
}
