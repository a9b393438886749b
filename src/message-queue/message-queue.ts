import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { renderMessageQueueOnAws } from './aws';
import { renderMessageQueueOnKubernetes } from './kubernetes';
import { consumersMetric, readyMessagesMetric } from './metrics';
import { MessageQueueProps } from './props';
import { QueueAccess, QueueConnectOptions } from './queue-access';
import { QueueHandle } from './queue-handle';
import { MessageQueueAwsResources, MessageQueueKubernetesResources } from './resources';
import { deadLetterQueueName, resolveMessageQueueSpec, workQueueNames } from './spec';
import { validateMessageQueue } from './validation';
import { AccessPurpose, allowClientOrMetricsFrom, AllowFromOptions } from '../platform/access-purpose';
import { Endpoint } from '../platform/endpoint';
import { PlatformValidationError, throwIfInvalid } from '../platform/errors';
import { MetricsSource } from '../platform/metrics';
import { dnsLabelFromId } from '../platform/names';
import { INetworkPeer } from '../platform/network';
import { IPlatformClient } from '../platform/platform-client';
import { metricNotOnTarget, PlatformMetric, prometheusSeries } from '../platform/platform-metric';
import { QueueCloudWatchMetrics } from '../platform/queue-metrics';
import { PlatformTarget } from '../platform/target';
import { PlatformTopology, TopologyLayer } from '../platform/topology';

/**
 * A durable work queue between services and background workers, with a dead-letter queue.
 *
 * Under an aws-cdk-lib `Stack` it renders Amazon SQS queues (KMS with the platform key, TLS only,
 * redrive to a dead-letter queue). Under a cdk8s `Chart` it renders a three-node RabbitMQ cluster
 * (quorum queues with a delivery limit and dead-lettering, AMQPS, one broker user per granted
 * application, Prometheus metrics). Grant access with `grantSend` and `grantConsume`.
 *
 * Subclass it to set organisation-wide defaults (`applyDefaults`) or to adjust what is rendered
 * (`configureAws`, `configureKubernetes`).
 */
export class MessageQueue extends Construct {
  /** Name of the queue (DNS label). */
  public readonly queueName: string;
  /** Which target this queue rendered to. */
  public readonly target: PlatformTarget;
  /** Deliveries of one message before it is dead-lettered. */
  public readonly maxReceiveCount: number;
  /** Names of the work queues, highest priority first (on AWS the SQS names are generated; see `aws.queues`). */
  public readonly workQueueNames: string[];
  /** Seconds a consumer has to acknowledge a message before it is delivered again. */
  public readonly visibilityTimeoutSeconds: number;
  /** Secret holding the broker's TLS certificate and CA (Kubernetes; on AWS the name it would have). */
  public readonly kubernetesTlsSecretName: string;
  /** Name of the dead-letter queue (RabbitMQ); on AWS see `aws.deadLetterQueue`. */
  public readonly deadLetterQueueName: string;
  /**
   * Where AMQP clients connect (AMQPS).
   *
   * @default undefined on AWS: clients use the queue URLs
   */
  public readonly endpoint?: Endpoint;
  /**
   * Prometheus metrics of every RabbitMQ node, for the observability stack.
   *
   * @default undefined on AWS: SQS publishes CloudWatch metrics; the portable `metricBacklog()` and
   * `metricDeadLetteredMessages()` read them there
   */
  public readonly metricsSource?: MetricsSource;
  /** AWS resources; undefined on Kubernetes. */
  public readonly aws?: MessageQueueAwsResources;
  /** Kubernetes objects; undefined on AWS. */
  public readonly kubernetes?: MessageQueueKubernetesResources;
  private readonly handle: QueueHandle<unknown>;

  constructor(scope: Construct, id: string, props: MessageQueueProps = {}) {
    super(scope, id);
    this.target = PlatformTarget.of(this);
    const effective = this.applyDefaults(props);
    const spec = resolveMessageQueueSpec(effective.queueName ?? dnsLabelFromId(id), effective);
    throwIfInvalid(validateMessageQueue(this, spec, this.target));
    this.queueName = spec.name;
    this.maxReceiveCount = spec.maxReceiveCount;
    this.visibilityTimeoutSeconds = spec.visibilityTimeoutSeconds;
    this.kubernetesTlsSecretName = spec.kubernetes.tlsSecretName;
    this.workQueueNames = workQueueNames(spec);
    this.deadLetterQueueName = deadLetterQueueName(spec);

    if (this.target === PlatformTarget.AWS) {
      const handle = renderMessageQueueOnAws(this, spec);
      this.aws = handle.resources;
      this.handle = handle;
      this.configureAws(handle.resources, effective);
    } else {
      const handle = renderMessageQueueOnKubernetes(this, spec);
      this.kubernetes = handle.resources;
      this.handle = handle;
      this.configureKubernetes(handle.resources, effective);
    }
    this.endpoint = this.handle.endpoint;
    this.metricsSource = this.handle.metricsSource;
    PlatformTopology.of(this).addComponent(this, { kind: 'queue', name: spec.name, layer: TopologyLayer.DATA });
    PlatformTopology.of(this).addInternalConnection(this, 'clustering between the broker nodes');
  }

