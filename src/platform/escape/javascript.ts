/**
 * JavaScript, the language of the mongosh scripts. A value is embedded as a JSON literal (JSON is
 * a subset of JavaScript expressions since ES2019), with U+2028/U+2029 escaped for older parsers;
 * text in a `//` comment keeps to one line.
 */

/** `value` as a JavaScript expression that evaluates to an equal value. */
export function jsLiteral(value: unknown, indent?: number): string {
  const json = JSON.stringify(value, undefined, indent);
  if (json === undefined) throw new Error('jsLiteral: the value has no JSON form');
  return json.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** `text` as the body of a `//` comment: a line break would end the comment and start code. */
export function jsComment(text: string): string {
  return text.replace(/[\0-\x1f\x7f\u2028\u2029]+/g, ' ');
}
