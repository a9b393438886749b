import { PlatformSecret } from '../../platform/secret';

/**
 * The AWS Chatbot channel that relays a Slack receiver's alerts on AWS.
 */
export interface SlackChatbotChannel {
  /** Slack workspace (team) id, authorised once in the AWS Chatbot console, e.g. `T0123ABCD`. */
  readonly slackWorkspaceId: string;
  /** Slack channel id, e.g. `C0123ABCD`. */
  readonly slackChannelId: string;
}

/**
 * A Slack channel that receives alerts.
 */
export interface SlackReceiverOptions {
  /**
   * Secret holding the Slack incoming-webhook URL. On Kubernetes it is mounted into Alertmanager
   * and read through `api_url_file`, so the URL never appears in a manifest.
   */
  readonly apiUrlSecret: PlatformSecret;
  /** Channel, e.g. `#alerts`. */
  readonly channel: string;
  /**
   * On AWS, alerts reach Slack through AWS Chatbot subscribed to the alert topic (SNS cannot call
   * a Slack webhook itself).
   *
   * @default none: a Slack receiver then fails synthesis on AWS with a message saying so
   */
  readonly awsChatbot?: SlackChatbotChannel;
}

/**
 * An email address that receives alerts.
 */
export interface EmailReceiverOptions {
  /** Recipient address. On AWS it becomes an SNS email subscription the recipient must confirm. */
  readonly to: string;
  /**
   * Sender address (Kubernetes: Alertmanager's SMTP sender).
   *
   * @default none; required on Kubernetes (on AWS, SNS sends from its own address)
   */
  readonly sender?: string;
  /**
   * SMTP relay as `host:port` (Kubernetes).
   *
   * @default none; required on Kubernetes
   */
  readonly smarthost?: string;
  /**
   * SMTP user name (Kubernetes).
   *
   * @default no SMTP authentication
   */
  readonly username?: string;
  /**
   * Secret holding the SMTP password, mounted and read through `auth_password_file` (Kubernetes).
   *
   * @default no SMTP authentication
   */
  readonly passwordSecret?: PlatformSecret;
  /**
   * Require STARTTLS to the relay.
   *
   * @default true
   */
  readonly requireTls?: boolean;
}

/**
 * How a webhook receiver is delivered.
 */
export interface WebhookReceiverOptions {
  /**
   * Accept that on AWS the endpoint receives SNS notifications, not Alertmanager's JSON: SNS first
   * posts a `SubscriptionConfirmation` the endpoint must confirm (by fetching its `SubscribeURL`),
   * then each alert as an SNS envelope (`Type: Notification`, the alert in `Message`). On
   * Kubernetes the endpoint receives Alertmanager's webhook JSON either way.
   *
   * @default false: a webhook receiver fails synthesis on AWS, saying so
   */
  readonly snsEnvelopeOnAws?: boolean;
}

/**
 * A receiver described by data, e.g. read from a per-environment configuration file.
 */
export interface AlertReceiverConfig {
  /** `webhook`, `slack` or `email`. */
  readonly type: string;
  /**
   * URL, for `webhook`.
   *
   * @default none
   */
  readonly url?: string;
  /**
   * Options, for `webhook`.
   *
   * @default none
   */
  readonly webhook?: WebhookReceiverOptions;
  /**
   * Options, for `slack`.
   *
   * @default none
   */
  readonly slack?: SlackReceiverOptions;
  /**
   * Options, for `email`.
   *
   * @default none
   */
  readonly email?: EmailReceiverOptions;
}

/**
 * Where alerts go. On Kubernetes each receiver is an Alertmanager integration (credentials are
 * read from mounted Secret files, never inlined); on AWS it is a subscription of the encrypted
 * SNS alert topic (email → email subscription, webhook → HTTPS subscription when the endpoint
 * accepts SNS's format, Slack → AWS Chatbot).
 */
export class AlertReceiver {
  /**
   * An HTTP endpoint receiving Alertmanager's webhook JSON (Kubernetes). On AWS the same URL would
   * become an SNS HTTPS subscription, which posts a different format (SNS's envelope, after a
   * subscription confirmation): it is refused there unless `options.snsEnvelopeOnAws` says the
   * endpoint handles that.
   */
  public static webhook(url: string, options: WebhookReceiverOptions = {}): AlertReceiver {
    return new AlertReceiver('webhook', url, undefined, undefined, options);
  }

  /** A Slack channel. */
  public static slack(options: SlackReceiverOptions): AlertReceiver {
    return new AlertReceiver('slack', undefined, options, undefined);
  }

  /** An email address. */
  public static email(options: EmailReceiverOptions): AlertReceiver {
    return new AlertReceiver('email', undefined, undefined, options);
  }

  /** A receiver from data; its type and fields are validated with the stack's props. */
  public static fromConfig(config: AlertReceiverConfig): AlertReceiver {
    return new AlertReceiver(config.type, config.url, config.slack, config.email, config.webhook);
  }

  private constructor(
    /** `webhook`, `slack` or `email`. */
    public readonly receiverType: string,
    /** URL of a webhook receiver. */
    public readonly url: string | undefined,
    /** Options of a Slack receiver. */
    public readonly slackOptions: SlackReceiverOptions | undefined,
    /** Options of an email receiver. */
    public readonly emailOptions: EmailReceiverOptions | undefined,
    /** Options of a webhook receiver. */
    public readonly webhookOptions?: WebhookReceiverOptions,
  ) {}
}
