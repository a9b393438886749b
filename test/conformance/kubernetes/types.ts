/** One rule violation on one object. `message` is self-contained (it starts with the path when there is one). */
export interface Finding {
  readonly rule: string;
  /** e.g. "apps/v1/Deployment default/api" */
  readonly object: string;
  readonly path?: string;
  readonly message: string;
}

/** A finding before the runner stamps the rule id on it. */
export type Violation = Omit<Finding, 'rule'>;

/** cdk-nag style rule: an id, a one-line description, and a pure check. */
export interface Rule<T> {
  readonly id: string;
  readonly description: string;
  readonly check: (input: T) => Violation[];
}

export function runRules<T>(rules: readonly Rule<T>[], input: T): Finding[] {
  return rules.flatMap((rule) => rule.check(input).map((v) => ({ rule: rule.id, ...v })));
}

/** Built-in kinds that live outside any namespace. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass',
  'PriorityClass', 'IngressClass', 'CustomResourceDefinition', 'RuntimeClass',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService',
]);

/** Objects without metadata.namespace land in "default" (what kubectl apply would do). */
export function namespaceOf(obj: any): string {
  return obj?.metadata?.namespace || 'default';
}

/** "apps/v1/Deployment default/api" */
export function objectId(obj: any): string {
  const name = obj?.metadata?.name ?? '<unnamed>';
  // cluster-scoped objects are shown without a namespace so the id is not misleading
  const scoped = CLUSTER_SCOPED_KINDS.has(obj?.kind) ? name : `${namespaceOf(obj)}/${name}`;
  return `${obj?.apiVersion ?? '<no apiVersion>'}/${obj?.kind ?? '<no kind>'} ${scoped}`;
}

/** JSON-path-ish segment: `a.b`, or `a["app.kubernetes.io/name"]` for keys that are not identifiers. */
export function joinPath(base: string, ...keys: (string | number)[]): string {
  let path = base;
  for (const key of keys) {
    if (typeof key === 'number') path = `${path}[${key}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(key)) path = path ? `${path}.${key}` : key;
    else path = `${path}[${JSON.stringify(key)}]`;
  }
  return path;
}

export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
