import { Size } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { CONTAINER_NAME } from './aws-container';
import { environmentVariableProblems } from './validation';
import { invalidPropMessage } from '../platform/errors';
import { kubernetesExpansionLiteral, kubernetesExpansionLiterals } from '../platform/escape/kubernetes-expansion';
import { restrictedContainerSecurityContext } from '../platform/kubernetes-pod';
import { isDnsLabel } from '../platform/names';
import { PlatformSecret, secretReferenceProblems } from '../platform/secret';
import { integerInRange, isPinnedImage, numberAbove } from '../platform/validation';

/**
 * A container beside a service's application container, in the same task (AWS) or pod (Kubernetes):
 * a proxy, an agent, a log shipper. It shares the network (reach it on 127.0.0.1) and `/tmp`, runs
 * with the same restrictions (non-root, read-only root filesystem, no added capabilities), and is
 * essential: on AWS the task stops when it exits, on Kubernetes the kubelet restarts it.
 */
export interface SidecarContainer {
  /** Name of the container: a DNS label other than "app", unique in the service. */
  readonly name: string;
  /** Image, pinned by tag or digest. */
  readonly image: string;
  /**
   * A command that exits 0 while the sidecar is healthy, run inside it: the Kubernetes liveness and
   * readiness probe, the ECS container health check.
   */
  readonly healthCheckCommand: string[];
  /**
   * vCPU reserved for the sidecar (the AWS task grows to fit; a Kubernetes request).
   *
   * @default 0.25
   */
  readonly cpu?: number;
  /**
   * Memory of the sidecar (the AWS task grows to fit; a Kubernetes request and limit).
   *
   * @default Size.mebibytes(256)
   */
  readonly memory?: Size;
  /**
   * Entrypoint.
   *
   * @default the image's
   */
  readonly command?: string[];
  /**
   * Arguments.
   *
   * @default the image's
   */
  readonly args?: string[];
  /**
   * Plain environment variables; a value that looks like a credential is refused (use `secrets`).
   *
   * @default none
   */
  readonly environment?: { [name: string]: string };
  /**
   * Environment variables read from secrets at start-up.
   *
   * @default none
   */
  readonly secrets?: { [name: string]: PlatformSecret };
  /**
   * Non-root user id.
   *
   * @default the application container's user
   */
  readonly runAsUser?: number;
}

/** A sidecar with its defaults applied. */
export interface SidecarSpec {
  readonly name: string;
  readonly image: string;
  readonly healthCheckCommand: string[];
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly command?: string[];
  readonly args?: string[];
  readonly environment: Record<string, string>;
  readonly secrets: Record<string, PlatformSecret>;
  readonly runAsUser: number;
}

/** Applies the defaults. Pure. */
export function resolveSidecar(sidecar: SidecarContainer, appUser: number): SidecarSpec {
  return {
    name: sidecar.name,
    image: sidecar.image,
    healthCheckCommand: [...sidecar.healthCheckCommand],
    cpu: sidecar.cpu ?? 0.25,
    memoryMiB: (sidecar.memory ?? Size.mebibytes(256)).toMebibytes(),
    command: sidecar.command,
    args: sidecar.args,
    environment: { ...sidecar.environment },
    secrets: { ...sidecar.secrets },
    runAsUser: sidecar.runAsUser ?? appUser,
  };
}

