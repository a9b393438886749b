/**
 * One measurement in a fresh process: `measure.ts <ours|peer> <aws|kubernetes> <N>`.
 * Prints a JSON line: synthesis wall time (construction + synth, after module loading), peak RSS and
 * output sizes. CDK_VALIDATION in the environment selects the built-in CloudFormation validator.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { measureOutput, oursAws, oursKubernetes, peerAws, peerKubernetes } from './platforms';

const [impl, target, count] = process.argv.slice(2);
const n = Number(count);
const builders: Record<string, (count: number, outdir: string) => unknown> = {
  'ours-aws': oursAws, 'peer-aws': peerAws, 'ours-kubernetes': oursKubernetes, 'peer-kubernetes': peerKubernetes,
};
const build = builders[`${impl}-${target}`];
if (!build || !Number.isInteger(n) || n < 1) throw new Error(`usage: measure.ts <ours|peer> <aws|kubernetes> <N> (got ${process.argv.slice(2).join(' ')})`);

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${impl}-${target}-${n}-`));
try {
  const start = process.hrtime.bigint();
  let error: string | undefined;
  try {
    build(n, outdir);
  } catch (e) {
    error = (e as Error).message.split('\n')[0];
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const output = error ? undefined : measureOutput(outdir);
  console.log(JSON.stringify({ impl, target, n, ms, peakRssMiB: process.resourceUsage().maxRSS / 1024, validation: process.env.CDK_VALIDATION !== 'false', error, output }));
} finally {
  fs.rmSync(outdir, { recursive: true, force: true });
}
