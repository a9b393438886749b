import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import { cfnLint, CfnLintMatch } from './cfn-lint';
import { TaskDefinitionSize, taskDefinitionSizeProblems, taskDefinitionSizes } from './ecs-limits';
import { deployToMoto, MotoResult, PublishedAsset } from './moto';
import { NagFinding, nagFindings, nagSuppressions, synthWithSuppressions } from './nag';
import { requireTool } from '../tools';

export { cfnLint } from './cfn-lint';
export type { CfnLintMatch, CfnLintResult } from './cfn-lint';
export { deployToMoto } from './moto';
export * from './ecs-limits';
export type { MotoResult } from './moto';
export { nagFindings, nagSuppressions } from './nag';
export type { NagFinding, NagSuppression } from './nag';
export { requireTool } from '../tools';

/** The account and region moto deploys into; give test stacks this env. */
export const CONFORMANCE_ENV = { account: '123456789012', region: 'us-east-1' } as const;

/**
 * App context with real AZ names for CONFORMANCE_ENV. Without it a VPC in a
 * stack with an explicit env gets CDK's placeholder AZs ('dummy1a'), which
 * moto rejects and cfn-lint warns about.
 */
export const CONFORMANCE_CONTEXT = {
  'availability-zones:account=123456789012:region=us-east-1': ['us-east-1a', 'us-east-1b', 'us-east-1c'],
};

export interface AwsConformanceOptions {
  /** Run the cdk-nag AwsSolutions pack. @default true */
  readonly nag?: boolean;
  /** Lint the synthesized templates with cfn-lint. @default true */
  readonly cfnLint?: boolean;
  /** Create every stack in moto. @default true */
  readonly moto?: boolean;
}

export interface AwsConformanceReport {
  readonly stacks: number;
  /** Nested stack templates, linted and published for moto with their parents. */
  readonly nestedStacks: number;
  /** Resources across all synthesized templates, nested ones included. */
  readonly resources: number;
  readonly nagFindings: NagFinding[];
  /** `cdk_nag` suppressions in the templates, counted once per resource they apply to. */
  readonly nagSuppressed: number;
  readonly cfnLintErrors: CfnLintMatch[];
  readonly cfnLintWarnings: CfnLintMatch[];
  readonly moto: MotoResult[];
  /** Every ECS task definition's size, nested stacks included. */
  readonly taskDefinitions: TaskDefinitionSize[];
}

/**
 * Runs cdk-nag, cfn-lint and moto over `stacks` (top-level stacks of any
 * App/Stage) and reports what they found. A missing external tool skips its
 * check locally and throws on CI (see requireTool).
 */
