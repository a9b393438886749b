/**
 * Notification addresses. Both are written into Alertmanager fields it evaluates as Go templates;
 * the grammars keep them to what Slack and SMTP accept, and the renderer escapes them as well.
 */

/** A Slack channel (`#name`: lowercase letters, digits, `-`, `_`, up to 80), a user (`@name`) or a channel ID. */
const SLACK_CHANNEL = /^(#[a-z0-9_-][a-z0-9._-]{0,79}|@[A-Za-z0-9._-]{1,80}|[CGD][A-Z0-9]{8,20})$/;

export function isSlackChannel(value: string): boolean {
  return SLACK_CHANNEL.test(value);
}

/**
 * An email address with a dot-atom local part and a DNS domain (RFC 5322 §3.4.1 without quoted
 * local parts, comments or domain literals), optionally as `Name <address>` with a plain name.
 */
const DOT_ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`|~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`|~-]+)*";
const DOMAIN = '([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}';
const ADDRESS = `${DOT_ATOM}@${DOMAIN}`;
const EMAIL = new RegExp(`^(${ADDRESS}|[A-Za-z0-9 ._-]{1,64} <${ADDRESS}>)$`);

export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/** `host:port` of an SMTP relay. */
export function isHostPort(value: string): boolean {
  const m = /^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*):(\d{1,5})$/.exec(value);
  return m !== null && Number(m[5]) >= 1 && Number(m[5]) <= 65535;
}
