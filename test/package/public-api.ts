import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');
export const INDEX = path.join(ROOT, 'src', 'index.ts');
/** The deliberate public surface: one exported name per line, sorted. */
export const PUBLIC_API_LIST = path.join(__dirname, 'public-api.txt');
/** The command that prints the list as src/index.ts exports it now. */
export const REGENERATE = 'npx ts-node --transpile-only test/package/public-api.ts > test/package/public-api.txt';

/** One name src/index.ts exports. */
export interface ExportedName {
  readonly name: string;
  /** What the name declares: `class`, `interface`, `enum`, `function`, `variable`, `type`… */
  readonly kind: string;
  /** A declaration behind it is marked `@internal`. */
  readonly internal: boolean;
}

/**
 * The library's own sources, in one program. Only src/ is read (`noResolve`, every file a root):
 * listing names and declared types needs the export graph, not aws-cdk-lib's or cdk8s's types.
 */
export function sourceProgram(): ts.Program {
  const roots: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts') && !file.endsWith('.d.ts')) roots.push(file);
    }
  };
  walk(path.join(ROOT, 'src'));
  return ts.createProgram(roots, {
    noResolve: true,
    noLib: true,
    types: [],
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    target: ts.ScriptTarget.ES2022,
  });
}

/** The declarations behind each name src/index.ts exports, values and type-only names alike. */
export function exportedDeclarations(program: ts.Program = sourceProgram()): Map<string, ts.Declaration[]> {
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(INDEX);
  const moduleSymbol = index && checker.getSymbolAtLocation(index);
  if (!moduleSymbol) throw new Error(`cannot read the exports of ${INDEX}`);
  return new Map(checker.getExportsOfModule(moduleSymbol).map(symbol => {
    const target = (symbol.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(symbol) : symbol; // eslint-disable-line no-bitwise
    return [symbol.name, target.declarations ?? []];
  }));
}

/** Every name src/index.ts exports, sorted, with what it declares. */
export function exportedNames(program: ts.Program = sourceProgram()): ExportedName[] {
  return [...exportedDeclarations(program)].map(([name, declarations]) => ({
    name,
    kind: declarations.map(kindOf).join('+') || 'unknown',
    internal: declarations.some(d => ts.getJSDocTags(d).some(tag => tag.tagName.text === 'internal')),
  })).sort((a, b) => compareNames(a.name, b.name));
}

function kindOf(declaration: ts.Declaration): string {
  if (ts.isClassDeclaration(declaration)) return 'class';
  if (ts.isInterfaceDeclaration(declaration)) return 'interface';
  if (ts.isEnumDeclaration(declaration)) return 'enum';
  if (ts.isFunctionDeclaration(declaration)) return 'function';
  if (ts.isVariableDeclaration(declaration)) return 'variable';
  if (ts.isTypeAliasDeclaration(declaration)) return 'type';
  return ts.SyntaxKind[declaration.kind];
}

/** The list's order: code points, so the file reads the same whatever the locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The checked-in list, without blank lines and `#` comments. */
export function listedNames(): string[] {
  return fs.readFileSync(PUBLIC_API_LIST, 'utf8').split('\n').map(line => line.trim()).filter(line => line && !line.startsWith('#'));
}

/** Run directly: prints the list as src/index.ts exports it now (see REGENERATE). */
if (require.main === module) {
  const header = [
    '# The public API: every name src/index.ts exports, one per line, sorted (test/package/public-api.test.ts).',
    `# Add a name here in the change that exports it; regenerate with: ${REGENERATE}`,
  ];
  process.stdout.write([...header, ...exportedNames().map(e => e.name)].join('\n') + '\n');
}
