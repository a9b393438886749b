import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AlertReceiver } from './receivers';
import { invalidPropMessage } from '../../platform/errors';
import { isEmailAddress, isHostPort, isSlackChannel } from '../../platform/grammar/notification';
import { hasUserInfo, isHttpUrl, USERINFO_HINT } from '../../platform/grammar/url';
import { PlatformSecret, secretReferenceProblems } from '../../platform/secret';
import { PlatformTarget } from '../../platform/target';

/** The receiver types, in the order error messages list them. */
export const RECEIVER_TYPES = ['webhook', 'slack', 'email'];

/** Every problem with the receivers, on `target`. */
export function receiverProblems(scope: IConstruct, receivers: readonly AlertReceiver[], target: PlatformTarget): string[] {
  return receivers.flatMap((receiver, i) => {
    const prop = `receivers[${i}]`;
    if (!RECEIVER_TYPES.includes(receiver.receiverType)) {
      return [invalidPropMessage(scope, `${prop}.type`, 'is not a known receiver type', receiver.receiverType,
        `use one of ${RECEIVER_TYPES.join(', ')} (AlertReceiver.webhook, AlertReceiver.slack, AlertReceiver.email)`)];
    }
    if (receiver.receiverType === 'webhook') return webhookProblems(scope, prop, receiver, target);
    if (receiver.receiverType === 'slack') return slackProblems(scope, prop, receiver, target);
    return emailProblems(scope, prop, receiver, target);
  });
}

function webhookProblems(scope: IConstruct, prop: string, receiver: AlertReceiver, target: PlatformTarget): string[] {
  const url = receiver.url;
  if (target === PlatformTarget.AWS && !receiver.webhookOptions?.snsEnvelopeOnAws) {
    return [invalidPropMessage(scope, `${prop}.webhook.snsEnvelopeOnAws`, 'must be true for a webhook on aws', false,
      "on aws the webhook becomes an SNS HTTPS subscription: it must confirm the subscription and read SNS's envelope, not " +
      "Alertmanager's JSON; set AlertReceiver.webhook(url, { snsEnvelopeOnAws: true }) if it does, or use AlertReceiver.email " +
      'or AlertReceiver.slack with awsChatbot')];
  }
  if (url === undefined || Token.isUnresolved(url)) {
    return url === undefined ? [invalidPropMessage(scope, `${prop}.url`, 'is required for a webhook receiver', url, 'set the URL alerts are posted to')] : [];
  }
  if (!isHttpUrl(url)) {
    return [invalidPropMessage(scope, `${prop}.url`, 'is not an http(s) URL', url,
      'use e.g. "https://hooks.example.com/alerts" (URL characters only: no spaces, control characters, quotes or braces)')];
  }
  if (hasUserInfo(url)) return [invalidPropMessage(scope, `${prop}.url`, 'carries credentials in its URL', '<redacted>', USERINFO_HINT)];
  if (target === PlatformTarget.AWS && !isHttpUrl(url, true)) {
    return [invalidPropMessage(scope, `${prop}.url`, 'must use https on aws', url,
      'SNS delivers to webhooks over the internet: use an https:// URL so alerts are encrypted in transit')];
  }
  return [];
}

function slackProblems(scope: IConstruct, prop: string, receiver: AlertReceiver, target: PlatformTarget): string[] {
  const slack = receiver.slackOptions;
  if (!slack) return [invalidPropMessage(scope, `${prop}.slack`, 'is required for a slack receiver', undefined, 'set apiUrlSecret and channel')];
  const problems: string[] = [];
  if (!Token.isUnresolved(slack.channel) && !isSlackChannel(slack.channel)) {
    problems.push(invalidPropMessage(scope, `${prop}.slack.channel`, 'is not a Slack channel', slack.channel,
      'use "#name" (lowercase letters, digits, "-", "_", "."), "@user" or a channel ID such as "C0123456789"'));
  }
  if (target === PlatformTarget.KUBERNETES) problems.push(...namedSecret(scope, `${prop}.slack.apiUrlSecret`, slack.apiUrlSecret));
  if (target === PlatformTarget.AWS && !slack.awsChatbot) {
    problems.push(invalidPropMessage(scope, `${prop}.slack.awsChatbot`, 'is required on aws', undefined,
      'SNS cannot call a Slack webhook: set awsChatbot { slackWorkspaceId, slackChannelId } (AWS Chatbot relays the alert topic), ' +
      'or use AlertReceiver.webhook(url) with an https relay'));
  }
  return problems;
}

function emailProblems(scope: IConstruct, prop: string, receiver: AlertReceiver, target: PlatformTarget): string[] {
  const email = receiver.emailOptions;
  if (!email) return [invalidPropMessage(scope, `${prop}.email`, 'is required for an email receiver', undefined, 'set to, sender and smarthost')];
  const problems: string[] = [];
  if (!Token.isUnresolved(email.to) && !isEmailAddress(email.to)) {
    problems.push(invalidPropMessage(scope, `${prop}.email.to`, 'is not an email address', email.to, 'use e.g. "oncall@example.com"'));
  }
  if (email.sender !== undefined && !Token.isUnresolved(email.sender) && !isEmailAddress(email.sender)) {
    problems.push(invalidPropMessage(scope, `${prop}.email.sender`, 'is not an email address', email.sender, 'use e.g. "alertmanager@example.com"'));
  }
  if (email.username !== undefined && !Token.isUnresolved(email.username) && !/^[\x21-\x7e]{1,256}$/.test(email.username)) {
    problems.push(invalidPropMessage(scope, `${prop}.email.username`, 'is not an SMTP user name', email.username,
      'use printable ASCII without spaces or control characters'));
  }
  if (target !== PlatformTarget.KUBERNETES) return problems;
  if (!email.sender) {
    problems.push(invalidPropMessage(scope, `${prop}.email.sender`, 'is required on kubernetes', email.sender, "Alertmanager's SMTP sender needs a From address"));
  }
  if (!email.smarthost || !isHostPort(email.smarthost)) {
    problems.push(invalidPropMessage(scope, `${prop}.email.smarthost`, 'must be host:port on kubernetes', email.smarthost,
      'set the SMTP relay, e.g. "smtp.example.com:587"'));
  }
  if (email.passwordSecret) problems.push(...namedSecret(scope, `${prop}.email.passwordSecret`, email.passwordSecret));
  return problems;
}

function namedSecret(scope: IConstruct, prop: string, secret: PlatformSecret | undefined): string[] {
  if (secret?.secretName) return secretReferenceProblems(scope, prop, secret);
  return [invalidPropMessage(scope, prop, 'must reference a Kubernetes Secret by name', secret ? 'a Secrets Manager secret' : undefined,
    'use PlatformSecret.named(name, key); Alertmanager reads it from the mounted Secret file, never from the manifest')];
}