export function checkAwsConformance(stacks: Stack[], options: AwsConformanceOptions = {}): AwsConformanceReport {
  const findings: NagFinding[] = [];
  const templates = stacks.map((stack) => {
    // Both synthesize (forced) with acknowledgments written into the template.
    if (options.nag ?? true) findings.push(...nagFindings(stack));
    else synthWithSuppressions(stack);
    return { stack, template: cachedTemplate(stack) };
  });
  const nested = stacks.flatMap(nestedTemplates);
  // An acknowledgment above several stacks (e.g. on the App) is reported by each of them.
  const uniqueFindings = [...new Map(findings.map((f) => [JSON.stringify(f), f])).values()];

  // Acknowledgments without a proper reason are already nag findings (see nagFindings).
  const suppressed = templates.reduce((n, { template }) => n + nagSuppressions(template).length, 0);

  const runLint = (options.cfnLint ?? true) && requireTool('cfn-lint', 'pip install cfn-lint');
  const runMoto = (options.moto ?? true) &&
    requireTool('python3 -c "import moto, boto3"', 'pip install "moto[cloudformation]" boto3');

  // The pid keeps parallel jest workers' directories apart (and lets a test find only its own).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `aws-conformance-${process.pid}-`));
  try {
    const files = templates.map(({ stack, template }, i) => {
      const file = path.join(dir, `${stack.artifactId.replace(/[^A-Za-z0-9-]/g, '-')}-${i}.json`);
      fs.writeFileSync(file, JSON.stringify(template, undefined, 1));
      return file;
    });
    const lint = runLint ? cfnLint([...files, ...nested.map(n => n.file)]) : { errors: [], warnings: [] };
    const nestedTemplateList = nested.map(({ file }) => ({ name: path.basename(file), template: JSON.parse(fs.readFileSync(file, 'utf8')) }));
    const nestedResources = nestedTemplateList.reduce((n, { template }) => n + Object.keys(template.Resources ?? {}).length, 0);
    return {
      stacks: stacks.length,
      nestedStacks: nested.length,
      resources: nestedResources + templates.reduce((n, { template }) => n + Object.keys(template.Resources ?? {}).length, 0),
      nagFindings: uniqueFindings,
      nagSuppressed: suppressed,
      cfnLintErrors: lint.errors,
      cfnLintWarnings: lint.warnings,
      moto: runMoto ? deployToMoto(files, nested) : [],
      taskDefinitions: taskDefinitionSizes([
        ...templates.map(({ stack, template }) => ({ name: stack.artifactId, template })),
        ...nestedTemplateList,
      ]),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Nested stack templates of `stack`, with the S3 location its parent's TemplateURL points at
 * (from the stack's asset manifest), as `cdk deploy` would publish them.
 */
function nestedTemplates(stack: Stack): PublishedAsset[] {
  const assembly = (Stage.of(stack) as Stage).synth();
  const manifestFile = path.join(assembly.directory, `${stack.artifactId}.assets.json`);
  if (!fs.existsSync(manifestFile)) return [];
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const placeholders = (text: string) => text
    .replace(/\$\{AWS::AccountId\}/g, CONFORMANCE_ENV.account)
    .replace(/\$\{AWS::Region\}/g, CONFORMANCE_ENV.region)
    .replace(/\$\{AWS::Partition\}/g, 'aws');
  return Object.values<any>(manifest.files ?? {})
    .filter(asset => String(asset.source?.path).endsWith('.nested.template.json'))
    .flatMap(asset => Object.values<any>(asset.destinations).map(destination => ({
      bucket: placeholders(destination.bucketName),
      key: placeholders(destination.objectKey),
      file: path.join(assembly.directory, asset.source.path),
    })));
}

/** The template from the stage's latest synthesis (no re-synthesis). */
function cachedTemplate(stack: Stack): any {
  return (Stage.of(stack) as Stage).synth().getStackArtifact(stack.artifactId).template;
}

/** Like {@link checkAwsConformance}, but throws one Error listing every problem (see awsConformanceProblems). */
export function expectAwsConformance(stacks: Stack[], options?: AwsConformanceOptions): AwsConformanceReport {
  const report = checkAwsConformance(stacks, options);
  const problems = awsConformanceProblems(report);
  if (problems.length > 0) {
    throw new Error(`AWS conformance failed with ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
  }
  return report;
}

/** Every nag finding, every cfn-lint error, every stack moto did not create and every task definition ECS would refuse; warnings are not problems. */
export function awsConformanceProblems(report: AwsConformanceReport): string[] {
  return [
    ...taskDefinitionSizeProblems(report.taskDefinitions ?? []),
    ...report.nagFindings.map((f) => `cdk-nag ${f.level} ${f.ruleId} at ${f.path}: ${f.message}`),
    ...report.cfnLintErrors.map((e) => `cfn-lint ${e.ruleId} in ${path.basename(e.file)} at ${e.path}: ${e.message}`),
    ...report.moto.filter((m) => m.status !== 'CREATE_COMPLETE').map((m) =>
      `moto: ${m.stackName} is ${m.status}: ${m.statusReason ?? 'no reason given'}` +
      (m.unsupportedTypes.length ? ` (moto skips ${m.unsupportedTypes.join(', ')})` : '') +
      (m.emulatedTypes.length ? ` (stand-ins for ${m.emulatedTypes.join(', ')})` : '')),
  ];
}
