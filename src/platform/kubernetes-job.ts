import { createHash } from 'crypto';

/** How long Kubernetes keeps a finished Job (its pods and logs) before deleting it. */
export const FINISHED_JOB_TTL_SECONDS = 7 * 24 * 3600;

/**
 * `<base>-<8 hex>`, hashed from a Job's whole pod template and the files it runs (mounted from a
 * ConfigMap, so not in the template). A Job's template is immutable: a change under the same name
 * makes `kubectl apply` fail for as long as the old Job exists, so every change gets a new name.
 */
export function jobName(base: string, podTemplate: unknown, files: Record<string, string> = {}): string {
  const hash = createHash('sha256').update(stableJson(podTemplate)).update('\0').update(stableJson(files)).digest('hex');
  return `${base}-${hash.slice(0, 8)}`;
}

/** JSON with object keys sorted: the same content gives the same text whatever the insertion order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The spec of a scheduled backup CronJob: `schedule` in UTC, never two runs at once, a missed run
 * started up to 10 minutes late, the last three successful and failed Jobs kept for inspection.
 * The data stores' backups share it, so they behave alike.
 */
export function scheduledJobSpec<J>(schedule: string, labels: Record<string, string>, jobSpec: J) {
  return {
    schedule,
    timeZone: 'Etc/UTC',
    concurrencyPolicy: 'Forbid',
    startingDeadlineSeconds: 600,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 3,
    jobTemplate: { metadata: { labels }, spec: jobSpec },
  };
}