  /**
   * Prefix of the environment variables a granted client receives: the queue name in upper snake
   * case, e.g. `ORDERS_EVENTS` for `orders-events`.
   */
  public get environmentPrefix(): string {
    return this.queueName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  }

  /**
   * Wires `client` to the queue, like the data stores' `connect`: `QueueAccess.SEND` (default)
   * is `grantSend`, `QueueAccess.CONSUME` is `grantConsume`, `QueueAccess.SEND_AND_CONSUME` both.
   * The client gets the environment those grants describe. Connecting again adds what the new
   * access grants and changes nothing else.
   */
  public connect(client: IPlatformClient, options: QueueConnectOptions = {}): void {
    const access = options.access ?? QueueAccess.SEND;
    if (access._send) this.grantSend(client);
    if (access._consume) this.grantConsume(client);
  }

  /**
   * Lets `client` publish to the queue: IAM `sqs:SendMessage` on AWS; on Kubernetes a broker user
   * (`client.serviceName`) with write access to the queue's exchange, its password from the Secret
   * `<queueName>-user-<serviceName>` (key `password`), and a NetworkPolicy rule. The client gets
   * `<PREFIX>_BROKER`, `<PREFIX>_QUEUES` (URLs on AWS, names on Kubernetes, highest priority first)
   * and on Kubernetes `_HOST`, `_PORT`, `_TLS`, `_VHOST`, `_USERNAME`, `_EXCHANGE`, `_PASSWORD` (secret).
   */
  public grantSend(client: IPlatformClient): void {
    this.handle.grant(client, true, false, this.environmentPrefix);
    PlatformTopology.of(this).addNetworkConnection(this, client, 'publish');
  }

  /**
   * Lets `client` consume the work queues (receive, acknowledge, reject): IAM on AWS, a broker user
   * with read access on Kubernetes. The same environment as `grantSend`.
   */
  public grantConsume(client: IPlatformClient): void {
    this.handle.grant(client, false, true, this.environmentPrefix);
    PlatformTopology.of(this).addNetworkConnection(this, client, 'consume');
  }

  /**
   * Admits `peer` to one purpose's port on the brokers' NetworkPolicy (Kubernetes only: SQS is an
   * HTTPS API reached with IAM; use `connect` or the grants there):
   *
   * - `AccessPurpose.CLIENT` (default): AMQPS (`endpoint`) alone, never the metrics port; it opens
   *   the network only, `connect` also gives the client a broker user;
   * - `AccessPurpose.METRICS`: the metrics port alone, for a Prometheus scraper.
   */
  public allowFrom(peer: INetworkPeer, options: AllowFromOptions = {}): void {
    allowClientOrMetricsFrom(this, this.handle, peer, options, { client: 'AMQPS, Kubernetes only', metrics: 'the metrics port, Kubernetes only', protocol: 'amqps' });
  }

  /**
   * Admits `peer` to the metrics port alone, for a Prometheus scraper (Kubernetes only).
   *
   * @deprecated use `allowFrom(peer, { purpose: AccessPurpose.METRICS })`
   */
  public allowMetricsFrom(peer: INetworkPeer): void {
    this.allowFrom(peer, { purpose: AccessPurpose.METRICS });
  }

