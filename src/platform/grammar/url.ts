/**
 * An absolute http(s) URL as RFC 3986 writes it: printable ASCII without the characters the RFC
 * excludes (space, `"`, `<`, `>`, `\`, `^`, backquote, `{`, `|`, `}`). Control characters are
 * refused rather than left to a parser: the WHATWG parser drops tabs and line breaks silently,
 * Go's `url.Parse` rejects them, so the same string would mean two things.
 */
const URL_CHARS = /^[A-Za-z0-9._~:/?#[\]@!$&'()*+,;=%-]+$/;

/** Whether `value` is an absolute http(s) URL with a host (https only when asked). */
export function isHttpUrl(value: string, httpsOnly = false): boolean {
  if (!URL_CHARS.test(value) || /%(?![0-9A-Fa-f]{2})/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || (!httpsOnly && url.protocol === 'http:')) && url.hostname.length > 0
      && value.toLowerCase().startsWith(`${url.protocol}//`);
  } catch {
    return false;
  }
}

/** Whether `value` carries a user name or password before its host (`https://user:pass@host`). */
export function hasUserInfo(value: string): boolean {
  try {
    const url = new URL(value);
    return url.username !== '' || url.password !== '';
  } catch {
    return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(value);
  }
}

export const USERINFO_HINT = 'remove the user name and password from the URL: it would be written in plain text into the template, '
  + 'manifest and generated configuration; authenticate with a secret instead';
