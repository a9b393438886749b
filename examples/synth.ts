/**
 * Synthesizes examples to synth-output/<example>/aws/*.template.json and
 * synth-output/<example>/kubernetes/*.k8s.yaml.
 *
 *   ts-node examples/synth.ts [example…] [--target aws|kubernetes]
 *
 * Under the cdk CLI (`cdk synth|deploy --app "…examples/synth.ts <example> --target aws"`) the AWS
 * assembly goes where the CLI asks (CDK_OUTDIR).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { Example, EXAMPLES } from './examples';

const PLACEHOLDER_ACCOUNT = '123456789012';

/** Synthesizes one example to AWS; returns the assembly directory. */
export function synthAws(example: Example, outdir: string, diagrams: string[] = [], access: string[] = []): string {
  const account = process.env.CDK_DEFAULT_ACCOUNT ?? PLACEHOLDER_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION ?? 'us-east-1';
  const app = new cdk.App({
    outdir: process.env.CDK_OUTDIR ?? outdir,
    // Without credentials there is nothing to look zones up in: assume the region's first three.
    context: account === PLACEHOLDER_ACCOUNT
      ? { [`availability-zones:account=${account}:region=${region}`]: ['a', 'b', 'c'].map(z => `${region}${z}`) }
      : {},
  });
  const stack = new cdk.Stack(app, stackName(example.name), { env: { account, region } });
  example.define(stack);
  const directory = app.synth().directory;
  if (example.diagram) diagrams.push(example.diagram(stack));
  if (example.access) access.push(example.access(stack));
  return directory;
}

/** Synthesizes one example to Kubernetes; returns the output directory. */
export function synthKubernetes(example: Example, outdir: string, diagrams: string[] = [], access: string[] = [], secrets: string[] = []): string {
  const app = new cdk8s.App({ outdir, outputFileExtension: '.k8s.yaml', yamlOutputType: cdk8s.YamlOutputType.FILE_PER_CHART });
  const chart = new cdk8s.Chart(app, example.name, { namespace: example.name });
  example.define(chart);
  app.synth();
  if (example.diagram) diagrams.push(example.diagram(chart));
  if (example.access) access.push(example.access(chart));
  if (example.secrets) secrets.push(example.secrets(chart));
  return outdir;
}

function stackName(example: string): string {
  return example.split('-').map(w => w[0].toUpperCase() + w.slice(1)).join('');
}

function main(argv: string[]): void {
  const targetIndex = argv.indexOf('--target');
  const target = targetIndex >= 0 ? argv[targetIndex + 1] : undefined;
  const names = argv.filter((a, i) => !a.startsWith('--') && (targetIndex < 0 || i !== targetIndex + 1));
  const unknown = names.filter(n => !EXAMPLES.some(e => e.name === n));
  if (unknown.length > 0 || (target && !['aws', 'kubernetes'].includes(target))) {
    throw new Error(`usage: synth.ts [${EXAMPLES.map(e => e.name).join('|')}…] [--target aws|kubernetes] (got ${argv.join(' ')})`);
  }
  const root = path.join(__dirname, '..', 'synth-output');
  for (const example of EXAMPLES.filter(e => names.length === 0 || names.includes(e.name))) {
    const diagrams: string[] = [];
    const access: string[] = [];
    const secrets: string[] = [];
    if (target !== 'kubernetes') console.error(`${example.name}: aws → ${path.relative(process.cwd(), synthAws(example, path.join(root, example.name, 'aws'), diagrams, access))}`);
    if (target !== 'aws') {
      const outdir = synthKubernetes(example, path.join(root, example.name, 'kubernetes'), diagrams, access, secrets);
      console.error(`${example.name}: kubernetes → ${path.relative(process.cwd(), outdir)}`);
    }
    if (diagrams.length > 0) {
      const file = path.join(root, example.name, 'architecture.md');
      fs.writeFileSync(file, `# ${example.name}: architecture\n\n${diagrams.join('\n')}`);
      console.error(`${example.name}: diagram → ${path.relative(process.cwd(), file)}`);
    }
    if (access.length > 0) {
      // Beside architecture.md: what is reachable, computed from the output, and the rules that allow it.
      const file = path.join(root, example.name, 'access.md');
      fs.writeFileSync(file, `# ${example.name}: effective access\n\n${access.join('\n')}`);
      console.error(`${example.name}: access matrix → ${path.relative(process.cwd(), file)}`);
    }
    if (secrets.length > 0) {
      const file = path.join(root, example.name, 'secrets.md');
      fs.writeFileSync(file, secrets.join('\n'));
      console.error(`${example.name}: manual Secrets → ${path.relative(process.cwd(), file)}`);
    }
  }
}

if (require.main === module) main(process.argv.slice(2));
