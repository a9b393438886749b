/**
 * The README's TypeScript snippets as programs, type-checked together against the library sources.
 *
 * Conventions (README "Development"):
 * - ```ts            a complete program: type-checked, then run; every App it creates is synthesized.
 * - ```ts continues  continues the nearest block above that is not itself a continuation: the two
 *                    are one program (each continuation with its base, so alternatives can share one).
 * - ```ts partial    a fragment of a larger program: type-checked only. It may use every export of
 *                    cdk-portable-platform and the names of PARTIAL_PRELUDE; anything else it declares.
 */
import * as path from 'path';
import * as ts from 'typescript';

export const ROOT = path.join(__dirname, '..', '..');
export const LIBRARY = 'cdk-portable-platform';

/** Modules the README imports relatively, as the user's own files: the examples hold them. */
export const LOCAL_MODULES: Record<string, string> = {
  './acme-service': path.join(ROOT, 'examples', 'service-cluster', 'acme-service.ts'),
};

/** What a partial fragment may use without declaring it, besides every export of the library. */
export const PARTIAL_PRELUDE: Record<string, string> = {
  Construct: 'constructs',
  App: 'aws-cdk-lib',
  Stack: 'aws-cdk-lib',
  Duration: 'aws-cdk-lib',
  Size: 'aws-cdk-lib',
  RemovalPolicy: 'aws-cdk-lib',
  Tags: 'aws-cdk-lib',
  Chart: 'cdk8s',
};
export const PARTIAL_NAMESPACES: Record<string, string> = {
  cdk8s: 'cdk8s',
  acm: 'aws-cdk-lib/aws-certificatemanager',
  ec2: 'aws-cdk-lib/aws-ec2',
  route53: 'aws-cdk-lib/aws-route53',
  cloudwatch: 'aws-cdk-lib/aws-cloudwatch',
};
/** The scopes a fragment builds on: `scope` is any construct, `app` an App of either target. */
export const PARTIAL_GIVEN: Record<string, string> = { scope: 'Construct', app: 'Construct', stack: 'Stack', chart: 'Chart' };

export type SnippetKind = 'complete' | 'continues' | 'partial';

export interface Snippet {
  readonly line: number;
  readonly kind: SnippetKind;
  readonly code: string;
}

/** Every ```ts block of a Markdown text, indented ones (in lists) included. */
export function extractSnippets(markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, lang, info] = open;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++;
    if (lang === 'ts' || lang === 'typescript') {
      const kind = info.trim() === '' ? 'complete' : info.trim();
      if (kind !== 'complete' && kind !== 'continues' && kind !== 'partial') {
        throw new Error(`README line ${i + 1}: unknown snippet kind "${info.trim()}" (use \`\`\`ts, \`\`\`ts continues or \`\`\`ts partial)`);
      }
      const body = lines.slice(i + 1, end).map(l => (l.startsWith(indent) ? l.slice(indent.length) : l)).join('\n');
      snippets.push({ line: i + 1, kind, code: body });
    }
    i = end;
  }
  return snippets;
}

export interface SnippetProgram {
  /** README lines of the blocks it is made of. */
  readonly lines: number[];
  readonly kind: 'complete' | 'partial';
  readonly code: string;
}

/** Groups snippets into programs: a continuation joins its base; a base without continuations stands alone. */
export function snippetPrograms(snippets: Snippet[]): SnippetProgram[] {
  const programs: SnippetProgram[] = [];
  const continued = new Set<Snippet>();
  let base: Snippet | undefined;
  for (const s of snippets) {
    if (s.kind === 'continues') {
      if (!base) throw new Error(`README line ${s.line}: \`\`\`ts continues has no complete block above it`);
      continued.add(base);
      programs.push({ lines: [base.line, s.line], kind: 'complete', code: `${base.code}\n${s.code}` });
    } else {
      if (s.kind === 'complete') base = s;
      programs.push({ lines: [s.line], kind: s.kind, code: s.code });
    }
  }
  return programs.filter(p => p.lines.length > 1 || !snippets.some(s => continued.has(s) && s.line === p.lines[0]));
}

export function fileName(program: SnippetProgram): string {
  return path.join(ROOT, 'test', 'readme', '__snippets__', `readme-${program.lines.join('-')}.ts`);
}

