import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CacheCluster } from '../../src/cache-cluster';
import { AlertReceiver, ObservabilityStack, ObservabilityStackProps } from '../../src/observability';
import { AwsPlatform } from '../../src/platform/aws-platform';
import { ServiceCluster } from '../../src/service-cluster';
import { expectAwsConformance } from '../conformance/aws';
import { awsStack } from '../util';

const WORKSPACE_ARN = 'arn:aws:aps:us-east-1:123456789012:workspace/ws-0123456789';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:oncall';

/** Users (metrics on 9090) and a cache, observed by a stack plugged into an existing workspace and topic. */
function render(props: (stack: Stack) => ObservabilityStackProps) {
  const stack = awsStack();
  new ServiceCluster(stack, 'Users', { image: 'ghcr.io/acme/users:1.4.2', metrics: { port: 9090 } });
  new CacheCluster(stack, 'Sessions', {});
  const observability = new ObservabilityStack(stack, 'Observability', props(stack));
  return { stack, observability, template: Template.fromStack(stack) };
}
const existingTopic = (stack: Stack) => sns.Topic.fromTopicArn(stack, 'Oncall', TOPIC_ARN);
const pluggedIn = (stack: Stack): ObservabilityStackProps => ({
  aws: { prometheusWorkspace: { workspaceArn: WORKSPACE_ARN }, alertTopic: existingTopic(stack) },
});

describe('ObservabilityStack on AWS, plugged into an existing workspace and SNS topic', () => {
  test('alarms, the workspace\'s alert manager and failed-backup events publish to the existing topic; no topic is created', () => {
    const { template, observability, stack } = render(pluggedIn);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::SNS::TopicPolicy', 0);
    const alarms = Object.values<any>(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([TOPIC_ARN]);
    template.hasResourceProperties('AWS::Events::Rule', { Targets: Match.arrayWith([Match.objectLike({ Arn: TOPIC_ARN })]) });
    expect(observability.aws!.alertTopic.topicArn).toBe(TOPIC_ARN);
    expect(stack.resolve(observability.aws!.alertManagerDefinition)).toContain(`topic_arn: ${TOPIC_ARN}`);
  });

  test('receivers, when given, are subscribed to the existing topic', () => {
    const { template } = render(stack => ({ ...pluggedIn(stack), receivers: [AlertReceiver.email({ to: 'oncall@example.com' })] }));
    template.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: TOPIC_ARN, Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  test('production needs no receivers with an existing topic (its subscriptions are the owner\'s); without one it does', () => {
    expect(() => render(pluggedIn)).not.toThrow();
    expect(() => render(() => ({ aws: { prometheusWorkspace: { workspaceArn: WORKSPACE_ARN } } })))
      .toThrow(/Platform\/Observability: receivers is empty: every alert goes nowhere/);
  });

  test('the workspace by ARN alone: the endpoint is derived, the rules go to a namespace named after the platform', () => {
    const { template, observability, stack } = render(pluggedIn);
    template.resourceCountIs('AWS::APS::Workspace', 0);
    expect(stack.resolve(observability.aws!.remoteWriteUrl)).toEqual({
      'Fn::Join': ['', ['https://aps-workspaces.us-east-1.', { Ref: 'AWS::URLSuffix' }, '/workspaces/ws-0123456789/api/v1/remote_write']],
    });
    template.hasResourceProperties('AWS::APS::RuleGroupsNamespace', { Workspace: WORKSPACE_ARN, Name: AwsPlatform.of(stack).platformName });
    expect(observability.aws!.workspaceArn).toBe(WORKSPACE_ARN);
  });

  test('two platforms sharing the workspace each get their own rule groups namespace (one name would fail the second deployment)', () => {
    const names = ['shop', 'payments'].map(platformName => {
      const stack = awsStack();
      new AwsPlatform(stack, 'Platform', { platformName, natGateways: 1 });
      new ServiceCluster(stack, 'Users', { image: 'ghcr.io/acme/users:1.4.2', metrics: { port: 9090 } });
      new ObservabilityStack(stack, 'Observability', pluggedIn(stack));
      return Object.values<any>(Template.fromStack(stack).findResources('AWS::APS::RuleGroupsNamespace'))[0].Properties.Name;
    });
    expect(names).toEqual(['shop', 'payments']);
  });

  test('conformance: cdk-nag, cfn-lint and moto CREATE_COMPLETE', () => {
    const { stack } = render(pluggedIn);
    const report = expectAwsConformance([stack]);
    console.info(`observability on AWS (existing workspace and topic): ${report.resources} resources; cdk-nag ${report.nagFindings.length} findings ` +
      `(${report.nagSuppressed} acknowledged); cfn-lint ${report.cfnLintErrors.length} errors, ${report.cfnLintWarnings.length} warnings; ` +
      `moto ${report.moto.map(m => m.status).join(', ')}`);
  });

  test.each([
    [{ workspaceArn: 'ws-0123456789' }, 'aws.prometheusWorkspace.workspaceArn is not an Amazon Managed Service for Prometheus workspace ARN (got "ws-0123456789"): ' +
      'use arn:aws:aps:<region>:<account>:workspace/ws-<id>'],
    [{ workspaceArn: 'arn:aws:aps:eu-west-1:123456789012:workspace/ws-0123456789' }, 'aws.prometheusWorkspace.workspaceArn is in another region than the Stack ' +
      '(us-east-1) (got "arn:aws:aps:eu-west-1:123456789012:workspace/ws-0123456789"): use a workspace in the Stack\'s region'],
    [{ workspaceArn: WORKSPACE_ARN, prometheusEndpoint: 'https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0123456789/api/v1' },
      'aws.prometheusWorkspace.prometheusEndpoint is not the workspace\'s https endpoint ending in "/" ' +
      '(got "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0123456789/api/v1"): use the workspace\'s "Endpoint - query URL"'],
  ])('refuses %j', (workspace, message) => {
    expect(() => render(stack => ({ aws: { prometheusWorkspace: workspace, alertTopic: existingTopic(stack) } }))).toThrow(`Platform/Observability: ${message}`);
  });
});
