import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ApiObject } from 'cdk8s';

/**
 * The AWS resources of a MessageQueue, for escape hatches.
 */
export interface MessageQueueAwsResources {
  /** The work queues, highest priority first (one without priorities). */
  readonly queues: sqs.Queue[];
  /** The dead-letter queue every work queue redrives to. */
  readonly deadLetterQueue: sqs.Queue;
}

/**
 * The Kubernetes objects of a MessageQueue (a RabbitMQ cluster), for escape hatches.
 */
export interface MessageQueueKubernetesResources {
  /** The RabbitMQ nodes. */
  readonly statefulSet: ApiObject;
  /** Headless Service giving each node a stable name (`<name>-<i>.<name>-nodes`), for clustering. */
  readonly headlessService: ApiObject;
  /** The client Service `<name>` (AMQPS). */
  readonly service: ApiObject;
  /** rabbitmq.conf, enabled_plugins, the definitions template and the start script. */
  readonly configMap: ApiObject;
  /** ServiceAccount of the nodes (its token is never mounted). */
  readonly serviceAccount: ApiObject;
  /** PodDisruptionBudget: a quorum of nodes always stays up. */
  readonly disruptionBudget: ApiObject;
  /** NetworkPolicy of the nodes. */
  readonly networkPolicy: ApiObject;
  /** DNS names the certificate in `kubernetes.tlsSecretName` must cover. */
  readonly tlsDnsNames: string[];
}
