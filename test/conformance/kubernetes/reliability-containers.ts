/**
 * Per-container / per-object reliability and hygiene rules (kube-linter / kube-score defaults in spirit).
 * Each takes the whole manifest list so that all reliability rules share one signature.
 */
import { Rule, Violation, joinPath, objectId } from './types';
import { ContainerRef, LONG_RUNNING_KINDS, PodTemplate, containersOf, podTemplatesOf } from './workloads';

export type ReliabilityRule = Rule<readonly any[]>;

const at = (object: string, path: string, problem: string): Violation => ({ object, path, message: `${path}: ${problem}` });

/** Runs `check` on every container (of the given lists) of every pod template in the list. */
function eachContainer(
  manifests: readonly any[],
  lists: readonly ContainerRef['list'][],
  check: (c: ContainerRef, pod: PodTemplate) => Violation[],
  filter: (pod: PodTemplate) => boolean = () => true,
): Violation[] {
  return podTemplatesOf(manifests).filter(filter).flatMap((pod) => containersOf(pod, lists).flatMap((c) => check(c, pod)));
}

export const probes: ReliabilityRule = {
  id: 'Reliability-Probes',
  description: 'long-running workloads (Deployment, StatefulSet, DaemonSet) have readiness and liveness probes on every container',
  check: (manifests) => eachContainer(manifests, ['containers'], (c, pod) => ['readinessProbe', 'livenessProbe']
    .filter((probe) => !c.container[probe])
    .map((probe) => at(pod.object, joinPath(c.path, probe), `container "${c.container.name}" has no ${probe}`)),
  (pod) => LONG_RUNNING_KINDS.has(pod.owner.kind)),
};

export const resources: ReliabilityRule = {
  id: 'Reliability-Resources',
  description: 'every container (including init containers) requests cpu and memory and limits memory',
  check: (manifests) => eachContainer(manifests, ['containers', 'initContainers'], (c, pod) => {
    const r = c.container.resources ?? {};
    const missing = [
      r.requests?.cpu === undefined && 'requests.cpu',
      r.requests?.memory === undefined && 'requests.memory',
      r.limits?.memory === undefined && 'limits.memory',
    ].filter((m): m is string => typeof m === 'string');
    return missing.length ? [at(pod.object, joinPath(c.path, 'resources'), `container "${c.container.name}" is missing ${missing.join(', ')}`)] : [];
  }),
};

export const imagePinned: ReliabilityRule = {
  id: 'Reliability-ImagePinned',
  description: 'images carry an explicit tag other than latest, or a sha256 digest',
  check: (manifests) => eachContainer(manifests, ['containers', 'initContainers', 'ephemeralContainers'], (c, pod) => {
    const problem = imageProblem(c.container.image);
    return problem ? [at(pod.object, joinPath(c.path, 'image'), problem)] : [];
  }),
};

// Reference-style names (DB_PASSWORD_FILE=/var/run/secrets/db, DB_SECRET_NAME=db-credentials)
// point at a credential rather than hold one, so they are exempt.
const CREDENTIAL_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY/i;
const REFERENCE_SUFFIX = /_(FILE|PATH|ARN|NAME)$/i;

export const plainCredentialEnv: ReliabilityRule = {
  id: 'Reliability-PlainCredentialEnv',
  description: 'credential-looking env vars (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, ACCESS_KEY) use valueFrom, never a literal value',
  check: (manifests) => eachContainer(manifests, ['containers', 'initContainers', 'ephemeralContainers'], (c, pod) => ((c.container.env ?? []) as any[])
    .map((env, i) => ({ env, path: joinPath(c.path, 'env', i, 'value') }))
    .filter(({ env }) => typeof env?.name === 'string' && CREDENTIAL_NAME.test(env.name) && !REFERENCE_SUFFIX.test(env.name)
      && typeof env.value === 'string' && env.value !== '')
    .map(({ env, path }) => at(pod.object, path, `env var ${env.name} holds a literal credential; use valueFrom.secretKeyRef`))),
};

export const noSecretValues: ReliabilityRule = {
  id: 'Reliability-NoSecretValues',
  description: 'Secret objects never carry data or stringData (credential values must not be synthesized)',
  check: (manifests) => manifests
    .filter((m) => m?.apiVersion === 'v1' && m?.kind === 'Secret')
    .flatMap((secret) => ['data', 'stringData']
      .filter((field) => secret[field] && Object.keys(secret[field]).length > 0)
      .map((field) => at(objectId(secret), field, `Secret carries ${Object.keys(secret[field]).length} value(s); credentials must be provisioned out of band`))),
};

/** Why an image reference is not reproducible, or undefined when it is pinned. */
export function imageProblem(image: unknown): string | undefined {
  if (typeof image !== 'string' || image === '') return 'has no image';
  const digestAt = image.indexOf('@');
  if (digestAt >= 0) return /^sha256:[0-9a-f]{64}$/.test(image.slice(digestAt + 1)) ? undefined : `"${image}" has a malformed digest (expected @sha256:<64 hex>)`;
  // A colon before the last "/" is a registry port (registry:5000/app), not a tag.
  const tagStart = image.indexOf(':', image.lastIndexOf('/') + 1);
  if (tagStart < 0) return `"${image}" has no tag (implicitly :latest); pin a version or digest`;
  if (image.slice(tagStart + 1) === 'latest') return `"${image}" uses the mutable :latest tag; pin a version or digest`;
  return undefined;
}
