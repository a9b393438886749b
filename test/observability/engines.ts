import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { requireTool } from '../conformance/tools';

/** Whether promtool runs here (skips locally without it, fails on CI). */
export const hasPromtool = () => requireTool('promtool', 'apt-get install prometheus');
/** Whether amtool runs here (skips locally without it, fails on CI). */
export const hasAmtool = () => requireTool('amtool', 'apt-get install prometheus-alertmanager');

export interface ToolRun {
  readonly status: number | null;
  readonly output: string;
}

/** Runs an engine CLI and returns its exit status and combined output. */
export function run(command: string, args: readonly string[], cwd?: string): ToolRun {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}` };
}

/** Writes `files` (relative name → content) into a fresh temp directory, runs `body`, then removes it. */
export function withFiles<T>(files: Record<string, string>, body: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'observability-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
    return body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A rule file that records each expression: `promtool check rules` on it parses every one. */
export function expressionsAsRules(expressions: readonly string[]): unknown {
  return { groups: [{ name: 'parse', rules: expressions.map((expr, i) => ({ record: `parse:expression:${i}`, expr })) }] };
}
