import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** The files `npm pack` would put in the tarball (nothing is written). */
function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  return (JSON.parse(out)[0].files as Array<{ path: string }>).map(f => f.path);
}

/** What users need: the compiled library, its jsii assembly, the docs and the licence. */
const FOR_USERS = ['package.json', 'README.md', 'LICENSE', 'API.md', '.jsii'];
function isForUsers(file: string): boolean {
  return FOR_USERS.includes(file) || /^lib\/.*(\.js|\.d\.ts)$/.test(file);
}

describe('npm package', () => {
  const files = packedFiles();

  test('ships only what users need: no examples, bench, docs, .ci, tests, sources or build configuration', () => {
    expect(files.filter(f => !isForUsers(f))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'API.md']));
  });

  // lib/ and .jsii exist once compiled (`npx projen compile`, as .ci/run does before npm test).
  const compiled = fs.existsSync(path.join(ROOT, 'lib', 'index.js'));
  (compiled ? test : test.skip)('ships the compiled library and its jsii assembly', () => {
    expect(files).toEqual(expect.arrayContaining(['.jsii', 'lib/index.js', 'lib/index.d.ts']));
  });
});
