/**
 * Go text/template, the language of every file Traefik's file provider reads (it evaluates each
 * dynamic-configuration file as a template before parsing the YAML) and of Alertmanager's
 * notification fields.
 *
 * Every string of such a file is data except the environment references we write ourselves, so the
 * renderer escapes every string and every key, and only a `GoTemplateEnv` value becomes an action.
 */

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** An environment reference, `{{ env "NAME" }}`: the only template code a generated file may hold. */
export class GoTemplateEnv {
  constructor(public readonly variable: string) {
    if (!ENV_NAME.test(variable)) throw new Error(`GoTemplateEnv: ${JSON.stringify(variable)} is not an environment variable name`);
  }

  /** As JSON (for inspection), the action text. */
  public toJSON(): string {
    return this.toString();
  }

  public toString(): string {
    return `{{ env "${this.variable}" }}`;
  }
}

/**
 * `value` as template text that evaluates to exactly `value`. Only `{{` opens an action, so each
 * one becomes an action printing `{{` as a raw string: backquotes and braces are never escaped by
 * a YAML emitter (a `"{{"` literal would become `\"{{\"` inside a double-quoted scalar), and the
 * action has no whitespace a line fold could split.
 */
export function goTemplateText(value: string): string {
  return value.replace(/\{\{/g, '{{`{{`}}');
}

/**
 * A copy of a configuration tree whose strings and keys are template text for themselves, and whose
 * `GoTemplateEnv` values are their actions. Other values (numbers, booleans, null) are unchanged.
 */
export function goTemplateTree(value: unknown): unknown {
  if (value instanceof GoTemplateEnv) return value.toString();
  if (typeof value === 'string') return goTemplateText(value);
  if (Array.isArray(value)) return value.map(goTemplateTree);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [goTemplateText(k), goTemplateTree(v)]));
  }
  return value;
}
