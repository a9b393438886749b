import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sd from 'aws-cdk-lib/aws-servicediscovery';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { testStack } from './fixtures';
import { deployToMoto, MotoResult } from './moto';
import { requireTool } from '../tools';

const available = requireTool('python3 -c "import moto, boto3"', 'pip install "moto[cloudformation]" boto3');

function smallValidStack(): Stack {
  const stack = testStack('Small');
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.KMS, encryptionKey: key, enforceSSL: true });
  new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key });
  new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  return stack;
}

function missingExportStack(): Stack {
  const stack = testStack('MissingExport');
  new ssm.StringParameter(stack, 'Param', { parameterName: '/conformance/imported', stringValue: Fn.importValue('no-such-export') });
  return stack;
}

/** Valid for CloudFormation, but moto skips ServiceDiscovery, so the Fn::GetAtt fails. */
function unsupportedGetAttStack(): Stack {
  const stack = testStack('UnsupportedGetAtt');
  const ns = new sd.HttpNamespace(stack, 'Namespace', { name: 'conformance' });
  new ssm.StringParameter(stack, 'Param', { parameterName: '/conformance/namespace', stringValue: ns.namespaceArn });
  return stack;
}

/** Over CreateStack's 51,200-byte TemplateBody limit. (moto needs SSM parameter names; it generates none.) */
function largeStack(): Stack {
  const stack = testStack('Large');
  for (let i = 0; i < 30; i++) {
    new ssm.StringParameter(stack, `Param${i}`, { parameterName: `/conformance/large/${i}`, stringValue: 'x'.repeat(2000) });
  }
  return stack;
}

(available ? describe : describe.skip)('deployToMoto', () => {
  let dir: string;
  let small: MotoResult, missingExport: MotoResult, unsupported: MotoResult, large: MotoResult;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'moto-test-'));
    const files = [smallValidStack(), missingExportStack(), unsupportedGetAttStack(), largeStack()].map((stack) => {
      const file = path.join(dir, `${stack.stackName}.json`);
      fs.writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON()));
      return file;
    });
    expect(fs.statSync(files[3]).size).toBeGreaterThan(51_200);
    [small, missingExport, unsupported, large] = deployToMoto(files); // one python process for all
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('creates a small valid stack (KMS key, encrypted bucket and queue, VPC)', () => {
    expect(small).toMatchObject({ stackName: 'Small', status: 'CREATE_COMPLETE', statusReason: null });
    // enforceSSL adds a BucketPolicy, which moto skips (and says so).
    expect(small.unsupportedTypes).toEqual(['AWS::S3::BucketPolicy']);
    expect(small.warnings).toContain('No Moto CloudFormation support for AWS::S3::BucketPolicy');
    expect(small.resourcesCreated).toBe(small.resourcesInTemplate - 1);
    expect(small.resourcesCreated).toBeGreaterThan(15);
  });

  test('reports a stack that cannot be created, with the resource and the reason', () => {
    expect(missingExport.status).toBe('CREATE_FAILED');
    expect(missingExport.statusReason).toMatch(/Param.*AWS::SSM::Parameter.*no-such-export/);
  });

  test('lists resource types moto does not implement, and the Fn::GetAtt they break', () => {
    expect(unsupported).toMatchObject({
      status: 'CREATE_FAILED',
      unsupportedTypes: ['AWS::ServiceDiscovery::HttpNamespace'],
      statusReason: expect.stringContaining('Fn::GetAtt references undefined resource Namespace'),
    });
  });

  test('passes templates over 51,200 bytes by TemplateURL', () => {
    expect(large).toMatchObject({ templateSource: 'TemplateURL', status: 'CREATE_COMPLETE', resourcesCreated: 30 });
    expect(small.templateSource).toBe('TemplateBody');
  });
});
