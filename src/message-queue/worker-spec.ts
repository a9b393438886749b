import { Size, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { QueueWorkerProps } from './worker-props';
import { invalidPropMessage } from '../platform/errors';
import { isDnsLabel } from '../platform/names';
import { PlatformTarget } from '../platform/target';
import { integerInRange, isPinnedImage, numberAbove } from '../platform/validation';
import { environmentVariableProblems } from '../service-cluster/validation';

/** QueueWorkerProps with every default applied. */
export interface QueueWorkerSpec {
  readonly name: string;
  readonly image: string;
  readonly healthCheckCommand: string[];
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly environment: Record<string, string>;
  readonly secrets: QueueWorkerProps['secrets'] & object;
  readonly command?: string[];
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetBacklogPerReplica: number;
  readonly shutdownGraceSeconds: number;
  readonly runAsUser: number;
  readonly keda: boolean;
  readonly kedaNamespace: string;
  readonly targetCpuUtilization: number;
}

/** Fargate's longest stopTimeout. */
export const MAX_FARGATE_STOP_TIMEOUT_SECONDS = 120;
/** Fargate task sizes: vCPU → allowed memory (MiB) range. */
const FARGATE_MEMORY: Record<number, [number, number]> = {
  0.25: [512, 2048], 0.5: [1024, 4096], 1: [2048, 8192], 2: [4096, 16384], 4: [8192, 30720],
};

/**
 * `reducedAvailability` (the DEVELOPMENT profile): one worker by default rather than two.
 */
export function resolveQueueWorkerSpec(
  name: string, props: QueueWorkerProps, visibilityTimeoutSeconds: number, reducedAvailability = false,
): QueueWorkerSpec {
  return {
    name,
    image: props.image,
    healthCheckCommand: props.healthCheckCommand,
    cpu: props.cpu ?? 0.5,
    memoryMiB: (props.memory ?? Size.mebibytes(1024)).toMebibytes(),
    environment: props.environment ?? {},
    secrets: props.secrets ?? {},
    command: props.command,
    minReplicas: props.minReplicas ?? (reducedAvailability ? 1 : 2),
    maxReplicas: props.maxReplicas ?? 10,
    targetBacklogPerReplica: props.targetBacklogPerReplica ?? 100,
    shutdownGraceSeconds: props.shutdownGracePeriod?.toSeconds() ?? Math.max(1, Math.min(60, visibilityTimeoutSeconds - 5)),
    runAsUser: props.runAsUser ?? 65532,
    keda: props.kubernetes?.keda ?? true,
    kedaNamespace: props.kubernetes?.kedaNamespace ?? 'keda',
    targetCpuUtilization: props.kubernetes?.targetCpuUtilization ?? 70,
  };
}

/** Every problem with `spec` on `target`. */
export function validateQueueWorker(scope: IConstruct, spec: QueueWorkerSpec, target: PlatformTarget, visibilityTimeoutSeconds: number): string[] {
  const problems: string[] = [];
  if (!Token.isUnresolved(spec.name) && !isDnsLabel(spec.name)) {
    problems.push(invalidPropMessage(scope, 'serviceName', 'is not a DNS label', spec.name, 'use 1-63 lowercase letters, digits and "-", starting with a letter'));
  }
  if (!isPinnedImage(spec.image)) problems.push(invalidPropMessage(scope, 'image', 'is not pinned', spec.image, 'use a tag other than latest, or a digest'));
  if (spec.healthCheckCommand.length === 0) {
    problems.push(invalidPropMessage(scope, 'healthCheckCommand', 'is empty', spec.healthCheckCommand, 'give a command that exits 0 while the worker is healthy'));
  }
  problems.push(...integerInRange(scope, 'minReplicas', spec.minReplicas, target === PlatformTarget.AWS ? 1 : 0, 1000)
    .map(m => target === PlatformTarget.AWS ? `${m}: backlog per task divides by the running tasks, so at least 1 on aws` : m));
  problems.push(...integerInRange(scope, 'maxReplicas', spec.maxReplicas, 1, 1000));
  if (spec.maxReplicas < spec.minReplicas) {
    problems.push(invalidPropMessage(scope, 'maxReplicas', 'must not be below minReplicas', spec.maxReplicas, `set maxReplicas ≥ ${spec.minReplicas}`));
  }
  problems.push(...numberAbove(scope, 'targetBacklogPerReplica', spec.targetBacklogPerReplica, 0, 1_000_000));
  problems.push(...integerInRange(scope, 'kubernetes.targetCpuUtilization', spec.targetCpuUtilization, 1, 100));
  if (!Number.isInteger(spec.shutdownGraceSeconds) || spec.shutdownGraceSeconds < 1) {
    problems.push(invalidPropMessage(scope, 'shutdownGracePeriod', 'is out of range', `${spec.shutdownGraceSeconds} seconds`, 'use whole seconds, at least 1'));
  } else if (spec.shutdownGraceSeconds >= visibilityTimeoutSeconds) {
    problems.push(invalidPropMessage(scope, 'shutdownGracePeriod', 'is not shorter than the queue\'s visibility timeout', `${spec.shutdownGraceSeconds} seconds`,
      `use less than ${visibilityTimeoutSeconds} seconds, or raise the queue's visibilityTimeout: a message still being finished would be delivered again`));
  } else if (target === PlatformTarget.AWS && spec.shutdownGraceSeconds > MAX_FARGATE_STOP_TIMEOUT_SECONDS) {
    problems.push(invalidPropMessage(scope, 'shutdownGracePeriod', 'is longer than Fargate allows on aws', `${spec.shutdownGraceSeconds} seconds`,
      `use at most ${MAX_FARGATE_STOP_TIMEOUT_SECONDS} seconds (ECS stopTimeout on Fargate)`));
  }
  if (target === PlatformTarget.AWS) {
    const range = FARGATE_MEMORY[spec.cpu];
    if (!range || spec.memoryMiB < range[0] || spec.memoryMiB > range[1] || spec.memoryMiB % 1024 !== 0 && spec.memoryMiB !== 512) {
      problems.push(invalidPropMessage(scope, 'memory', `is not a Fargate size for ${spec.cpu} vCPU`, `${spec.memoryMiB} MiB`,
        'use cpu 0.25 (512-2048 MiB), 0.5 (1-4 GiB), 1 (2-8 GiB), 2 (4-16 GiB) or 4 (8-30 GiB), in whole GiB'));
    }
  } else {
    problems.push(...numberAbove(scope, 'cpu', spec.cpu, 0, 64));
  }
  // The same rule as a service's: credentials by name and by value, each variable set once.
  for (const [name, value] of Object.entries(spec.environment)) {
    problems.push(...environmentVariableProblems(scope, name, value, Object.keys(spec.secrets)));
  }
  return problems;
}
