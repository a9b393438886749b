/**
 * Kubernetes half of the conformance harness: strict schema, Pod Security "restricted" and
 * reliability rules over synthesized manifests (e.g. `Testing.synth(chart)`).
 */
import { isKnownCustomResource, validateCustomResource } from './custom-resources';
import { checkSelectorIsolation } from './isolation';
import { checkPodSecurity } from './pod-security';
import { checkReliability } from './reliability';
import { checkBlockingDisruptionBudgets, checkClusterScopedNamespaces, checkDuplicateObjects, checkJobLifetimes } from './reliability-manifest';
import { validateAgainstSchema } from './schema';
import { Finding, objectId } from './types';

export * from './types';
export * from './schema';
export * from './pod-security';
export * from './reliability';
export * from './reliability-manifest';
export * from './workloads';
export * from './isolation';
export * from './custom-resources';

export interface KubernetesConformanceReport {
  readonly objects: number;
  readonly findings: Finding[];
  readonly byValidator: Record<'schema' | 'podSecurity' | 'reliability', number>;
}

export interface KubernetesConformanceOptions {
  /** Rule ids to ignore, e.g. ["Reliability-NetworkPolicy"]. */
  readonly skipRules?: string[];
}

export function checkKubernetesManifests(manifests: any[], options: KubernetesConformanceOptions = {}): KubernetesConformanceReport {
  const skip = new Set(options.skipRules ?? []);
  const keep = (findings: Finding[]): Finding[] => findings.filter((f) => !skip.has(f.rule));
  // Objects of a kind with a stored CRD against it (crds/); everything else against Kubernetes 1.27.
  const schema = keep(manifests.flatMap(o => [
    ...isKnownCustomResource(o) ? validateCustomResource(o) : validateAgainstSchema(o),
    ...checkObjectSize(o),
  ]));
  const podSecurity = keep(manifests.flatMap(checkPodSecurity));
  const reliability = keep([
    ...checkReliability(manifests),
    ...checkDuplicateObjects(manifests),
    ...checkBlockingDisruptionBudgets(manifests),
    ...checkClusterScopedNamespaces(manifests),
    ...checkJobLifetimes(manifests),
    ...checkSelectorIsolation(manifests),
  ]);
  return {
    objects: manifests.length,
    findings: [...schema, ...podSecurity, ...reliability],
    byValidator: { schema: schema.length, podSecurity: podSecurity.length, reliability: reliability.length },
  };
}

/** Like checkKubernetesManifests, but throws one Error listing every finding (one per line). */
export function expectKubernetesConformance(manifests: any[], options: KubernetesConformanceOptions = {}): KubernetesConformanceReport {
  const report = checkKubernetesManifests(manifests, options);
  if (report.findings.length > 0) {
    throw new Error(`${report.findings.length} Kubernetes conformance finding(s) in ${report.objects} object(s):\n${formatFindings(report.findings)}`);
  }
  return report;
}

/**
 * The isolation rules alone (no duplicate kind/namespace/name; no selector reaching another
 * construct's pods): cheap enough to run on every manifest any Kubernetes test synthesizes.
 */
export function expectIsolatedConstructs(manifests: any[]): void {
  const findings = [...checkDuplicateObjects(manifests), ...checkSelectorIsolation(manifests)];
  if (findings.length > 0) throw new Error(`${findings.length} isolation finding(s):\n${formatFindings(findings)}`);
}

/** A ConfigMap or Secret holds at most 1 MiB, and etcd refuses larger requests: split what grows. */
export const MAX_OBJECT_BYTES = 1024 * 1024;

export function checkObjectSize(obj: any): Finding[] {
  const bytes = Buffer.byteLength(JSON.stringify(obj));
  if (bytes <= MAX_OBJECT_BYTES) return [];
  return [{ rule: 'Schema-ObjectSize', object: objectId(obj), message: `is ${bytes} bytes: an object must stay within ${MAX_OBJECT_BYTES} bytes (1 MiB); split it` }];
}

export function formatFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `[${f.rule}] ${f.object}: ${f.message}`).join('\n');
}
