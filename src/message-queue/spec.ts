import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import { MessageQueueProps } from './props';

/** MessageQueueProps with every default applied: what both renderers and the config functions read. */
export interface MessageQueueSpec {
  readonly name: string;
  readonly maxReceiveCount: number;
  readonly retentionSeconds: number;
  readonly visibilityTimeoutSeconds: number;
  readonly deadLetterRetentionSeconds: number;
  readonly priorityLevels: number;
  readonly fifo: boolean;
  readonly removalPolicy: RemovalPolicy;
  readonly kubernetes: {
    readonly image: string;
    readonly nodes: number;
    readonly cpu: number;
    readonly memoryMiB: number;
    readonly storageMiB: number;
    readonly tlsSecretName: string;
    readonly erlangCookieSecretName: string;
    readonly runAsUser: number;
  };
}

export const QUEUE_DEFAULTS = {
  maxReceiveCount: 5,
  retention: Duration.days(4),
  visibilityTimeout: Duration.seconds(30),
  deadLetterRetention: Duration.days(14),
  image: 'rabbitmq:3.13.7',
  nodes: 3,
  cpu: 0.5,
  memory: Size.gibibytes(1),
  storage: Size.gibibytes(10),
  runAsUser: 999,
};

export function resolveMessageQueueSpec(name: string, props: MessageQueueProps): MessageQueueSpec {
  const k = props.kubernetes ?? {};
  return {
    name,
    maxReceiveCount: props.maxReceiveCount ?? QUEUE_DEFAULTS.maxReceiveCount,
    retentionSeconds: (props.retentionPeriod ?? QUEUE_DEFAULTS.retention).toSeconds(),
    visibilityTimeoutSeconds: (props.visibilityTimeout ?? QUEUE_DEFAULTS.visibilityTimeout).toSeconds(),
    deadLetterRetentionSeconds: (props.deadLetterRetentionPeriod ?? QUEUE_DEFAULTS.deadLetterRetention).toSeconds(),
    priorityLevels: props.priorityLevels ?? 1,
    fifo: props.fifo ?? false,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    kubernetes: {
      image: k.image ?? QUEUE_DEFAULTS.image,
      nodes: k.nodes ?? QUEUE_DEFAULTS.nodes,
      cpu: k.cpu ?? QUEUE_DEFAULTS.cpu,
      memoryMiB: (k.memory ?? QUEUE_DEFAULTS.memory).toMebibytes(),
      storageMiB: (k.storage ?? QUEUE_DEFAULTS.storage).toMebibytes(),
      tlsSecretName: k.tlsSecretName ?? `${name}-tls`,
      erlangCookieSecretName: k.erlangCookieSecretName ?? `${name}-erlang-cookie`,
      runAsUser: k.runAsUser ?? QUEUE_DEFAULTS.runAsUser,
    },
  };
}

/** Names of the work queues, highest priority first (one queue without priorities). */
export function workQueueNames(spec: MessageQueueSpec): string[] {
  if (spec.priorityLevels <= 1) return [spec.name];
  return Array.from({ length: spec.priorityLevels }, (_, i) => `${spec.name}-p${spec.priorityLevels - 1 - i}`);
}

/** Name of the dead-letter queue. */
export function deadLetterQueueName(spec: MessageQueueSpec): string {
  return `${spec.name}-dlq`;
}
