import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';

/**
 * Kubernetes-only tuning of a MessageQueue (the RabbitMQ cluster); ignored when rendering to AWS.
 */
export interface MessageQueueKubernetesOptions {
  /**
   * RabbitMQ image, pinned by tag or digest.
   *
   * @default 'rabbitmq:3.13.7'
   */
  readonly image?: string;
  /**
   * RabbitMQ nodes: an odd number of at least 3, so quorum queues keep a majority through the loss of a node.
   *
   * @default 3
   */
  readonly nodes?: number;
  /**
   * vCPUs requested per node.
   *
   * @default 0.5
   */
  readonly cpu?: number;
  /**
   * Memory per node (request and limit); RabbitMQ's high watermark is 40 % of it.
   *
   * @default Size.gibibytes(1)
   */
  readonly memory?: Size;
  /**
   * Persistent volume per node (message store, retained when the StatefulSet is deleted or scaled in).
   *
   * @default Size.gibibytes(10)
   */
  readonly storage?: Size;
  /**
   * Secret of type `kubernetes.io/tls` (`tls.crt`, `tls.key`, `ca.crt`) for the AMQPS listener and the
   * TLS between the nodes, e.g. issued by cert-manager for `<queueName>.<namespace>.svc` and
   * `*.<queueName>-nodes.<namespace>.svc.cluster.local`, with the server and client auth usages.
   *
   * @default '<queueName>-tls'
   */
  readonly tlsSecretName?: string;
  /**
   * Secret holding the Erlang cookie (key `cookie`) that the nodes share to cluster.
   *
   * @default '<queueName>-erlang-cookie'
   */
  readonly erlangCookieSecretName?: string;
  /**
   * Numeric user (and group) id RabbitMQ runs as (the official image's `rabbitmq` user).
   *
   * @default 999
   */
  readonly runAsUser?: number;
}

/**
 * Props of a MessageQueue: one durable work queue with a dead-letter queue, consumed by workers.
 * The same props mean the same thing on AWS (Amazon SQS) and Kubernetes (a RabbitMQ cluster).
 */
export interface MessageQueueProps {
  /**
   * Name of the queue (a DNS label), also the name of the RabbitMQ cluster on Kubernetes.
   *
   * @default the construct id in kebab-case
   */
  readonly queueName?: string;
  /**
   * Deliveries of one message before it moves to the dead-letter queue (SQS `maxReceiveCount`,
   * RabbitMQ quorum-queue delivery limit).
   *
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * How long an unconsumed message is kept. SQS deletes it then; RabbitMQ dead-letters it, so it is
   * never lost silently there.
   *
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;
  /**
   * How long a consumer has to acknowledge a message before it is delivered again (SQS visibility
   * timeout, RabbitMQ consumer timeout). Set it longer than the slowest message takes to process.
   *
   * @default Duration.seconds(30)
   */
  readonly visibilityTimeout?: Duration;
  /**
   * How long the dead-letter queue keeps a message, for inspection and redrive.
   *
   * @default Duration.days(14)
   */
  readonly deadLetterRetentionPeriod?: Duration;
  /**
   * Priority levels (1-10). With more than one, the queue is one queue per level
   * (`<queueName>-p<level>`, 0 the lowest), and workers consume the highest non-empty level first.
   * Neither SQS nor RabbitMQ's replicated (quorum) queues order a single queue by priority, so the
   * same pattern is used on both targets.
   *
   * @default 1 (no priorities)
   */
  readonly priorityLevels?: number;
  /**
   * Strict first-in-first-out order per message group with deduplication (SQS FIFO queue). Not
   * supported on Kubernetes: RabbitMQ has no message groups or deduplication.
   *
   * @default false
   */
  readonly fifo?: boolean;
  /**
   * What happens to the queues (and on Kubernetes their volumes) when removed from the app.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Kubernetes-only tuning.
   *
   * @default none
   */
  readonly kubernetes?: MessageQueueKubernetesOptions;
}