/** Problems with `sidecar`, given the names already taken in the pod or task. Pure. */
export function sidecarProblems(scope: IConstruct, sidecar: SidecarSpec, takenNames: readonly string[]): string[] {
  const prop = `sidecars[${sidecar.name}]`;
  const problems: string[] = [];
  if (!isDnsLabel(sidecar.name) || sidecar.name === CONTAINER_NAME) {
    problems.push(invalidPropMessage(scope, 'sidecars', 'has an invalid container name', sidecar.name, `use 1-63 lowercase letters, digits and "-", starting with a letter, other than "${CONTAINER_NAME}"`));
  } else if (takenNames.includes(sidecar.name)) {
    problems.push(invalidPropMessage(scope, 'sidecars', 'has a duplicate container name', sidecar.name, 'give every sidecar its own name'));
  }
  if (!isPinnedImage(sidecar.image)) problems.push(invalidPropMessage(scope, `${prop}.image`, 'is not pinned', sidecar.image, 'use a tag other than latest, or a digest'));
  if (sidecar.healthCheckCommand.length === 0) {
    problems.push(invalidPropMessage(scope, `${prop}.healthCheckCommand`, 'is empty', sidecar.healthCheckCommand, 'give a command that exits 0 while the sidecar is healthy'));
  }
  problems.push(...numberAbove(scope, `${prop}.cpu`, sidecar.cpu, 0, 16));
  problems.push(...integerInRange(scope, `${prop}.memory`, sidecar.memoryMiB, 16, 120 * 1024));
  problems.push(...integerInRange(scope, `${prop}.runAsUser`, sidecar.runAsUser, 1, 2 ** 31 - 1));
  for (const [name, value] of Object.entries(sidecar.environment)) {
    problems.push(...environmentVariableProblems(scope, name, value, Object.keys(sidecar.secrets), false, `${prop}.`));
  }
  for (const [name, secret] of Object.entries(sidecar.secrets)) problems.push(...secretReferenceProblems(scope, `${prop}.secrets.${name}`, secret));
  return problems;
}

/** The sidecar's container in the pod: the application's restrictions, a request and a memory limit. */
export function renderKubernetesSidecar(scope: IConstruct, sidecar: SidecarSpec): object {
  return {
    name: sidecar.name,
    image: sidecar.image,
    imagePullPolicy: 'IfNotPresent',
    command: kubernetesExpansionLiterals(sidecar.command),
    args: kubernetesExpansionLiterals(sidecar.args),
    env: [
      ...Object.entries(sidecar.environment).map(([name, value]) => ({ name, value: kubernetesExpansionLiteral(value) })),
      ...Object.entries(sidecar.secrets).map(([name, secret]) => ({ name, valueFrom: { secretKeyRef: secret._toSecretKeyRef(scope, `sidecars[${sidecar.name}].secrets.${name}`) } })),
    ],
    resources: {
      requests: { cpu: `${Math.round(sidecar.cpu * 1000)}m`, memory: `${sidecar.memoryMiB}Mi` },
      limits: { memory: `${sidecar.memoryMiB}Mi` },
    },
    securityContext: { ...restrictedContainerSecurityContext(), runAsUser: sidecar.runAsUser, runAsGroup: sidecar.runAsUser },
    readinessProbe: { exec: { command: sidecar.healthCheckCommand }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    livenessProbe: { exec: { command: sidecar.healthCheckCommand }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
}

/** The sidecar's container definition in the task: the application's restrictions and its logs. */
export function renderEcsSidecar(
  sidecar: SidecarSpec, inputs: { logGroupName: string; region: string; serviceName: string; secrets: Record<string, string> },
): ecs.CfnTaskDefinition.ContainerDefinitionProperty {
  const environment = Object.entries(sidecar.environment).map(([name, value]) => ({ name, value }));
  const secrets = Object.entries(inputs.secrets).map(([name, valueFrom]) => ({ name, valueFrom }));
  return {
    name: sidecar.name,
    image: sidecar.image,
    essential: true,
    entryPoint: sidecar.command,
    command: sidecar.args,
    cpu: Math.round(sidecar.cpu * 1024),
    memoryReservation: sidecar.memoryMiB,
    environment: environment.length > 0 ? environment : undefined,
    secrets: secrets.length > 0 ? secrets : undefined,
    user: `${sidecar.runAsUser}:${sidecar.runAsUser}`,
    readonlyRootFilesystem: true,
    mountPoints: [{ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false }],
    healthCheck: { command: ['CMD', ...sidecar.healthCheckCommand], interval: 10, timeout: 5, retries: 3 },
    logConfiguration: {
      logDriver: 'awslogs',
      options: { 'awslogs-group': inputs.logGroupName, 'awslogs-stream-prefix': `${inputs.serviceName}-${sidecar.name}`, 'awslogs-region': inputs.region },
    },
  };
}
