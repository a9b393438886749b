/**
 * An independent check of Traefik v3 dynamic configuration (file provider), since no Traefik
 * binary installs here: an allow-list of the documented v3 keys this library uses (checked
 * strictly: an unknown or misspelt key is an error), reference integrity (routers → services,
 * middlewares, serversTransports; weighted → services; entry points), and a parser for the rule
 * language subset we emit (Host, HostRegexp, Path, PathPrefix, Header, Method, &&, ||, !, parentheses).
 */

type Leaf = 'string' | 'number' | 'boolean' | 'string[]' | 'empty';
interface Keys { readonly keys: Record<string, Node> }
interface MapOf { readonly mapOf: Node }
interface ListOf { readonly listOf: Node }
type Node = Leaf | Keys | MapOf | ListOf;

const tlsClient: Keys = { keys: { ca: 'string', cert: 'string', key: 'string', insecureSkipVerify: 'boolean' } };
const ipStrategy: Keys = { keys: { depth: 'number', excludedIPs: 'string[]' } };
const sticky: Keys = { keys: { cookie: { keys: { name: 'string', secure: 'boolean', httpOnly: 'boolean', sameSite: 'string', maxAge: 'number', path: 'string' } } } };

/** Documented v3 keys (doc.traefik.io/traefik/v3.5 routing/providers/file, middlewares/http/*). */
export const TRAEFIK_V3_DYNAMIC_SCHEMA: Keys = {
  keys: {
    http: {
      keys: {
        routers: {
          mapOf: { keys: { entryPoints: 'string[]', rule: 'string', priority: 'number', service: 'string', middlewares: 'string[]', tls: { keys: { options: 'string', certResolver: 'string' } } } },
        },
        services: {
          mapOf: {
            keys: {
              loadBalancer: {
                keys: {
                  servers: { listOf: { keys: { url: 'string', weight: 'number' } } },
                  passHostHeader: 'boolean',
                  serversTransport: 'string',
                  healthCheck: { keys: { path: 'string', interval: 'string', timeout: 'string', scheme: 'string', port: 'number', hostname: 'string' } },
                  sticky,
                },
              },
              weighted: { keys: { services: { listOf: { keys: { name: 'string', weight: 'number' } } }, sticky } },
            },
          },
        },
        middlewares: {
          mapOf: {
            keys: {
              headers: {
                keys: {
                  accessControlAllowOriginList: 'string[]',
                  accessControlAllowMethods: 'string[]',
                  accessControlAllowHeaders: 'string[]',
                  accessControlExposeHeaders: 'string[]',
                  accessControlAllowCredentials: 'boolean',
                  accessControlMaxAge: 'number',
                  addVaryHeader: 'boolean',
                  stsSeconds: 'number',
                  stsIncludeSubdomains: 'boolean',
                  stsPreload: 'boolean',
                  forceSTSHeader: 'boolean',
                  contentTypeNosniff: 'boolean',
                  frameDeny: 'boolean',
                  referrerPolicy: 'string',
                  contentSecurityPolicy: 'string',
                  customRequestHeaders: { mapOf: 'string' },
                  customResponseHeaders: { mapOf: 'string' },
                },
              },
              rateLimit: {
                keys: {
                  average: 'number',
                  burst: 'number',
                  period: 'string',
                  sourceCriterion: { keys: { ipStrategy, requestHeaderName: 'string', requestHost: 'boolean' } },
                  redis: {
                    keys: {
                      endpoints: 'string[]',
                      username: 'string',
                      password: 'string',
                      db: 'number',
                      tls: tlsClient,
                      poolSize: 'number',
                      minIdleConns: 'number',
                      maxActiveConns: 'number',
                      readTimeout: 'string',
                      writeTimeout: 'string',
                      dialTimeout: 'string',
                    },
                  },
                },
              },
              circuitBreaker: { keys: { expression: 'string', checkPeriod: 'string', fallbackDuration: 'string', recoveryDuration: 'string', responseCode: 'number' } },
              retry: { keys: { attempts: 'number', initialInterval: 'string' } },
              buffering: { keys: { maxRequestBodyBytes: 'number', memRequestBodyBytes: 'number', maxResponseBodyBytes: 'number', retryExpression: 'string' } },
              compress: { keys: { excludedContentTypes: 'string[]', includedContentTypes: 'string[]', minResponseBodyBytes: 'number', encodings: 'string[]' } },
              stripPrefix: { keys: { prefixes: 'string[]' } },
              ipAllowList: { keys: { sourceRange: 'string[]', ipStrategy, rejectStatusCode: 'number' } },
              forwardAuth: {
                keys: {
                  address: 'string',
                  tls: tlsClient,
                  trustForwardHeader: 'boolean',
                  authResponseHeaders: 'string[]',
                  authRequestHeaders: 'string[]',
                  authResponseHeadersRegex: 'string',
                  addAuthCookiesToResponse: 'string[]',
                  headerField: 'string',
                },
              },
            },
          },
        },
        serversTransports: {
          mapOf: {
            keys: {
              serverName: 'string',
              insecureSkipVerify: 'boolean',
              rootCAs: 'string[]',
              maxIdleConnsPerHost: 'number',
              forwardingTimeouts: { keys: { dialTimeout: 'string', responseHeaderTimeout: 'string', idleConnTimeout: 'string', readIdleTimeout: 'string', pingTimeout: 'string' } },
            },
          },
        },
      },
    },
    tls: {
      keys: {
        options: { mapOf: { keys: { minVersion: 'string', maxVersion: 'string', cipherSuites: 'string[]', curvePreferences: 'string[]', sniStrict: 'boolean', alpnProtocols: 'string[]' } } },
        stores: { mapOf: { keys: { defaultCertificate: { keys: { certFile: 'string', keyFile: 'string' } } } } },
        certificates: { listOf: { keys: { certFile: 'string', keyFile: 'string', stores: 'string[]' } } },
      },
    },
  },
};

