import { IConstruct } from 'constructs';
import { invalidPropMessage } from './errors';
import { credentialInValue, credentialName } from './grammar/credential';
import { isPinnedImageReference } from './grammar/image-reference';
import { isQualifiedName, QUALIFIED_NAME_HINT } from './grammar/kubernetes-names';

/** A validation rule: a small pure function that returns problems (empty when the input is valid). */
export type Rule<T> = (scope: IConstruct, input: T) => string[];

/** Runs every rule and gathers every problem. */
export function runRules<T>(scope: IConstruct, input: T, rules: readonly Rule<T>[]): string[] {
  return rules.flatMap(rule => rule(scope, input));
}

/** The message of `problem` (from a grammar module) for `prop`, or nothing when there is none. */
export function grammarProblem(scope: IConstruct, prop: string, problem: string | undefined, received: unknown, valid: string): string[] {
  return problem === undefined ? [] : [invalidPropMessage(scope, prop, problem, received, valid)];
}

/** Annotation (or label) keys that the Kubernetes API server accepts. */
export function annotationKeyProblems(scope: IConstruct, prop: string, annotations: { [key: string]: string } | undefined): string[] {
  return Object.keys(annotations ?? {}).filter(key => !isQualifiedName(key)).map(key =>
    invalidPropMessage(scope, prop, 'has an invalid annotation key', key, QUALIFIED_NAME_HINT));
}

/** `value` is an integer in [min, max]. */
export function integerInRange(scope: IConstruct, prop: string, value: number | undefined, min: number, max: number): string[] {
  if (value === undefined || (Number.isInteger(value) && value >= min && value <= max)) return [];
  return [invalidPropMessage(scope, prop, 'is out of range', value, `use an integer from ${min} to ${max}`)];
}

/** `value` is a number in (min, max]. */
export function numberAbove(scope: IConstruct, prop: string, value: number | undefined, min: number, max: number): string[] {
  if (value === undefined || (Number.isFinite(value) && value > min && value <= max)) return [];
  return [invalidPropMessage(scope, prop, 'is out of range', value, `use a number greater than ${min} and at most ${max}`)];
}

/**
 * What a plain environment variable would leak, or undefined: a value in a credential format, or a
 * non-empty value under a credential's name.
 */
export function credentialProblem(name: string, value: string): string | undefined {
  if (value === '') return undefined;
  const kind = credentialInValue(value);
  if (kind) return `holds ${kind} as plain text`;
  return credentialName(name) ? 'is named like a credential but passed as plain text' : undefined;
}

/** Whether an image reference is valid and pinned: a tag other than `latest`, or a sha256 digest. */
export function isPinnedImage(image: string): boolean {
  return isPinnedImageReference(image);
}