/** Type-checks every program in one TypeScript program; returns the diagnostics of the snippets, formatted. */
export function typeCheck(programs: SnippetProgram[]): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true,
    esModuleInterop: true,
    experimentalDecorators: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  };
  const libraryIndex = path.join(ROOT, 'src', 'index.ts');
  const baseHost = ts.createCompilerHost(options);
  // First the library alone, for its exports: a fragment may use them without importing them.
  const library = ts.createProgram([libraryIndex], options, baseHost);
  const checker = library.getTypeChecker();
  const libraryExports = checker.getExportsOfModule(checker.getSymbolAtLocation(library.getSourceFile(libraryIndex)!)!);
  const libraryNames = libraryExports.map(symbol => symbol.getName());

  const virtual = new Map<string, string>();
  for (const p of programs) {
    // `export {}` keeps each program's names its own; a fragment gets the prelude appended (imports are
    // hoisted, so its line numbers stay the README's).
    virtual.set(fileName(p), `${p.code}\nexport {};\n${p.kind === 'partial' ? partialPrelude(p.code, libraryNames) : ''}`);
  }
  const host: ts.CompilerHost = {
    ...baseHost,
    fileExists: f => virtual.has(f) || baseHost.fileExists(f),
    readFile: f => virtual.get(f) ?? baseHost.readFile(f),
    getSourceFile: (f, languageVersion, onError, shouldCreate) => {
      const text = virtual.get(f);
      return text !== undefined
        ? ts.createSourceFile(f, text, languageVersion, true)
        : baseHost.getSourceFile(f, languageVersion, onError, shouldCreate);
    },
    resolveModuleNameLiterals: (literals, containingFile, _redirect, compilerOptions) => literals.map(literal => {
      const name = literal.text;
      const local = name === LIBRARY ? libraryIndex : virtual.has(containingFile) ? LOCAL_MODULES[name] : undefined;
      if (local) return { resolvedModule: { resolvedFileName: local, extension: ts.Extension.Ts, isExternalLibraryImport: false } };
      return ts.resolveModuleName(name, containingFile, compilerOptions, baseHost);
    }),
  };
  const program = ts.createProgram([...virtual.keys()], options, host, library);
  const diagnostics = [...virtual.keys()].flatMap(f => ts.getPreEmitDiagnostics(program, program.getSourceFile(f)));
  return diagnostics.map(d => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const file = d.file ? path.basename(d.file.fileName) : '';
    return `${file}${where ? `:${where.line + 1}:${where.character + 1}` : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** Imports and declarations a fragment may rely on, except the names it declares itself. */
function partialPrelude(code: string, libraryNames: string[]): string {
  const declared = topLevelNames(code);
  const lines: string[] = [];
  const imports = new Map<string, string[]>();
  for (const [name, from] of [...Object.entries(PARTIAL_PRELUDE), ...libraryNames.map(n => [n, LIBRARY] as const)]) {
    if (!declared.has(name) && !(from === LIBRARY && name in PARTIAL_PRELUDE)) imports.set(from, [...imports.get(from) ?? [], name]);
  }
  for (const [from, names] of imports) lines.push(`import { ${names.join(', ')} } from '${from}';`);
  for (const [name, from] of Object.entries(PARTIAL_NAMESPACES)) if (!declared.has(name)) lines.push(`import * as ${name} from '${from}';`);
  for (const [name, type] of Object.entries(PARTIAL_GIVEN)) if (!declared.has(name)) lines.push(`declare const ${name}: ${type};`);
  return lines.join('\n');
}

/** Names a fragment imports or declares at its top level. */
function topLevelNames(code: string): Set<string> {
  const names = new Set<string>();
  const file = ts.createSourceFile('fragment.ts', code, ts.ScriptTarget.ES2022);
  const add = (name: ts.BindingName | undefined) => {
    if (name && ts.isIdentifier(name)) names.add(name.text);
  };
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause) {
      add(statement.importClause.name);
      const bindings = statement.importClause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name);
      if (bindings && ts.isNamedImports(bindings)) bindings.elements.forEach(e => add(e.name));
    } else if (ts.isVariableStatement(statement)) {
      statement.declarationList.declarations.forEach(d => add(d.name));
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement)
      || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
      add(statement.name);
    }
  }
  return names;
}

/** A complete program as CommonJS, to run. */
export function transpile(program: SnippetProgram): string {
  return ts.transpileModule(program.code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: fileName(program),
  }).outputText;
}
