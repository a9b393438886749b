import { RemovalPolicy, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { MessageQueueSpec } from './spec';
import { invalidPropMessage } from '../platform/errors';
import { isDnsLabel } from '../platform/names';
import { PlatformTarget } from '../platform/target';
import { integerInRange, isPinnedImage, numberAbove, Rule, runRules } from '../platform/validation';

/** Queue names stay short enough for `-dlq`, `-p<level>`, `.fifo` and StatefulSet pod names. */
export const MAX_NAME_LENGTH = 40;
/** SQS's range for message retention, applied on both targets: 60 s to 14 days. */
export const MIN_RETENTION_SECONDS = 60;
export const MAX_RETENTION_SECONDS = 14 * 24 * 3600;
/** SQS's longest visibility timeout (12 hours). */
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 12 * 3600;
/** SQS's largest maxReceiveCount. */
export const MAX_RECEIVE_COUNT = 1000;
export const MAX_PRIORITY_LEVELS = 10;

const queueName: Rule<MessageQueueSpec> = (scope, s) => {
  if (Token.isUnresolved(s.name) || (isDnsLabel(s.name) && s.name.length <= MAX_NAME_LENGTH)) return [];
  return [invalidPropMessage(scope, 'queueName', `is not a DNS label of at most ${MAX_NAME_LENGTH} characters`, s.name,
    'use 1-40 lowercase letters, digits and "-", starting with a letter (the dead-letter and priority queues add suffixes)')];
};

const maxReceiveCount: Rule<MessageQueueSpec> = (scope, s) =>
  integerInRange(scope, 'maxReceiveCount', s.maxReceiveCount, 1, MAX_RECEIVE_COUNT).map(m => `${m} (SQS's limit, on both targets)`);

const retention = (prop: string, seconds: (s: MessageQueueSpec) => number): Rule<MessageQueueSpec> => (scope, s) => {
  const value = seconds(s);
  if (Token.isUnresolved(value) || (Number.isInteger(value) && value >= MIN_RETENTION_SECONDS && value <= MAX_RETENTION_SECONDS)) return [];
  return [invalidPropMessage(scope, prop, 'is out of range', `${value} seconds`,
    'use whole seconds from 60 seconds to 14 days (SQS\'s range, on both targets)')];
};

const visibilityTimeout: Rule<MessageQueueSpec> = (scope, s) => {
  const value = s.visibilityTimeoutSeconds;
  if (Token.isUnresolved(value) || (Number.isInteger(value) && value >= 1 && value <= MAX_VISIBILITY_TIMEOUT_SECONDS)) return [];
  return [invalidPropMessage(scope, 'visibilityTimeout', 'is out of range', `${value} seconds`,
    'use whole seconds from 1 second to 12 hours (SQS\'s limit; RabbitMQ needs a positive consumer timeout)')];
};

const priorityLevels: Rule<MessageQueueSpec> = (scope, s) =>
  integerInRange(scope, 'priorityLevels', s.priorityLevels, 1, MAX_PRIORITY_LEVELS).map(m => `${m}: one queue per level`);

const removalPolicy: Rule<MessageQueueSpec> = (scope, s) => s.removalPolicy === RemovalPolicy.SNAPSHOT
  ? [invalidPropMessage(scope, 'removalPolicy', 'cannot be SNAPSHOT', s.removalPolicy, 'queues have no snapshots: use RETAIN or DESTROY')]
  : [];

const fifoOnKubernetes: Rule<MessageQueueSpec> = (scope, s) => s.fifo
  ? [invalidPropMessage(scope, 'fifo', `is not supported on ${PlatformTarget.KUBERNETES.name}`, true,
    'RabbitMQ has no message groups or deduplication; remove fifo, or render to aws (SQS FIFO queue)')]
  : [];

const nodes: Rule<MessageQueueSpec> = (scope, s) => {
  const n = s.kubernetes.nodes;
  if (Number.isInteger(n) && n >= 3 && n <= 9 && n % 2 === 1) return [];
  return [invalidPropMessage(scope, 'kubernetes.nodes', 'must be an odd number from 3 to 9', n,
    'quorum queues need a majority of nodes: 3 survive the loss of one node, 5 of two')];
};

const image: Rule<MessageQueueSpec> = (scope, s) => isPinnedImage(s.kubernetes.image) ? [] : [
  invalidPropMessage(scope, 'kubernetes.image', 'is not pinned', s.kubernetes.image, 'use a tag other than latest (e.g. rabbitmq:3.13.7) or a digest'),
];

const sizes: Rule<MessageQueueSpec> = (scope, s) => [
  ...numberAbove(scope, 'kubernetes.cpu', s.kubernetes.cpu, 0, 64),
  ...(s.kubernetes.memoryMiB >= 256 ? [] : [invalidPropMessage(scope, 'kubernetes.memory', 'is too small', `${s.kubernetes.memoryMiB} MiB`, 'use at least 256 MiB')]),
  ...(s.kubernetes.storageMiB >= 1024 ? [] : [invalidPropMessage(scope, 'kubernetes.storage', 'is too small', `${s.kubernetes.storageMiB} MiB`, 'use at least 1 GiB')]),
];

const COMMON: readonly Rule<MessageQueueSpec>[] = [
  queueName, maxReceiveCount, retention('retentionPeriod', s => s.retentionSeconds),
  retention('deadLetterRetentionPeriod', s => s.deadLetterRetentionSeconds), visibilityTimeout, priorityLevels, removalPolicy,
];
const KUBERNETES: readonly Rule<MessageQueueSpec>[] = [fifoOnKubernetes, nodes, image, sizes];

/** Every problem with `spec` on `target`. */
export function validateMessageQueue(scope: IConstruct, spec: MessageQueueSpec, target: PlatformTarget): string[] {
  return runRules(scope, spec, target === PlatformTarget.KUBERNETES ? [...COMMON, ...KUBERNETES] : COMMON);
}
