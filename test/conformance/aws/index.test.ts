import * as fs from 'fs';
import * as os from 'os';
import { Fn, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { testStack } from './fixtures';
import { AwsConformanceReport, awsConformanceProblems, checkAwsConformance, expectAwsConformance } from './index';
import { requireTool } from '../tools';

/** Passes every check: nag-clean (one acknowledged rule), lint-clean, and moto creates it. */
function compliantStack(): Stack {
  const stack = testStack('Compliant');
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const deadLetters = new sqs.Queue(stack, 'DeadLetters', { encryptionMasterKey: key, enforceSSL: true });
  new sqs.Queue(stack, 'Queue', {
    encryptionMasterKey: key,
    enforceSSL: true,
    deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 },
  });
  const bucket = new s3.Bucket(stack, 'Bucket', { encryptionKey: key });
  Validations.of(bucket).acknowledge(
    { id: 'AwsSolutions-S1', reason: 'Conformance fixture: access logs are not needed.' },
    { id: 'AwsSolutions-S10', reason: 'Conformance fixture: a BucketPolicy would be skipped by moto.' },
  );
  return stack;
}

/** Fails every check: nag (bucket), cfn-lint (bogus property), moto (missing export). */
function brokenStack(): Stack {
  const stack = testStack('Broken');
  new s3.Bucket(stack, 'Bucket');
  const queue = new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
  (queue.node.defaultChild as sqs.CfnQueue).addPropertyOverride('Bogus', true);
  (queue.node.defaultChild as sqs.CfnQueue).addPropertyOverride('QueueName', Fn.importValue('no-such-export'));
  return stack;
}

const tools = requireTool('cfn-lint', 'pip install cfn-lint') &&
  requireTool('python3 -c "import moto, boto3"', 'pip install "moto[cloudformation]" boto3');

(tools ? describe : describe.skip)('checkAwsConformance', () => {
  let report: AwsConformanceReport;
  let leftovers: string[];

  beforeAll(() => {
    const before = new Set(fs.readdirSync(os.tmpdir()));
    report = checkAwsConformance([compliantStack(), brokenStack()]); // one cfn-lint, one moto
    leftovers = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`aws-conformance-${process.pid}-`) && !before.has(f));
  });

  test('counts stacks, resources and acknowledged suppressions', () => {
    expect(report.stacks).toBe(2);
    expect(report.resources).toBeGreaterThan(5);
    expect(report.nagSuppressed).toBe(2); // two rules on the one Bucket resource
  });

  test('reports nag findings only for the broken stack', () => {
    expect(report.nagFindings.map((f) => f.ruleId).sort()).toEqual(
      ['AwsSolutions-S1', 'AwsSolutions-S10', 'AwsSolutions-SQS3']);
    expect(report.nagFindings.every((f) => f.path.startsWith('Broken/'))).toBe(true);
  });

  test('reports cfn-lint errors only for the broken template', () => {
    expect(report.cfnLintErrors).toEqual([expect.objectContaining({
      ruleId: 'E3002', file: expect.stringContaining('Broken'), path: expect.stringMatching(/Properties\/Bogus$/),
    })]);
  });

  test('creates the compliant stack in moto and reports the broken one', () => {
    expect(report.moto.map((m) => [m.stackName, m.status])).toEqual([
      ['Compliant-0', 'CREATE_COMPLETE'],
      ['Broken-1', 'CREATE_FAILED'],
    ]);
  });

  test('lists every problem once, and removes its temporary templates', () => {
    const problems = awsConformanceProblems(report);
    expect(problems).toHaveLength(3 + 1 + 1);
    expect(problems.join('\n')).toMatch(/moto: Broken-1 is CREATE_FAILED: .*no-such-export/);
    expect(leftovers).toEqual([]);
  });
});

describe('expectAwsConformance', () => {
  const nagOnly = { cfnLint: false, moto: false };

  test('throws one error listing every problem', () => {
    expect(() => expectAwsConformance([brokenStack()], nagOnly))
      .toThrow(/3 problem\(s\):\n {2}- cdk-nag error AwsSolutions-S1 at Broken\/Bucket\/Resource/);
  });

  test('returns the report when there is nothing to complain about', () => {
    expect(expectAwsConformance([compliantStack()], nagOnly)).toMatchObject({ stacks: 1, nagFindings: [], moto: [] });
  });
});

describe('checkAwsConformance with nested stacks', () => {
  test('publishes nested templates for moto, lints them, and counts their resources', () => {
    const stack = testStack('Parent');
    const nested = new NestedStack(stack, 'Child');
    const queue = new sqs.Queue(nested, 'Queue', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true });
    Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'A fixture queue: no dead-letter queue needed' });
    // A parent resource reading a nested output: moto must create the child first and resolve it.
    new ssm.StringParameter(stack, 'QueueUrl', { parameterName: '/fixture/queue-url', stringValue: queue.queueUrl });
    const report = expectAwsConformance([stack]);
    expect(report.nestedStacks).toBe(1);
    expect(report.moto.map(m => m.status)).toEqual(['CREATE_COMPLETE']);
    expect(report.resources).toBeGreaterThanOrEqual(4);
  });
});
