import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Stack, Tags, TagManager } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { defineReferencePlatform } from '../../examples/reference-platform';
import { documentDbShardingScript, scriptPrelude, shardingStatements } from '../../src/mongo-sharded-cluster/mongo-sharding';
import { MongoShardKey } from '../../src/mongo-sharded-cluster/shard-key';
import { TYPES_KEPT_UNTAGGED } from '../../src/platform/stable-tags';
import { expectAwsConformance } from '../conformance/aws';
import { awsStack, TEST_ENV } from '../util';

// CI runs this suite twice: on the lowest versions of our peer ranges (the devDependencies) and on
// the newest that npm resolves for them. These tests guard what differs between the two.
const CDK_VERSION: string = JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')).version;

function allResources(stack: Stack): CfnResource[] {
  return stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c));
}

describe(`on aws-cdk-lib ${CDK_VERSION}`, () => {
  test('Tags.of a platform stack gives a cfn-lint-clean template and tags every other taggable resource', () => {
    const stack = awsStack('Shop');
    defineReferencePlatform(stack, {});
    Tags.of(stack).add('team', 'payments');

    const report = expectAwsConformance([stack], { nag: false, moto: false });
    expect(report.cfnLintErrors).toEqual([]);

    const resources = allResources(stack);
    const kept = resources.filter(r => TYPES_KEPT_UNTAGGED.includes(r.cfnResourceType));
    expect(kept.length).toBeGreaterThan(0);
    for (const resource of kept) {
      expect(templateOf(resource).Resources[Stack.of(resource).resolve(resource.logicalId)].Properties.Tags).toBeUndefined();
    }
    const tagged = resources.filter(r => !TYPES_KEPT_UNTAGGED.includes(r.cfnResourceType) && TagManager.of(r) !== undefined);
    expect(tagged.length).toBeGreaterThan(50);
    for (const resource of tagged) {
      expect(TagManager.of(resource)!.tagValues()).toMatchObject({ team: 'payments' });
    }
  });

  test("a user's own resource of those types beside the platform keeps the tags it is given", () => {
    const stack = awsStack('Shop');
    defineReferencePlatform(stack, {});
    const own = new elbv2.CfnListener(stack, 'OwnListener', {
      loadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/own/0123456789abcdef',
      port: 8080,
      protocol: 'HTTP',
      defaultActions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '404' } }],
    });
    Tags.of(stack).add('team', 'payments');
    const expected = TagManager.of(own) !== undefined ? [{ Key: 'team', Value: 'payments' }] : undefined;
    expect(templateOf(own).Resources.OwnListener.Properties.Tags).toEqual(expected);
  });

  test('the sharding task script holds no ${…}, which CloudFormation validators read as a missed Fn::Sub', () => {
    const collections = [{ database: 'shop', collection: 'orders', namespace: 'shop.orders', key: MongoShardKey.hashed('customerId') }];
    expect(scriptPrelude('banner')).not.toContain('${');
    expect(shardingStatements(collections, { enableSharding: true })).not.toContain('${');
    expect(documentDbShardingScript('shop', collections)).not.toContain('${');
  });

  test('the built-in CloudFormation validation, where this aws-cdk-lib has one, reports nothing on the reference platform', () => {
    const previous = process.env.CDK_VALIDATION;
    process.env.CDK_VALIDATION = 'true';
    const printed = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const app = new App({ context: { [`availability-zones:account=${TEST_ENV.account}:region=${TEST_ENV.region}`]: ['a', 'b', 'c'].map(z => `us-east-1${z}`) } });
      const stack = new Stack(app, 'Shop', { env: TEST_ENV });
      defineReferencePlatform(stack, {});
      Tags.of(stack).add('team', 'payments');
      const assembly = app.synth();
      const reportFile = path.join(assembly.directory, 'validation-report.json');
      if (!fs.existsSync(reportFile)) {
        // aws-cdk-lib releases before the built-in validator write no report and print nothing.
        expect(printed).not.toHaveBeenCalled();
        return;
      }
      const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
      // Suppressed findings (W3010 on the zones the app was told to use) are the CDK's own call.
      const violations = report.pluginReports.flatMap((r: any) => r.violations.map((v: any) => `${v.ruleName}: ${v.description}`));
      expect({ violations, printed: printed.mock.calls.map(call => String(call[0]).slice(0, 2000)) }).toEqual({ violations: [], printed: [] });
    } finally {
      printed.mockRestore();
      process.env.CDK_VALIDATION = previous;
    }
  });
});

const templates = new Map<Stack, any>();
function templateOf(resource: CfnResource): any {
  const stack = Stack.of(resource);
  if (!templates.has(stack)) templates.set(stack, Template.fromStack(stack).toJSON());
  return templates.get(stack);
}
