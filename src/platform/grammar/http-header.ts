/**
 * HTTP header values and tokens (RFC 9110 §5.5, §5.6.2): a field value is visible ASCII, spaces
 * and tabs — a CR or LF would end the header and start another one (response splitting).
 */
const FIELD_VALUE = /^[\x21-\x7e]([\x20-\x7e\t]*[\x21-\x7e])?$/;

export function isHeaderValue(value: string): boolean {
  return FIELD_VALUE.test(value);
}

/** The Referrer-Policy tokens of the W3C Referrer Policy specification. */
export const REFERRER_POLICIES = [
  'no-referrer', 'no-referrer-when-downgrade', 'origin', 'origin-when-cross-origin', 'same-origin',
  'strict-origin', 'strict-origin-when-cross-origin', 'unsafe-url',
];

/** A Referrer-Policy value: one token, or a comma list (browsers use the last one they know). */
export function isReferrerPolicy(value: string): boolean {
  return value.split(',').every(token => REFERRER_POLICIES.includes(token.trim()));
}

/** Request methods of RFC 9110 §9 and PATCH (RFC 5789). */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE'];

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_|~-]+$/;

/** An HTTP field name: a token (RFC 9110 §5.1). */
export function isHeaderName(value: string): boolean {
  return HEADER_NAME.test(value);
}
