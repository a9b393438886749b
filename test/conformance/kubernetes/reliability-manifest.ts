/**
 * Rules over the manifest as a whole, about applying it and operating it.
 */
import { CLUSTER_SCOPED_KINDS, Finding, objectId } from './types';

/** `kubectl apply` refuses a manifest that defines one object twice (group, kind, namespace, name). */
export function checkDuplicateObjects(manifests: readonly any[]): Finding[] {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const obj of manifests) {
    const group = String(obj?.apiVersion ?? '').split('/').slice(0, -1).join('/');
    const key = `${group}/${obj?.kind} ${obj?.metadata?.namespace ?? 'default'}/${obj?.metadata?.name}`;
    if (seen.has(key)) {
      findings.push({ rule: 'Reliability-DuplicateObject', object: objectId(obj), message: 'is defined more than once: kubectl apply would fail or keep only one' });
    }
    seen.add(key);
  }
  return findings;
}

/** A PodDisruptionBudget allowing no eviction blocks every node drain (kube-linter's pdb-max-unavailable). */
export function checkBlockingDisruptionBudgets(manifests: readonly any[]): Finding[] {
  return manifests
    .filter(o => o?.kind === 'PodDisruptionBudget' && (o.spec?.maxUnavailable === 0 || o.spec?.maxUnavailable === '0%'))
    .map(o => ({
      rule: 'Reliability-PdbBlocksEviction',
      object: objectId(o),
      path: 'spec.maxUnavailable',
      message: 'allows no voluntary eviction: node drains hang; allow at least one',
    }));
}

/**
 * A cluster-scoped object (a Namespace, say) must not carry `metadata.namespace`: the API server
 * drops it, so GitOps diffs never settle and clients that build the URL from it address the wrong path.
 */
export function checkClusterScopedNamespaces(manifests: readonly any[]): Finding[] {
  return manifests
    .filter(o => CLUSTER_SCOPED_KINDS.has(o?.kind) && o.metadata?.namespace !== undefined)
    .map(o => ({
      rule: 'Reliability-ClusterScopedNamespace',
      object: objectId(o),
      path: 'metadata.namespace',
      message: `is cluster-scoped but sets namespace "${o.metadata.namespace}": the API server drops it and diffs never settle; remove it`,
    }));
}

/**
 * A finished Job stays until someone deletes it; while it does, a changed pod template under the
 * same name cannot be applied (the template is immutable). Every Job needs
 * `ttlSecondsAfterFinished`; a CronJob's Jobs need it or both history limits.
 */
export function checkJobLifetimes(manifests: readonly any[]): Finding[] {
  const findings: Finding[] = [];
  for (const o of manifests) {
    if (o?.kind === 'Job' && o.spec?.ttlSecondsAfterFinished === undefined) {
      findings.push({
        rule: 'Reliability-JobTtl',
        object: objectId(o),
        path: 'spec.ttlSecondsAfterFinished',
        message: 'is not set: the finished Job is kept forever and blocks applying a changed template under its name',
      });
    }
    const cron = o?.kind === 'CronJob' ? o.spec : undefined;
    if (cron && cron.jobTemplate?.spec?.ttlSecondsAfterFinished === undefined
      && (cron.successfulJobsHistoryLimit === undefined || cron.failedJobsHistoryLimit === undefined)) {
      findings.push({
        rule: 'Reliability-JobTtl',
        object: objectId(o),
        path: 'spec.jobTemplate.spec.ttlSecondsAfterFinished',
        message: 'is not set and the history limits are not both set: finished Jobs pile up',
      });
    }
  }
  return findings;
}
