import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QueueHandle } from './queue-handle';
import { MessageQueueAwsResources } from './resources';
import { MessageQueueSpec, workQueueNames } from './spec';
import { AwsPlatform } from '../platform/aws-platform';
import { PlatformValidationError } from '../platform/errors';
import { acknowledgeNagFinding } from '../platform/nag';

/**
 * Renders the queue as Amazon SQS: one queue per priority level and a dead-letter queue, all
 * encrypted with the platform key, TLS-only (enforceSSL), redriving after `maxReceiveCount`
 * deliveries.
 */
export function renderMessageQueueOnAws(scope: Construct, spec: MessageQueueSpec): QueueHandle<MessageQueueAwsResources> {
  const platform = AwsPlatform.of(scope);
  // SQS names are generated, but a second queue of one name would collide on Kubernetes: fail alike.
  platform._claimName(scope, 'message queue', spec.name);
  const common = {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: platform.encryptionKey,
    // Reuse a data key for 5 minutes: far fewer KMS calls than the 1-minute minimum, same key.
    dataKeyReuse: Duration.minutes(5),
    enforceSSL: true,
    fifo: spec.fifo ? true : undefined,
    removalPolicy: spec.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  };
  const deadLetterQueue = new sqs.Queue(scope, 'DeadLetterQueue', {
    ...common,
    retentionPeriod: Duration.seconds(spec.deadLetterRetentionSeconds),
  });
  const names = workQueueNames(spec);
  const queues = names.map((_, i) => new sqs.Queue(scope, names.length === 1 ? 'Resource' : `Priority${names.length - 1 - i}`, {
    ...common,
    retentionPeriod: Duration.seconds(spec.retentionSeconds),
    visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
  }));

  const granted = new Set<object>();
  const notOnAws = (member: string) => () => {
    throw new PlatformValidationError(`${scope.node.path}: ${member} is not supported on aws: ` +
      'SQS is reached over its HTTPS API, not the VPC; use grantSend/grantConsume, which grant IAM access');
  };
  return {
    resources: { queues, deadLetterQueue },
    queueAddresses: queues.map(q => q.queueUrl),
    allowFrom: notOnAws('allowFrom'),
    allowMetricsFrom: notOnAws('allowMetricsFrom'),
    grant: (client, publish, consume, prefix) => {
      for (const queue of queues) {
        if (publish) queue.grantSendMessages(client);
        if (consume) queue.grantConsumeMessages(client);
      }
      if (publish && Construct.isConstruct(client.grantPrincipal)) {
        // What the SQS grant adds for the platform key; scoped to that one key.
        for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
          acknowledgeNagFinding(client.grantPrincipal, `AwsSolutions-IAM5[Action::${action}]`,
            `SQS's grant to send to a queue encrypted with the platform key: ${action} on that key only`);
        }
      }
      if (!granted.has(client)) {
        granted.add(client);
        client.addEnvironment(`${prefix}_BROKER`, 'sqs');
        client.addEnvironment(`${prefix}_QUEUES`, queues.map(q => q.queueUrl).join(','));
      }
    },
  };
}
