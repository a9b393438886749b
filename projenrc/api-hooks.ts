/**
 * Appends the "Extension hooks" section to API.md. jsii-docgen lists public members only, but the
 * protected hooks are the subclassing API: this renders them from the same jsii assembly.
 */
import * as fs from 'fs';

interface JsiiType { readonly fqn?: string; readonly primitive?: string; readonly collection?: { kind: string; elementtype: JsiiType } }
interface JsiiDocs { readonly summary?: string; readonly remarks?: string; readonly default?: string }
interface JsiiMethod {
  readonly name: string;
  readonly protected?: boolean;
  readonly docs?: JsiiDocs;
  readonly parameters?: ReadonlyArray<{ name: string; type: JsiiType; docs?: JsiiDocs }>;
  readonly returns?: { type: JsiiType };
}

function typeName(type: JsiiType | undefined): string {
  if (!type) return 'void';
  if (type.primitive) return type.primitive;
  if (type.collection) return `${type.collection.kind === 'array' ? '' : 'map of '}${typeName(type.collection.elementtype)}${type.collection.kind === 'array' ? '[]' : ''}`;
  return type.fqn?.split('.').pop() ?? 'any';
}

/** The markdown section for every class of `assembly` with protected methods, classes and methods sorted by name. */
export function renderExtensionHooks(assembly: { types: Record<string, { kind: string; name: string; methods?: JsiiMethod[] }> }): string {
  const lines = [
    '## Extension hooks <a name="extension-hooks" id="extension-hooks"></a>',
    '',
    'Protected members a subclass overrides (the tables above list public members only). The hooks run',
    'inside the base constructor, before a subclass\'s field initialisers: read your own settings from the',
    '`props` argument, which carries the effective props including your subclass\'s own fields.',
    '',
  ];
  const classes = Object.values(assembly.types)
    .filter(t => t.kind === 'class' && (t.methods ?? []).some(m => m.protected))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const cls of classes) {
    lines.push(`### ${cls.name} <a name="${cls.name}.hooks" id="${cls.name}.hooks"></a>`, '');
    for (const method of (cls.methods ?? []).filter(m => m.protected).sort((a, b) => a.name.localeCompare(b.name))) {
      const params = method.parameters ?? [];
      const shown = (name: string) => name.replace(/^_/, '');
      lines.push(`#### \`${method.name}\``, '');
      lines.push('```typescript', `protected ${method.name}(${params.map(p => `${shown(p.name)}: ${typeName(p.type)}`).join(', ')}): ${typeName(method.returns?.type)}`, '```', '');
      if (method.docs?.summary) lines.push(method.docs.summary, '');
      if (method.docs?.remarks) lines.push(method.docs.remarks, '');
      if (params.length > 0) {
        lines.push('| parameter | type | description |', '|---|---|---|');
        for (const p of params) lines.push(`| \`${shown(p.name)}\` | \`${typeName(p.type)}\` | ${(p.docs?.summary ?? '').replace(/\|/g, '\\|')} |`);
        lines.push('');
      }
    }
  }
  return lines.join('\n');
}

if (require.main === module) {
  const assembly = JSON.parse(fs.readFileSync('.jsii', 'utf8'));
  const api = fs.readFileSync('API.md', 'utf8').replace(/\n## Extension hooks [\s\S]*$/, '\n');
  fs.writeFileSync('API.md', `${api.trimEnd()}\n\n${renderExtensionHooks(assembly)}`);
}
