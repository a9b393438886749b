import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MessageQueue, MessageQueueProps } from '../../src/message-queue';
import { ServiceCluster } from '../../src/service-cluster';
import { expectAwsConformance } from '../conformance/aws';
import { awsStack } from '../util';

function render(props: MessageQueueProps = {}) {
  const stack = awsStack();
  const queue = new MessageQueue(stack, 'Orders', props);
  return { stack, queue, template: Template.fromStack(stack) };
}

describe('MessageQueue on AWS', () => {
  test('matches the snapshot', () => {
    expect(render().template.toJSON()).toMatchSnapshot();
  });

  test('SQS queue and dead-letter queue: platform KMS key, redrive after maxReceiveCount, retention and visibility from props, retained', () => {
    const { template, stack } = render({ maxReceiveCount: 4, retentionPeriod: Duration.days(2), visibilityTimeout: Duration.minutes(5) });
    template.resourceCountIs('AWS::SQS::Queue', 2);
    const keyArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('PortablePlatformEncryptionKey'), 'Arn'] };
    template.hasResource('AWS::SQS::Queue', {
      Properties: {
        KmsMasterKeyId: keyArn,
        KmsDataKeyReusePeriodSeconds: 300,
        MessageRetentionPeriod: 2 * 24 * 3600,
        VisibilityTimeout: 300,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrdersDeadLetterQueue'), 'Arn'] }, maxReceiveCount: 4 },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: keyArn, MessageRetentionPeriod: 14 * 24 * 3600, RedrivePolicy: Match.absent() });
    // enforceSSL: every queue refuses requests without TLS.
    const policies = template.findResources('AWS::SQS::QueuePolicy');
    expect(Object.keys(policies)).toHaveLength(2);
    for (const policy of Object.values(policies)) {
      expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
    }
    expect(stack).toBeDefined();
  });

  test('priority levels: one queue per level, highest first, each redriving to the one dead-letter queue', () => {
    const { queue, template } = render({ priorityLevels: 3 });
    expect(queue.aws!.queues).toHaveLength(3);
    expect(queue.aws!.queues.map(q => q.node.id)).toEqual(['Priority2', 'Priority1', 'Priority0']);
    template.resourcePropertiesCountIs('AWS::SQS::Queue', { RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }) }, 3);
  });

  test('fifo: FIFO queues (work and dead-letter)', () => {
    const { template } = render({ fifo: true });
    template.resourcePropertiesCountIs('AWS::SQS::Queue', { FifoQueue: true }, 2);
  });

  test('DESTROY removes the queues with the stack', () => {
    const { template } = render({ removalPolicy: RemovalPolicy.DESTROY });
    expect(Object.values(template.findResources('AWS::SQS::Queue')).map((q: any) => q.DeletionPolicy)).toEqual(['Delete', 'Delete']);
  });

  test('grantSend / grantConsume: IAM on the task roles and the queue URLs as environment', () => {
    const stack = awsStack();
    const queue = new MessageQueue(stack, 'Orders', { priorityLevels: 2 });
    const api = new ServiceCluster(stack, 'OrdersApi', { image: 'ghcr.io/acme/orders:1.0.0' });
    const worker = new ServiceCluster(stack, 'Fulfilment', { image: 'ghcr.io/acme/fulfilment:1.0.0' });
    queue.grantSend(api);
    queue.grantConsume(worker);
    const nested = (service: ServiceCluster) => Template.fromStack(service.aws!.stack);
    const statements = (service: ServiceCluster) => JSON.stringify(nested(service).findResources('AWS::IAM::Policy'));
    expect(statements(api)).toContain('sqs:SendMessage');
    expect(statements(api)).not.toContain('sqs:ReceiveMessage');
    expect(statements(worker)).toContain('sqs:ReceiveMessage');
    expect(statements(worker)).toContain('sqs:DeleteMessage');
    expect(statements(worker)).not.toContain('sqs:SendMessage');
    const env = JSON.stringify(nested(worker).findResources('AWS::ECS::TaskDefinition'));
    expect(env).toContain('"Name":"ORDERS_BROKER","Value":"sqs"');
    expect(env).toContain('"Name":"ORDERS_QUEUES"');
  });

  test('CloudWatch metrics: depth over every level (metric math), age of oldest, dead-letter depth', () => {
    const { queue } = render({ priorityLevels: 2 });
    const depth: any = queue.metricMessagesVisible();
    expect(depth.expression).toBe('q0 + q1');
    expect(queue.metricDeadLetterMessages().metricName).toBe('ApproximateNumberOfMessagesVisible');
    expect(queue.metricAgeOfOldestMessage().metricName).toBe('ApproximateAgeOfOldestMessage');
  });

  test('allowFrom fails on aws with a clear message', () => {
    const stack = awsStack();
    const queue = new MessageQueue(stack, 'Orders');
    const api = new ServiceCluster(stack, 'Api', { image: 'ghcr.io/acme/api:1.0.0' });
    expect(() => queue.allowFrom(api)).toThrow(/Platform\/Orders: allowFrom is not supported on aws: SQS is reached over its HTTPS API/);
  });

  test('passes the conformance harness (cdk-nag, cfn-lint, moto) with a publisher and a consumer', () => {
    const stack = awsStack();
    const queue = new MessageQueue(stack, 'Orders', { priorityLevels: 2 });
    const api = new ServiceCluster(stack, 'OrdersApi', { image: 'ghcr.io/acme/orders:1.0.0' });
    const worker = new ServiceCluster(stack, 'Fulfilment', { image: 'ghcr.io/acme/fulfilment:1.0.0' });
    queue.grantSend(api);
    queue.grantConsume(worker);
    const report = expectAwsConformance([stack]);
    expect(report.resources).toBeGreaterThan(0);
  });
});