  /**
   * Messages waiting in every work queue (SQS ApproximateNumberOfMessagesVisible, summed) (AWS only;
   * CloudWatch, with your statistic and period). The portable `metricBacklog()` is the same sum on
   * AWS and the RabbitMQ ready messages on Kubernetes, and is what `ObservabilityStack.addAlert` takes.
   */
  public metricMessagesVisible(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    const queues = this.requireAws('metricMessagesVisible').queues;
    if (queues.length === 1) return queues[0].metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', ...props });
    const metrics = Object.fromEntries(queues.map((q, i) => [`q${i}`, q.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', ...props })]));
    return new cloudwatch.MathExpression({
      expression: Object.keys(metrics).join(' + '), usingMetrics: metrics, label: `${this.queueName} messages visible`, period: props?.period,
    });
  }

  /**
   * Age of the oldest message in the first (highest-priority) work queue (AWS only; CloudWatch). It
   * has no portable equivalent: on Kubernetes watch `metricBacklog()` and `metricConsumers()`.
   */
  public metricAgeOfOldestMessage(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.requireAws('metricAgeOfOldestMessage').queues[0].metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', ...props });
  }

  /**
   * Messages in the dead-letter queue (AWS only; CloudWatch, with your statistic and period). The
   * portable `metricDeadLetteredMessages()` reads the same on AWS and RabbitMQ's on Kubernetes.
   */
  public metricDeadLetterMessages(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.requireAws('metricDeadLetterMessages').deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', ...props });
  }

  /**
   * The CloudWatch metrics the observability stack alarms on (AWS only; undefined on Kubernetes,
   * where `metricsSource` serves them).
   *
   * @internal
   */
  public _queueCloudWatchMetrics(): QueueCloudWatchMetrics | undefined {
    if (!this.aws) return undefined;
    const period = Duration.minutes(5);
    return {
      name: this.queueName,
      depth: this.metricMessagesVisible({ period }),
      ageOfOldestMessage: this.metricAgeOfOldestMessage({ period }),
      deadLetters: this.metricDeadLetterMessages({ period }),
      // A message older than twenty visibility timeouts is not being worked off.
      maxAgeSeconds: Math.min(this.visibilityTimeoutSeconds * 20, 24 * 3600),
    };
  }

  /**
   * Messages waiting in the work queues, on both targets: per queue in PromQL on Kubernetes (the
   * expression of `QueueBacklogHigh`), every work queue's visible messages in CloudWatch on AWS.
   */
  public metricBacklog(): PlatformMetric {
    return readyMessagesMetric(this.queueName, this.metricsSource?.job, 'work', this.aws ? this.metricMessagesVisible() : undefined);
  }

  /** Messages in the dead-letter queue, on both targets (the signal of `QueueDeadLetters`). */
  public metricDeadLetteredMessages(): PlatformMetric {
    return readyMessagesMetric(this.queueName, this.metricsSource?.job, 'deadLetter', this.aws ? this.metricDeadLetterMessages() : undefined);
  }

  /** Consumers of each work queue (Kubernetes only: SQS does not count its consumers). */
  public metricConsumers(): PlatformMetric {
    if (!this.metricsSource) {
      throw metricNotOnTarget(this, 'metricConsumers', this.target,
        'SQS does not count consumers: alert on metricAgeOfOldestMessage() (CloudWatch) or metricBacklog() instead');
    }
    return consumersMetric(this.queueName, this.metricsSource.job);
  }

  /**
   * Any series rabbitmq_prometheus exports for this broker, e.g. `prometheusMetric('rabbitmq_queue_messages_unacked')`
   * (Kubernetes only: SQS publishes no Prometheus metrics).
   */
  public prometheusMetric(metricName: string): PlatformMetric {
    if (!this.metricsSource) {
      throw metricNotOnTarget(this, 'prometheusMetric', this.target,
        'SQS publishes CloudWatch metrics only: use metricMessagesVisible(), metricAgeOfOldestMessage(), metricDeadLetterMessages(), or the portable metricBacklog() and metricDeadLetteredMessages()');
    }
    return prometheusSeries(this, this.metricsSource.job, metricName);
  }

  /**
   * Hook: organisation-wide defaults. Receives the caller's props and returns the props to render
   * (the effective props, which the other hooks receive too). Runs first in the base constructor,
   * before validation and before your subclass's field initialisers.
   *
   * @param props the caller's props
   */
  protected applyDefaults(props: MessageQueueProps): MessageQueueProps {
    return props;
  }

  /**
   * Hook: adjusts the AWS resources after they are rendered (tags, labels, sidecars, policies…).
   *
   * Runs in the base constructor, before your subclass's field initialisers have run: read your own
   * settings from `props` (the effective props `applyDefaults` returned, your subclass's own fields
   * included), not from `this`.
   *
   * @param _resources every rendered resource
   * @param _props the effective props
   */
  protected configureAws(_resources: MessageQueueAwsResources, _props: MessageQueueProps): void {}

  /**
   * Hook: adjusts the Kubernetes objects after they are rendered (tags, labels, sidecars, policies…).
   *
   * Runs in the base constructor, before your subclass's field initialisers have run: read your own
   * settings from `props` (the effective props `applyDefaults` returned, your subclass's own fields
   * included), not from `this`.
   *
   * @param _resources every rendered resource
   * @param _props the effective props
   */
  protected configureKubernetes(_resources: MessageQueueKubernetesResources, _props: MessageQueueProps): void {}

  private requireAws(member: string): MessageQueueAwsResources {
    if (!this.aws) {
      throw new PlatformValidationError(`${this.node.path}: ${member} is not supported on ${this.target}: ` +
        'CloudWatch metrics exist on aws only; on kubernetes scrape metricsSource (rabbitmq_prometheus) with Prometheus');
    }
    return this.aws;
  }
}
