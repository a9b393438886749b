import { Stack } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { AlertReceiver } from './receivers';

/** Services that publish alerts to the topic: CloudWatch alarms, the workspace's alert manager, EventBridge rules (failed backups). */
const PUBLISHERS = ['cloudwatch.amazonaws.com', 'aps.amazonaws.com', 'events.amazonaws.com'];

/**
 * The alert topic, encrypted with the platform key. The key policy lets the publishing services
 * use the key (SNS encrypts with a data key they must be able to generate), and the topic policy
 * lets them publish on behalf of this account only.
 */
export function renderAlertTopic(scope: Construct, key: kms.IKey, platformName: string): sns.Topic {
  const stack = Stack.of(scope);
  const sameAccount = { StringEquals: { 'aws:SourceAccount': stack.account } };
  // Imported keys ignore this: their policy must already allow these services.
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: PUBLISHERS.map(p => new iam.ServicePrincipal(p)),
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: sameAccount,
  }));
  const topic = new sns.Topic(scope, 'AlertTopic', { displayName: `${platformName} alerts`, masterKey: key, enforceSSL: true });
  topic.addToResourcePolicy(new iam.PolicyStatement({
    principals: PUBLISHERS.map(p => new iam.ServicePrincipal(p)),
    actions: ['sns:Publish', 'sns:GetTopicAttributes'],
    resources: [topic.topicArn],
    conditions: sameAccount,
  }));
  return topic;
}

/**
 * Receivers as topic subscriptions: email → email subscription (confirmed by the recipient),
 * webhook → HTTPS subscription (SNS's JSON envelope), Slack → an AWS Chatbot channel.
 */
export function subscribeReceivers(scope: Construct, topic: sns.ITopic, receivers: readonly AlertReceiver[]): chatbot.SlackChannelConfiguration[] {
  const channels: chatbot.SlackChannelConfiguration[] = [];
  receivers.forEach((receiver, i) => {
    if (receiver.receiverType === 'email') topic.addSubscription(new subscriptions.EmailSubscription(receiver.emailOptions!.to));
    if (receiver.receiverType === 'webhook') topic.addSubscription(new subscriptions.UrlSubscription(receiver.url!, { protocol: sns.SubscriptionProtocol.HTTPS }));
    if (receiver.receiverType === 'slack') {
      const slack = receiver.slackOptions!;
      channels.push(new chatbot.SlackChannelConfiguration(scope, `Slack${i}`, {
        slackChannelConfigurationName: `${Stack.of(scope).stackName}-alerts-${i}`.slice(0, 128),
        slackWorkspaceId: slack.awsChatbot!.slackWorkspaceId,
        slackChannelId: slack.awsChatbot!.slackChannelId,
        notificationTopics: [topic],
        loggingLevel: chatbot.LoggingLevel.ERROR,
        // Chatbot only relays notifications: channel members get read-only CloudWatch access at most.
        guardrailPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchReadOnlyAccess')],
      }));
    }
  });
  return channels;
}
