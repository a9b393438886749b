import { IConstruct } from 'constructs';

/**
 * Formats a synth-time validation message: construct path, prop, value received, what is valid.
 *
 * e.g. `App/Stack/Api: minReplicas must not exceed maxReplicas (got 5): set maxReplicas ≥ 5`
 */
export function invalidPropMessage(scope: IConstruct, prop: string, problem: string, received: unknown, valid: string): string {
  return `${scope.node.path}: ${prop} ${problem} (got ${describe(received)}): ${valid}`;
}

/** Thrown for props that cannot be rendered; the message names path, prop, value and what is valid. */
export class PlatformValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlatformValidationError';
  }
}

/** Throws one error listing every problem, so a user fixes them in one pass. */
export function throwIfInvalid(problems: readonly string[]): void {
  if (problems.length === 1) throw new PlatformValidationError(problems[0]);
  if (problems.length > 1) {
    throw new PlatformValidationError(`${problems.length} problems:\n  - ${problems.join('\n  - ')}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
