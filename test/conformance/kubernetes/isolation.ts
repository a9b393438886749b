/**
 * Isolation between constructs: every object one construct emits is its own, and every selector it
 * emits picks only its own pods. A construct's identity is its owner label (set by the platform's
 * label helpers from the construct's path).
 */
import { Finding, objectId } from './types';
import { isNonEmptySelector, labelSelectorMatches, mapSelectorMatches, podTemplatesOf } from './workloads';

/** The label the platform puts on every object and in every selector of a construct. */
export const OWNER_LABEL = 'cdk-portable-platform.io/owner';
const MANAGED_BY = 'cdk-portable-platform';

interface Selecting {
  readonly obj: any;
  readonly path: string;
  readonly selector: any;
  readonly matches: (labels: Record<string, string>) => boolean;
  readonly nonEmpty: boolean;
}

/** Selectors that decide which pods an object acts on: a Service's, a NetworkPolicy's, a PDB's. */
function selectingObjects(manifests: readonly any[]): Selecting[] {
  return manifests.flatMap((obj): Selecting[] => {
    if (obj?.kind === 'Service' && obj.spec?.selector) {
      const selector = obj.spec.selector;
      return [{ obj, path: 'spec.selector', selector, matches: l => mapSelectorMatches(selector, l), nonEmpty: Object.keys(selector).length > 0 }];
    }
    const path = obj?.kind === 'NetworkPolicy' ? 'spec.podSelector' : obj?.kind === 'PodDisruptionBudget' ? 'spec.selector' : undefined;
    if (!path) return [];
    const selector = path === 'spec.podSelector' ? obj.spec?.podSelector : obj.spec?.selector;
    return [{ obj, path, selector, matches: l => labelSelectorMatches(selector, l), nonEmpty: isNonEmptySelector(selector) }];
  });
}

/**
 * A platform object's selector must carry its construct's owner label, and must match no pod of
 * another construct. A selector that selects every pod (`{}`, the namespace's default deny) is
 * namespace-wide by design and exempt.
 */
export function checkSelectorIsolation(manifests: readonly any[]): Finding[] {
  const pods = podTemplatesOf(manifests);
  const findings: Finding[] = [];
  for (const { obj, path, selector, matches, nonEmpty } of selectingObjects(manifests)) {
    if (!nonEmpty || platformWide(selector)) continue;
    const owner: string | undefined = obj.metadata?.labels?.[OWNER_LABEL];
    const managed = obj.metadata?.labels?.['app.kubernetes.io/managed-by'] === MANAGED_BY;
    const required = obj.kind === 'Service' ? selector : selector.matchLabels ?? {};
    if (managed && owner !== undefined && required[OWNER_LABEL] !== owner) {
      findings.push({
        rule: 'Isolation-SelectorOwner',
        object: objectId(obj),
        path,
        message: `${path} does not require ${OWNER_LABEL}=${owner}: pods of another construct with the same labels would be selected`,
      });
    }
    const foreign = pods.filter(p => p.namespace === (obj.metadata?.namespace || 'default') && matches(p.labels) && p.labels[OWNER_LABEL] !== owner);
    for (const pod of foreign) {
      findings.push({
        rule: 'Isolation-SelectorCrossesConstructs',
        object: objectId(obj),
        path,
        message: `${path} selects the pods of ${pod.object}, which belong to another construct (owner ${pod.labels[OWNER_LABEL] ?? '<unset>'}, not ${owner ?? '<unset>'})`,
      });
    }
  }
  return findings;
}

const PLATFORM_WIDE_KEYS: ReadonlySet<string> = new Set(['app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by']);

/**
 * A selector naming no component, only the platform (its default deny in a namespace it shares):
 * it covers every construct's pods by design.
 */
function platformWide(selector: any): boolean {
  const labels = selector?.matchLabels ?? {};
  const keys = Object.keys(labels);
  return (selector?.matchExpressions ?? []).length === 0 && keys.length > 0 && keys.every(k => PLATFORM_WIDE_KEYS.has(k));
}
