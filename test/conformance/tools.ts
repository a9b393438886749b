import { spawnSync } from 'child_process';

const probed = new Map<string, boolean>();

/**
 * Whether an external conformance tool can run here.
 *
 * `command` is either a bare executable name (probed with `--version`) or a
 * full probe command line run through the shell, e.g.
 * `python3 -c "import moto"`. Locally a missing tool only warns and returns
 * false so the caller can skip that check; on CI (`process.env.CI` set) it
 * throws, because there no conformance check may be skipped silently.
 */
export function requireTool(command: string, installHint: string): boolean {
  let ok = probed.get(command);
  if (ok === undefined) {
    const probe = /\s/.test(command.trim()) ? command : `${command} --version`;
    ok = spawnSync(probe, { shell: true, stdio: 'ignore', timeout: 60_000 }).status === 0;
    probed.set(command, ok);
  }
  if (ok) return true;

  const message = `conformance tool not available: \`${command}\` (install: ${installHint})`;
  if (process.env.CI) {
    throw new Error(`${message}; on CI every conformance check must run`);
  }
  console.warn(`${message}; skipping the checks that need it`);
  return false;
}
