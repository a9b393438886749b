/**
 * Line-oriented configuration files: redis.conf, sentinel.conf and haproxy.cfg. Their generators
 * write only names the constructs validated (DNS labels, numbers, addresses) — these functions
 * refuse anything else, so a grammar check that is later loosened cannot turn a name into a
 * directive.
 */

/**
 * A bare word of redis.conf/sentinel.conf or haproxy.cfg: the characters haproxy allows in an
 * identifier (letters, digits, `_`, `.`, `:`, `-`), which also covers host:port addresses.
 */
export function configWord(value: string): string {
  if (!/^[A-Za-z0-9_.:-]+$/.test(value)) throw new Error(`configWord: ${JSON.stringify(value)} is not a bare configuration word`);
  return value;
}

/** `text` as the body of a `#` comment line: no line breaks, and no other control character (haproxy refuses a NUL even in a comment). */
export function configComment(text: string): string {
  return text.replace(/[\0-\x1f\x7f\u2028\u2029]+/g, ' ');
}

/** A file path as a bare word of redis.conf/sentinel.conf or haproxy.cfg: a configuration word that may also hold `/`. */
export function configPath(value: string): string {
  if (!/^[A-Za-z0-9_.:/-]+$/.test(value)) throw new Error(`configPath: ${JSON.stringify(value)} is not a bare configuration path`);
  return value;
}
