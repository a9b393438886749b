import { IConstruct } from 'constructs';
import { invalidPropMessage } from './errors';

/** A validation rule: a small pure function that returns problems (empty when the input is valid). */
export type Rule<T> = (scope: IConstruct, input: T) => string[];

/** Runs every rule and gathers every problem. */
export function runRules<T>(scope: IConstruct, input: T, rules: readonly Rule<T>[]): string[] {
  return rules.flatMap(rule => rule(scope, input));
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

const CREDENTIAL_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL)/i;
const CREDENTIAL_VALUE = [
  /AKIA[0-9A-Z]{16}/, // AWS access key id
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /^(ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}$/, // GitHub tokens
  /^xox[abposr]-[A-Za-z0-9-]{10,}$/, // Slack tokens
  /:\/\/[^/\s:@]+:[^/\s@]+@/, // URL with embedded user:password
];

/** Whether a plain environment variable looks like a credential (by its name or its value). */
export function looksLikeCredential(name: string, value: string): boolean {
  if (value === '') return false;
  return CREDENTIAL_NAME.test(name) || CREDENTIAL_VALUE.some(pattern => pattern.test(value));
}

/** Whether an image reference is pinned: a tag other than `latest`, or a digest. */
export function isPinnedImage(image: string): boolean {
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return true;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon < 0) return false;
  const tag = lastSegment.slice(colon + 1);
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag) && tag !== 'latest';
}
