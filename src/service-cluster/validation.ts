import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { awsCanarySteps, canarySteps } from './rollout-validation';
import { ServiceClusterSpec } from './spec';
import { invalidPropMessage } from '../platform/errors';
import { describeFargateSizes, isFargateSize } from '../platform/fargate-sizes';
import { HTTP_REQUEST_PATH_HINT, isHttpRequestPath } from '../platform/grammar/http-path';
import { IMAGE_REFERENCE_HINT, parseImageReference } from '../platform/grammar/image-reference';
import { kubernetesCpuProblem, kubernetesMemoryProblem, MIN_KUBERNETES_CPU, MIN_KUBERNETES_MEMORY_MIB } from '../platform/grammar/quantity';
import { isDnsLabel } from '../platform/names';
import { PlatformProfile } from '../platform/profile';
import { secretReferenceProblems } from '../platform/secret';
import { PlatformTarget } from '../platform/target';
import { credentialProblem, grammarProblem, integerInRange, isPinnedImage, numberAbove, Rule, runRules } from '../platform/validation';
import { ProfileWarning, reducedAvailabilityWarning } from '../platform/warnings';

/** Fargate's longest stopTimeout. */
const FARGATE_MAX_STOP_SECONDS = 120;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const serviceName: Rule<ServiceClusterSpec> = (scope, s) => isDnsLabel(s.name) ? [] : [invalidPropMessage(scope, 'serviceName',
  'is not a DNS label', s.name, 'use 1-63 lowercase letters, digits and "-", starting with a letter')];

const pinnedImage: Rule<ServiceClusterSpec> = (scope, s) => Token.isUnresolved(s.image) || isPinnedImage(s.image) ? []
  : !parseImageReference(s.image) ? [
    invalidPropMessage(scope, 'image', 'is not a valid image reference', s.image, IMAGE_REFERENCE_HINT),
  ] : [
    invalidPropMessage(scope, 'image', 'is not pinned', s.image,
      'use an explicit tag other than "latest" (repo:1.2.3) or a digest (repo@sha256:…) so every replica runs the same code'),
  ];

const ports: Rule<ServiceClusterSpec> = (scope, s) => [
  ...integerInRange(scope, 'port', s.port, 1024, 65535),
  // The metrics port defaults to the service port: report a bad port once.
  ...(s.metrics.port === s.port ? [] : integerInRange(scope, 'metrics.port', s.metrics.port, 1024, 65535)),
].map(m => m.replace('out of range', 'out of range for a non-root container'));

const replicas: Rule<ServiceClusterSpec> = (scope, s) => {
  const problems = [
    ...integerInRange(scope, 'minReplicas', s.minReplicas, 1, 1000),
    ...integerInRange(scope, 'maxReplicas', s.maxReplicas, 1, 1000),
  ];
  if (problems.length === 0 && s.minReplicas > s.maxReplicas) {
    problems.push(invalidPropMessage(scope, 'minReplicas', 'must not exceed maxReplicas', s.minReplicas,
      `set maxReplicas ≥ ${s.minReplicas} or lower minReplicas to ≤ ${s.maxReplicas}`));
  }
  return problems;
};

const scalingTargets: Rule<ServiceClusterSpec> = (scope, s) => [
  ...numberAbove(scope, 'targetCpuUtilization', s.targetCpuUtilization, 0, 100),
  ...numberAbove(scope, 'targetMemoryUtilization', s.targetMemoryUtilization, 0, 100),
  ...numberAbove(scope, 'targetRequestsPerSecond', s.targetRequestsPerSecond, 0, 1_000_000),
];

const resources: Rule<ServiceClusterSpec> = (scope, s) => [
  ...numberAbove(scope, 'cpu', s.cpu, 0, 64),
  ...numberAbove(scope, 'memory', s.memoryMiB, 0, 512 * 1024),
];

const health: Rule<ServiceClusterSpec> = (scope, s) => {
  const h = s.health;
  const problems: string[] = [];
  if (!Token.isUnresolved(h.path) && !isHttpRequestPath(h.path)) {
    problems.push(invalidPropMessage(scope, 'healthCheck.path', 'is not an HTTP request path', h.path, HTTP_REQUEST_PATH_HINT));
  }
  problems.push(
    ...integerInRange(scope, 'healthCheck.interval', h.intervalSeconds, 5, 300),
    ...integerInRange(scope, 'healthCheck.timeout', h.timeoutSeconds, 2, 120),
    ...integerInRange(scope, 'healthCheck.healthyThreshold', h.healthyThreshold, 2, 10),
    ...integerInRange(scope, 'healthCheck.unhealthyThreshold', h.unhealthyThreshold, 2, 10),
    ...integerInRange(scope, 'healthCheck.startupGracePeriod', h.startupGraceSeconds, 0, 300),
  );
  if (problems.length === 0 && h.timeoutSeconds >= h.intervalSeconds) {
    problems.push(invalidPropMessage(scope, 'healthCheck.timeout', 'must be shorter than healthCheck.interval',
      `${h.timeoutSeconds}s`, `use a timeout below ${h.intervalSeconds}s`));
  }
  if (!Token.isUnresolved(s.metrics.path) && !isHttpRequestPath(s.metrics.path)) {
    problems.push(invalidPropMessage(scope, 'metrics.path', 'is not an HTTP request path', s.metrics.path, HTTP_REQUEST_PATH_HINT));
  }
  return problems;
};

