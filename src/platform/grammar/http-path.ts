/**
 * An HTTP request target in origin form (RFC 9112 §3.2.1): an absolute path of RFC 3986 `pchar`s
 * and `/`, then an optional `?query`. No spaces, control characters or non-ASCII: an HTTP client
 * sends those percent-encoded, so a path that contains them raw is never what a probe requests.
 */
const ORIGIN_FORM = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*(\?[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?$/;

export function isHttpRequestPath(value: string): boolean {
  return ORIGIN_FORM.test(value) && !/%(?![0-9A-Fa-f]{2})/.test(value);
}

/** What `isHttpRequestPath` accepts, for error messages. */
export const HTTP_REQUEST_PATH_HINT = 'use an absolute path such as "/healthz" or "/healthz?full=1" (URL characters only, no spaces; percent-encode the rest)';
