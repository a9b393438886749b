/**
 * One measurement in a fresh process: `measure.ts <ours|peer|validator> <aws|kubernetes> <N>`.
 * Prints a JSON line: synthesis wall time (construction + synth, after module loading), peak RSS and
 * output sizes. CDK_VALIDATION in the environment selects the built-in CloudFormation validator.
 * `validator kubernetes N` times the test suite's Kubernetes conformance harness over our N-service
 * manifests instead (synthesized and parsed before the clock starts, the schema loaded too).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { measureOutput, oursAws, oursKubernetes, peerAws, peerKubernetes } from './platforms';
import { checkKubernetesManifests } from '../test/conformance/kubernetes';

const [impl, target, count] = process.argv.slice(2);
const n = Number(count);
const builders: Record<string, (count: number, outdir: string) => unknown> = {
  'ours-aws': oursAws,
  'peer-aws': peerAws,
  'ours-kubernetes': oursKubernetes,
  'peer-kubernetes': peerKubernetes,
  'validator-kubernetes': validateOurs,
};

/** Returns the part to time: validating the manifests of N services, synthesized and parsed beforehand. */
function validateOurs(services: number, dir: string): () => void {
  oursKubernetes(services, dir);
  const manifests = fs.readdirSync(dir).filter(f => f.endsWith('.k8s.yaml'))
    .flatMap(f => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJS()).filter(o => o));
  checkKubernetesManifests(manifests.slice(0, 1)); // loads the schema
  return () => {
    const report = checkKubernetesManifests(manifests);
    if (report.findings.length > 0) throw new Error(`${report.findings.length} conformance findings`);
  };
}
const build = builders[`${impl}-${target}`];
if (!build || !Number.isInteger(n) || n < 1) throw new Error(`usage: measure.ts <ours|peer|validator> <aws|kubernetes> <N> (got ${process.argv.slice(2).join(' ')})`);

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${impl}-${target}-${n}-`));
try {
  const timed: () => unknown = impl === 'validator' ? validateOurs(n, outdir) as () => void : () => build(n, outdir);
  const start = process.hrtime.bigint();
  let error: string | undefined;
  try {
    timed();
  } catch (e) {
    error = (e as Error).message.split('\n')[0];
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const output = error ? undefined : measureOutput(outdir);
  console.log(JSON.stringify({ impl, target, n, ms, peakRssMiB: process.resourceUsage().maxRSS / 1024, validation: process.env.CDK_VALIDATION !== 'false', error, output }));
} finally {
  fs.rmSync(outdir, { recursive: true, force: true });
}
