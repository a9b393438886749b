import { IConstruct } from 'constructs';
import { invalidPropMessage } from '../platform/errors';
import { isQualifiedName, QUALIFIED_NAME_HINT } from '../platform/grammar/kubernetes-names';

/** Label key prefixes the platform sets itself: selectors and ownership depend on them. */
const RESERVED_PREFIXES = ['app.kubernetes.io/', 'cdk-portable-platform.io/'];
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** Problems with `podLabels` (Kubernetes label grammar, which ECS tags also accept) and `podAnnotations`. Pure. */
export function podMetadataProblems(scope: IConstruct, labels: Record<string, string>, annotations: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [prop, entries] of [['podLabels', labels], ['podAnnotations', annotations]] as const) {
    for (const [key, value] of Object.entries(entries)) {
      if (!isQualifiedName(key)) {problems.push(invalidPropMessage(scope, prop, 'has an invalid key', key, QUALIFIED_NAME_HINT));} else if (RESERVED_PREFIXES.some(prefix => key.startsWith(prefix))) {
        problems.push(invalidPropMessage(scope, prop, 'has a key the platform sets itself', key, `use a prefix other than ${RESERVED_PREFIXES.join(' and ')}`));
      }
      if (prop === 'podLabels' && !LABEL_VALUE.test(value)) {
        problems.push(invalidPropMessage(scope, `podLabels.${key}`, 'is not a label value', value,
          'use at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit (or "")'));
      }
    }
  }
  return problems;
}
