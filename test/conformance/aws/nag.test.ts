import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { testStack } from './fixtures';
import { nagFindings, nagSuppressions, synthWithSuppressions } from './nag';

const ids = (stack: Parameters<typeof nagFindings>[0]) => nagFindings(stack).map((f) => `${f.ruleId} ${f.path}`);

describe('nagFindings', () => {
  test('reports an unencrypted queue and an unhardened bucket', () => {
    const stack = testStack('Insecure');
    new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    new s3.Bucket(stack, 'Bucket');

    const findings = nagFindings(stack);

    expect(findings).toContainEqual(expect.objectContaining({
      ruleId: 'AwsSolutions-SQS2', level: 'error', path: 'Insecure/Queue/Resource',
    }));
    // AwsSolutions has no S3 encryption rule (S3 encrypts by default); it wants logs and TLS.
    expect(ids(stack)).toEqual(expect.arrayContaining([
      'AwsSolutions-S1 Insecure/Bucket/Resource',
      'AwsSolutions-S10 Insecure/Bucket/Resource',
    ]));
    expect(findings.every((f) => f.message.length > 0)).toBe(true);
  });

  test('honours an acknowledgment with a reason and writes it into the template', () => {
    const stack = testStack('Acknowledged');
    const bucket = new s3.Bucket(stack, 'Bucket', { enforceSSL: true });
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'Access logs are not needed for test fixtures.' });

    expect(nagFindings(stack)).toEqual([]);
    // Bucket and its BucketPolicy both sit under the acknowledged construct.
    expect(nagSuppressions(synthWithSuppressions(stack))).toEqual([
      expect.objectContaining({ ruleId: 'AwsSolutions-S1', reason: 'Access logs are not needed for test fixtures.' }),
      expect.objectContaining({ ruleId: 'AwsSolutions-S1' }),
    ]);
  });

  test('treats an acknowledgment without a real reason as a finding', () => {
    const stack = testStack('LazyReason');
    const bucket = new s3.Bucket(stack, 'Bucket', { enforceSSL: true });
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'n/a' });

    expect(nagFindings(stack)).toEqual([expect.objectContaining({
      ruleId: 'AwsSolutions-S1', level: 'error', path: 'LazyReason/Bucket',
    })]);
  });

  test('works after the test already synthesized the stack', () => {
    const stack = testStack('Synthesized');
    const bucket = new s3.Bucket(stack, 'Bucket', { enforceSSL: true });
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'Access logs are not needed for test fixtures.' });
    Template.fromStack(stack).resourceCountIs('AWS::S3::Bucket', 1);

    expect(nagFindings(stack)).toEqual([]);
    expect(nagFindings(stack)).toEqual([]); // and again
    const template = Template.fromStack(stack).toJSON();
    expect(nagSuppressions(template)).toHaveLength(2);
  });
});
