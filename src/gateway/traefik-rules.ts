/** What a route matches; every condition must hold. */
export interface RouteMatch {
  readonly hosts: string[];
  readonly pathPrefix?: string;
  readonly path?: string;
  readonly headers: Record<string, string>;
  readonly methods: string[];
}

/** Methods that are safe to replay (RFC 9110 §9.2.2). */
export const IDEMPOTENT_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'];

/**
 * The Traefik v3 rule of a match, e.g.
 * ``Host(`api.example.com`) && (Path(`/v1/users`) || PathPrefix(`/v1/users/`))``.
 *
 * A path prefix matches on a segment boundary: `/v1/users` matches `/v1/users` and `/v1/users/42`,
 * not `/v1/usersettings` (Traefik's PathPrefix alone is a plain string prefix).
 */
export function traefikRule(match: RouteMatch, methods: string[] = match.methods): string {
  const terms: string[] = [];
  if (match.hosts.length > 0) terms.push(anyOf(match.hosts.map(hostTerm)));
  if (match.path !== undefined) terms.push(`Path(${quote(match.path)})`);
  if (match.pathPrefix !== undefined && match.pathPrefix !== '/') {
    const prefix = match.pathPrefix.replace(/\/+$/, '');
    terms.push(anyOf([`Path(${quote(prefix)})`, `PathPrefix(${quote(`${prefix}/`)})`]));
  }
  for (const [name, value] of Object.entries(match.headers)) terms.push(`Header(${quote(name)}, ${quote(value)})`);
  if (methods.length > 0) terms.push(anyOf(methods.map(m => `Method(${quote(m)})`)));
  return terms.length > 0 ? terms.join(' && ') : `PathPrefix(${quote('/')})`;
}

/**
 * `Host` compares literally, so a wildcard `*.example.com` becomes a `HostRegexp` of one more
 * label (as a certificate's wildcard matches), case-insensitive like `Host`.
 */
function hostTerm(host: string): string {
  if (!host.startsWith('*.')) return `Host(${quote(host)})`;
  return `HostRegexp(${quote(`(?i)^[a-z0-9-]+\\.${host.slice(2).replace(/\./g, '\\.')}$`)})`;
}

function anyOf(terms: string[]): string {
  return terms.length === 1 ? terms[0] : `(${terms.join(' || ')})`;
}

/** Traefik rules take Go raw strings: backquotes, which no host, path or header value may contain. */
function quote(value: string): string {
  return `\`${value}\``;
}
