/** Shared helpers: where pod templates live in each workload kind, container iteration, label selectors. */
import { isPlainObject, joinPath, namespaceOf, objectId } from './types';
import { labelSelectorMatches } from '../../../src/platform/access/label-selector';
import { podTemplatePath } from '../../../src/platform/access/workloads';

/** The library's own selector semantics, shared with its access evaluation. */
export { labelSelectorMatches };

/**
 * Path from the object root to its PodTemplateSpec-like node ({ metadata, spec }): the library's own
 * table of kinds that run pods, plus PodTemplate, which holds a template without running it.
 */
function podTemplateSegments(obj: any): readonly string[] | undefined {
  if (obj?.apiVersion === 'v1' && obj?.kind === 'PodTemplate') return ['template'];
  return podTemplatePath(obj);
}

/** Kinds whose pods are expected to run forever (probes, disruption budgets make sense). */
export const LONG_RUNNING_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Rollout']);

export interface PodTemplate {
  /** The manifest that owns the template. */
  readonly owner: any;
  readonly object: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** Pod spec and its path from the manifest root, e.g. "spec.template.spec". */
  readonly spec: Record<string, any>;
  readonly specPath: string;
  readonly metadataPath: string;
}

export interface ContainerRef {
  readonly container: Record<string, any>;
  readonly path: string;
  readonly list: 'containers' | 'initContainers' | 'ephemeralContainers';
}

/** The pod template of a pod-bearing manifest, or undefined for everything else. */
export function podTemplateOf(obj: any): PodTemplate | undefined {
  const segments = podTemplateSegments(obj);
  if (!segments) return undefined;
  let node: any = obj;
  for (const segment of segments) node = node?.[segment];
  if (!isPlainObject(node)) return undefined;
  const base = joinPath('', ...segments);
  return {
    owner: obj,
    object: objectId(obj),
    namespace: namespaceOf(obj),
    labels: node.metadata?.labels ?? {},
    annotations: node.metadata?.annotations ?? {},
    spec: isPlainObject(node.spec) ? node.spec : {},
    specPath: joinPath(base, 'spec'),
    metadataPath: joinPath(base, 'metadata'),
  };
}

export function podTemplatesOf(manifests: readonly any[]): PodTemplate[] {
  return manifests.map(podTemplateOf).filter((t): t is PodTemplate => t !== undefined);
}

/** Regular, init and ephemeral containers, each with its path for messages. */
export function containersOf(pod: PodTemplate, lists: readonly ContainerRef['list'][] = ['containers', 'initContainers', 'ephemeralContainers']): ContainerRef[] {
  return lists.flatMap((list) => {
    const items: unknown = pod.spec[list];
    if (!Array.isArray(items)) return [];
    return items.filter(isPlainObject).map((container, i) => ({ container, list, path: joinPath(pod.specPath, list, i) }));
  });
}

/** Service-style selector: every key/value must be present. An empty map selects nothing. */
export function mapSelectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!isPlainObject(selector) || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** True when the selector has at least one requirement (i.e. it does not select every pod). */
export function isNonEmptySelector(selector: any): boolean {
  return isPlainObject(selector) && (Object.keys(selector.matchLabels ?? {}).length > 0 || (selector.matchExpressions ?? []).length > 0);
}
