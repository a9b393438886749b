/**
 * POSIX shell (`sh -c`, ECS `CMD-SHELL`, the scripts of our Jobs and start-ups). A user string is
 * one single-quoted word: inside single quotes nothing is special, and a quote is written as
 * `'\''` (close, escaped quote, reopen).
 */

/** `value` as one shell word that expands to exactly `value`. NUL cannot be passed to a program: refused. */
export function shellQuote(value: string): string {
  if (value.includes('\0')) throw new Error('shellQuote: a NUL character cannot be part of a shell word');
  return `'${value.replace(/'/g, '\'\\\'\'')}'`;
}

/** `text` as the body of a `#` comment: line breaks would end the comment and start a command. */
export function shellComment(text: string): string {
  return text.replace(/[\0-\x1f\x7f\u2028\u2029]+/g, ' ');
}
