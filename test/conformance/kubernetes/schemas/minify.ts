/**
 * Regenerates kubernetes-1.27-definitions.json from the upstream swagger definitions:
 *
 *   npx ts-node --transpile-only test/conformance/kubernetes/schemas/minify.ts <kubernetes-v1.27.0-definitions.json>
 *
 * Drops `description` (prose, ~70% of the bytes) from schema nodes only: keys inside a
 * `properties` map are field NAMES (PriorityClass and JSONSchemaProps have a field called
 * "description") and must survive.
 */
import * as fs from 'fs';
import * as path from 'path';

export function stripDescriptions(node: any): any {
  if (Array.isArray(node)) return node.map(stripDescriptions);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, any> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description') continue;
    if (key === 'properties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value as object).map(([name, schema]) => [name, stripDescriptions(schema)]));
    } else if (key === 'items' || key === 'additionalProperties' || key === 'oneOf') {
      out[key] = stripDescriptions(value);
    } else {
      out[key] = value; // enums, required lists, x-kubernetes-* extensions: copied verbatim
    }
  }
  return out;
}

if (require.main === module) {
  const source = process.argv[2];
  if (!source) throw new Error('usage: minify.ts <kubernetes-definitions.json>');
  const target = path.join(__dirname, 'kubernetes-1.27-definitions.json');
  fs.writeFileSync(target, JSON.stringify(stripDescriptions(JSON.parse(fs.readFileSync(source, 'utf8')))));
  console.log(`wrote ${target}`);
}
