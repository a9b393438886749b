/** Kubernetes label selectors, as the API server applies them. */

/** metav1.LabelSelector semantics: `{}` selects everything, undefined or null selects nothing. */
export function labelSelectorMatches(selector: any, labels: Record<string, string>): boolean {
  if (!isPlainObject(selector)) return false;
  const exact = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return exact && (selector.matchExpressions ?? []).every((e: any) => expressionMatches(e, labels));
}

function expressionMatches(expr: any, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, expr.key);
  const values: string[] = expr.values ?? [];
  switch (expr.operator) {
    case 'In': return has && values.includes(labels[expr.key]);
    case 'NotIn': return !has || !values.includes(labels[expr.key]);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    default: return false; // unknown operator: the API server would reject it; never match
  }
}

export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
