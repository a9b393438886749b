import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { extractSnippets, LIBRARY, ROOT, SnippetProgram, snippetPrograms, transpile, typeCheck } from './snippets';
import * as acmeService from '../../examples/service-cluster/acme-service';
import * as library from '../../src';
import { expectAwsConformance } from '../conformance/aws';

// As every test (test/util.ts): skip the CloudFormation schema validation of each synth.
process.env.CDK_VALIDATION = process.env.CDK_VALIDATION ?? 'false';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const programs = snippetPrograms(extractSnippets(README));
const complete = programs.filter(p => p.kind === 'complete');

interface Run {
  readonly awsApps: cdk.App[];
  readonly kubernetesApps: cdk8s.App[];
}

/**
 * Runs a complete program as a user would, with no context and no AWS credentials. Every App it
 * creates writes to a temporary directory and is synthesized afterwards, whether it calls synth() or not.
 */
const outdirs: string[] = [];
afterAll(() => outdirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })));

function run(program: SnippetProgram): Run {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-snippet-'));
  outdirs.push(outdir);
  const awsApps: cdk.App[] = [];
  const kubernetesApps: cdk8s.App[] = [];
  class AwsApp extends cdk.App {
    constructor(props: cdk.AppProps = {}) {
      super({ ...props, outdir: path.join(outdir, `aws-${awsApps.length}`) });
      awsApps.push(this);
    }
  }
  class KubernetesApp extends cdk8s.App {
    constructor(props: cdk8s.AppProps = {}) {
      super({ ...props, outdir: path.join(outdir, `kubernetes-${kubernetesApps.length}`) });
      kubernetesApps.push(this);
    }
  }
  const modules: Record<string, unknown> = {
    [LIBRARY]: library,
    './acme-service': acmeService, // the README's organisation subclass is the example's (LOCAL_MODULES)
    'aws-cdk-lib': new Proxy(cdk, { get: (m, k) => (k === 'App' ? AwsApp : (m as any)[k]) }),
    'cdk8s': new Proxy(cdk8s, { get: (m, k) => (k === 'App' ? KubernetesApp : (m as any)[k]) }),
  };
  // Any other module a snippet imports (aws-cdk-lib/aws-*, constructs) is the installed one.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const snippetRequire = (name: string) => (name in modules ? modules[name] : require(name));
  const module = { exports: {} };
  new Function('exports', 'require', 'module', transpile(program))(module.exports, snippetRequire, module);
  for (const app of [...awsApps, ...kubernetesApps]) app.synth();
  return { awsApps, kubernetesApps };
}

const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE',
  'CDK_DEFAULT_ACCOUNT', 'CDK_DEFAULT_REGION', 'CDK_CONTEXT_JSON', 'CDK_OUTDIR'];
const saved: Record<string, string | undefined> = {};
beforeAll(() => {
  for (const name of CREDENTIAL_VARIABLES) {
    saved[name] = process.env[name];
    delete process.env[name];
  }
});
afterAll(() => {
  for (const name of CREDENTIAL_VARIABLES) if (saved[name] !== undefined) process.env[name] = saved[name];
});

describe('README snippets', () => {
  test('every ```ts block compiles against the library, in one TypeScript program', () => {
    expect(programs.length).toBeGreaterThan(10);
    expect(typeCheck(programs)).toEqual([]);
  });

  test.each(complete.map(p => [p.lines.join('+'), p] as const))(
    'the complete program at README line %s synthesizes on its target with nothing to look up', (_lines, program) => {
      const { awsApps, kubernetesApps } = run(program);
      if (awsApps.length + kubernetesApps.length === 0) {
        throw new Error(`README line ${program.lines.join('+')}: a complete program creates an App to synthesize; ` +
          'mark a fragment ```ts partial, or follow a definition with a ```ts continues block that uses it');
      }
      for (const app of awsApps) {
        const assembly = app.synth();
        expect(assembly.manifest.missing ?? []).toEqual([]);
        expect(assembly.stacks.length).toBeGreaterThan(0);
      }
    });

  test('the first AWS example synthesizes offline, as written, over three availability zones, and deploys', () => {
    const first = complete.find(p => /from 'aws-cdk-lib'/.test(p.code))!;
    expect(first.lines[0]).toBe(extractSnippets(README)[0].line);
    const { awsApps } = run(first);
    expect(awsApps).toHaveLength(1);
    const assembly = awsApps[0].synth();
    expect(assembly.manifest.missing ?? []).toEqual([]);
    const subnets = Object.values(assembly.stacks[0].template.Resources as Record<string, any>)
      .filter(r => r.Type === 'AWS::EC2::Subnet');
    const zones = new Set(subnets.map(s => JSON.stringify(s.Properties.AvailabilityZone)));
    expect(zones.size).toBe(3);
    // And what it synthesizes is deployable: cdk-nag, cfn-lint and a moto deployment.
    expectAwsConformance(awsApps[0].node.children.filter(cdk.Stack.isStack));
  });
});
