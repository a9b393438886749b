import { spawnSync } from 'child_process';

export interface CfnLintMatch {
  readonly ruleId: string;
  readonly file: string;
  /** JSON path inside the template, e.g. `Resources/Queue/Properties/Bogus`. */
  readonly path: string;
  readonly message: string;
}

export interface CfnLintResult {
  readonly errors: CfnLintMatch[];
  readonly warnings: CfnLintMatch[];
}

// cfn-lint's exit code is a bitmask of what it found: 2 errors, 4 warnings, 8 informational.
// Anything else (1, or above 14) means it crashed or was misused.
const FOUND_ERRORS = 2;
const MAX_FINDINGS_CODE = 2 + 4 + 8;
// eslint-disable-next-line no-bitwise -- the exit code is a bitmask
const hasBit = (code: number, bit: number) => (code & bit) !== 0;

/** Lints all templates with one cfn-lint process (start-up dominates its run time). */
export function cfnLint(templatePaths: string[]): CfnLintResult {
  if (templatePaths.length === 0) return { errors: [], warnings: [] };
  const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...templatePaths], {
    encoding: 'utf-8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
  });
  const code = run.status;
  if (run.error || code === null || hasBit(code, 1) || code > MAX_FINDINGS_CODE) {
    throw new Error(`cfn-lint failed (exit ${code}): ${run.error?.message ?? ''}${run.stderr}${run.stdout}`.trim());
  }

  let matches: any[];
  try {
    matches = JSON.parse(run.stdout || '[]');
  } catch {
    throw new Error(`cfn-lint printed no JSON (exit ${code}): ${run.stdout}${run.stderr}`);
  }
  const pick = (level: string) =>
    matches.filter((m) => m.Level === level).map((m): CfnLintMatch => ({
      ruleId: m.Rule?.Id ?? '?',
      file: m.Filename ?? '',
      path: (m.Location?.Path ?? []).join('/'),
      message: m.Message ?? '',
    }));
  const result = { errors: pick('Error'), warnings: pick('Warning') };

  // Cross-check the parsed levels with the exit code, so a format change cannot hide errors.
  if (hasBit(code, FOUND_ERRORS) !== result.errors.length > 0) {
    throw new Error(`cfn-lint exit code ${code} disagrees with its ${result.errors.length} reported errors`);
  }
  return result;
}