/** Keys or values that do not fit the schema, as `path: problem`. */
export function schemaProblems(value: unknown, node: Node = TRAEFIK_V3_DYNAMIC_SCHEMA, path = '$'): string[] {
  if (typeof node === 'string') {
    const ok = node === 'string[]' ? Array.isArray(value) && value.every(v => typeof v === 'string')
      : node === 'empty' ? isObject(value) && Object.keys(value).length === 0 : typeof value === node;
    return ok ? [] : [`${path}: expected ${node}, got ${JSON.stringify(value)}`];
  }
  if ('listOf' in node) {
    return Array.isArray(value) ? value.flatMap((v, i) => schemaProblems(v, node.listOf, `${path}[${i}]`)) : [`${path}: expected a list`];
  }
  if (!isObject(value)) return [`${path}: expected an object`];
  if ('mapOf' in node) return Object.entries(value).flatMap(([k, v]) => schemaProblems(v, node.mapOf, `${path}.${k}`));
  return Object.entries(value).flatMap(([k, v]) => k in node.keys ? schemaProblems(v, node.keys[k], `${path}.${k}`) : [`${path}.${k}: not a Traefik v3 key`]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ARITY: Record<string, number> = { Host: 1, HostRegexp: 1, Path: 1, PathPrefix: 1, Method: 1, Header: 2 };

/** Parses a rule; throws with the position of the first error. Returns the matchers used. */
export function parseRule(rule: string): string[] {
  const tokens = rule.match(/`[^`]*`|&&|\|\||[()!,]|[A-Za-z]+|\S/g) ?? [];
  let i = 0;
  const used: string[] = [];
  const fail = (what: string): never => {
    throw new Error(`rule ${JSON.stringify(rule)}: expected ${what} at token ${i} (${tokens[i] ?? 'end'})`);
  };
  const expect = (token: string) => (tokens[i] === token ? i++ : fail(JSON.stringify(token)));
  const unary = (): void => {
    if (tokens[i] === '!') {
      i++; unary(); return;
    }
    if (tokens[i] === '(') {
      i++; or(); expect(')'); return;
    }
    const name = tokens[i] ?? '';
    if (!(name in ARITY)) fail(`a matcher (${Object.keys(ARITY).join(', ')})`);
    i++;
    expect('(');
    for (let arg = 0; arg < ARITY[name]; arg++) {
      if (arg > 0) expect(',');
      if (!/^`[^`]*`$/.test(tokens[i] ?? '')) fail('a backquoted string');
      i++;
    }
    expect(')');
    used.push(name);
  };
  const and = () => {
    unary();
    while (tokens[i] === '&&') {
      i++; unary();
    }
  };
  const or = () => {
    and();
    while (tokens[i] === '||') {
      i++; and();
    }
  };
  or();
  if (i !== tokens.length) fail('end of rule');
  return used;
}

/** Reference problems: every router's service, middlewares and entry points exist; rules parse. */
export function referenceProblems(config: any, entryPoints: string[]): string[] {
  const http = config.http ?? {};
  const services = http.services ?? {};
  const middlewares = http.middlewares ?? {};
  const transports = http.serversTransports ?? {};
  const problems: string[] = [];
  for (const [name, router] of Object.entries<any>(http.routers ?? {})) {
    if (!(router.service in services)) problems.push(`router ${name}: service ${router.service} is not defined`);
    for (const m of router.middlewares ?? []) if (!(m in middlewares)) problems.push(`router ${name}: middleware ${m} is not defined`);
    for (const e of router.entryPoints ?? []) if (!entryPoints.includes(e)) problems.push(`router ${name}: entry point ${e} is not defined`);
    try {
      parseRule(router.rule);
    } catch (e) {
      problems.push(`router ${name}: ${(e as Error).message}`);
    }
  }
  for (const [name, service] of Object.entries<any>(services)) {
    for (const child of service.weighted?.services ?? []) if (!(child.name in services)) problems.push(`service ${name}: weighted service ${child.name} is not defined`);
    const transport = service.loadBalancer?.serversTransport;
    if (transport && !(transport in transports)) problems.push(`service ${name}: serversTransport ${transport} is not defined`);
  }
  return problems;
}
