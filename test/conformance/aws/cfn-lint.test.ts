import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { cfnLint, CfnLintResult } from './cfn-lint';
import { testStack } from './fixtures';
import { requireTool } from '../tools';

const available = requireTool('cfn-lint', 'pip install cfn-lint');

(available ? describe : describe.skip)('cfnLint', () => {
  let dir: string;
  let valid: string;
  let invalid: string;
  let result: CfnLintResult;

  const write = (stack: Stack) => {
    const file = path.join(dir, `${stack.stackName}.json`);
    fs.writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON()));
    return file;
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-test-'));
    valid = write((() => {
      const stack = testStack('Valid');
      new sqs.Queue(stack, 'Queue');
      return stack;
    })());
    invalid = write((() => {
      const stack = testStack('Invalid');
      const queue = new sqs.Queue(stack, 'Queue');
      (queue.node.defaultChild as sqs.CfnQueue).addPropertyOverride('VisibilityTimeoutSeconds', 30);
      return stack;
    })());
    result = cfnLint([valid, invalid]); // one process for both
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('reports an invalid property as an error with rule, file and path', () => {
    expect(result.errors).toEqual([expect.objectContaining({
      ruleId: 'E3002',
      file: invalid,
      path: expect.stringMatching(/^Resources\/Queue[0-9A-F]+\/Properties\/VisibilityTimeoutSeconds$/),
      message: expect.stringContaining('VisibilityTimeoutSeconds'),
    })]);
  });

  test('passes a valid template', () => {
    expect([...result.errors, ...result.warnings].filter((m) => m.file === valid)).toEqual([]);
  });

  test('returns nothing for no templates without starting cfn-lint', () => {
    expect(cfnLint([])).toEqual({ errors: [], warnings: [] });
  });
});
