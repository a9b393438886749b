import * as sqs from 'aws-cdk-lib/aws-sqs';
import { k8s } from 'cdk8s-plus-27';

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
 * The Kubernetes objects of a MessageQueue (a RabbitMQ cluster), for escape hatches: objects of
 * cdk8s-plus-27's generated `k8s` classes, each rendered as its manifest plus your `addJsonPatch`
 * operations.
 */
export interface MessageQueueKubernetesResources {
  /** The RabbitMQ nodes. */
  readonly statefulSet: k8s.KubeStatefulSet;
  /** Headless Service giving each node a stable name (`<name>-<i>.<name>-nodes`), for clustering. */
  readonly headlessService: k8s.KubeService;
  /** The client Service `<name>` (AMQPS). */
  readonly service: k8s.KubeService;
  /** rabbitmq.conf, enabled_plugins, the definitions template and the start script. */
  readonly configMap: k8s.KubeConfigMap;
  /** ServiceAccount of the nodes (its token is never mounted). */
  readonly serviceAccount: k8s.KubeServiceAccount;
  /** PodDisruptionBudget: a quorum of nodes always stays up. */
  readonly disruptionBudget: k8s.KubePodDisruptionBudget;
  /** NetworkPolicy of the nodes. */
  readonly networkPolicy: k8s.KubeNetworkPolicy;
  /** DNS names the certificate in `kubernetes.tlsSecretName` must cover. */
  readonly tlsDnsNames: string[];
}