const shutdown: Rule<ServiceClusterSpec> = (scope, s) => integerInRange(scope, 'shutdownGracePeriod', s.shutdownGraceSeconds, 0, 3600);

const VARIABLE_NAME_HINT = 'use letters, digits and "_", not starting with a digit';

/**
 * Problems with one plain environment variable; `notCredential` is the user's explicit opt-out.
 * `prefix` names the container the variable belongs to in messages (e.g. `sidecars[envoy].`).
 */
export function environmentVariableProblems(
  scope: IConstruct, name: string, value: string, secretNames: readonly string[], notCredential = false, prefix = '',
): string[] {
  const prop = `${prefix}environment.${name}`;
  if (!ENV_NAME.test(name)) return [invalidPropMessage(scope, prop, 'is not a valid variable name', name, VARIABLE_NAME_HINT)];
  const credential = notCredential || Token.isUnresolved(value) ? undefined : credentialProblem(name, value);
  if (credential) {
    return [invalidPropMessage(scope, prop, credential, '<redacted>',
      `move it to secrets: { ${name}: PlatformSecret.named('<secret>', '<key>') } so it never lands in a template or manifest; ` +
      'if it is not a credential, list it in notCredentials (or addEnvironment(name, value, { notCredential: true }))')];
  }
  if (secretNames.includes(name)) {
    return [invalidPropMessage(scope, prop, 'is also set in secrets', name, 'set each variable once')];
  }
  return [];
}

/** Problems with the name of a variable read from a secret. */
export function secretVariableProblems(scope: IConstruct, name: string): string[] {
  return ENV_NAME.test(name) ? [] : [invalidPropMessage(scope, `secrets.${name}`, 'is not a valid variable name', name, VARIABLE_NAME_HINT)];
}

/** A variable added after construction whose name is already set: refused on both targets alike. */
export function duplicateVariableProblems(scope: IConstruct, prop: string, name: string, names: ReadonlySet<string>): string[] {
  return names.has(name) ? [invalidPropMessage(scope, prop, 'is already set', name,
    'set each variable once: a second value would replace the first on aws and duplicate it on kubernetes')] : [];
}

const environment: Rule<ServiceClusterSpec> = (scope, s) => [
  ...Object.entries(s.environment).flatMap(([name, value]) =>
    environmentVariableProblems(scope, name, value, Object.keys(s.secrets), s.notCredentials.includes(name))),
  ...Object.keys(s.secrets).flatMap(name => secretVariableProblems(scope, name)),
  ...Object.entries(s.secrets).flatMap(([name, secret]) => secretReferenceProblems(scope, `secrets.${name}`, secret)),
  ...s.notCredentials.filter(name => !(name in s.environment)).map(name => invalidPropMessage(scope, 'notCredentials',
    'names a variable that is not in environment', name, `list only names of plain variables (${Object.keys(s.environment).join(', ') || 'none set'})`)),
];

const user: Rule<ServiceClusterSpec> = (scope, s) => integerInRange(scope, 'runAsUser', s.runAsUser, 1, 2147483647)
  .map(m => m.replace('is out of range', 'must be a non-root user id'));

/** What Fargate cannot honour fails on AWS only. */
const fargate: Rule<ServiceClusterSpec> = (scope, s) => {
  const problems: string[] = [];
  if (!isFargateSize(s.cpu, s.memoryMiB)) {
    problems.push(invalidPropMessage(scope, 'cpu/memory', 'is not a Fargate size', `${s.cpu} vCPU / ${s.memoryMiB} MiB`, describeFargateSizes(s.cpu)));
  }
  if (s.shutdownGraceSeconds > FARGATE_MAX_STOP_SECONDS) {
    problems.push(invalidPropMessage(scope, 'shutdownGracePeriod', 'exceeds what Fargate allows on aws', `${s.shutdownGraceSeconds}s`,
      `use at most ${FARGATE_MAX_STOP_SECONDS}s (ECS stopTimeout limit)`));
  }
  return problems;
};

/** What Kubernetes cannot honour: sizes below what a container can run in. */
const kubernetes: Rule<ServiceClusterSpec> = (scope, s) => [
  ...grammarProblem(scope, 'cpu', kubernetesCpuProblem(s.cpu), s.cpu, `use at least ${MIN_KUBERNETES_CPU} (${MIN_KUBERNETES_CPU * 1000}m) in steps of 0.001`),
  ...grammarProblem(scope, 'memory', kubernetesMemoryProblem(s.memoryMiB), `${s.memoryMiB} MiB`, `use at least ${MIN_KUBERNETES_MEMORY_MIB} MiB in whole MiB`),
];

const COMMON_RULES = [serviceName, pinnedImage, ports, replicas, scalingTargets, resources, health, shutdown, environment, user, canarySteps];

/** Every problem with `spec` on `target`. */
export function validateServiceCluster(scope: IConstruct, spec: ServiceClusterSpec, target: PlatformTarget): string[] {
  const rules = target === PlatformTarget.AWS ? [...COMMON_RULES, fargate, awsCanarySteps] : [...COMMON_RULES, kubernetes];
  return runRules(scope, spec, rules);
}

/** Reduced availability that the development profile allows, as warnings (production allows a single replica silently). */
export function serviceClusterWarnings(spec: ServiceClusterSpec, profile: PlatformProfile): ProfileWarning[] {
  return profile.allowsReducedAvailability && spec.minReplicas === 1 ? [reducedAvailabilityWarning('service-cluster', 'minReplicas', 1,
    'a node or zone failure stops the service until a replacement starts', 'at least 2')] : [];
}
