import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { GatewayMiddleware } from './middleware';
import { ACCEPTED_MIDDLEWARE_FIELDS, REFUSED_MIDDLEWARES } from './middleware-types';
import { invalidPropMessage } from '../../platform/errors';
import { credentialInValue } from '../../platform/grammar/credential';
import { isHeaderName, isHeaderValue } from '../../platform/grammar/http-header';

const NAME = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;

/** Problems with the custom middlewares given as `prop` (the gateway's, or one route's). Pure. */
export function middlewareProblems(scope: IConstruct, prop: string, middlewares: readonly GatewayMiddleware[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, GatewayMiddleware>();
  for (const middleware of middlewares) {
    const at = `${prop}[${middleware.name}]`;
    const add = (field: string, problem: string, received: unknown, valid: string) =>
      problems.push(invalidPropMessage(scope, `${at}${field}`, problem, received, valid));
    if (!NAME.test(middleware.name)) {
      problems.push(invalidPropMessage(scope, prop, 'has an invalid middleware name', middleware.name, '1-40 lowercase letters, digits and "-", starting and ending with a letter or digit'));
      continue;
    }
    const previous = seen.get(middleware.name);
    if (previous && !sameMiddleware(previous, middleware)) add('', 'is defined twice with different options', middleware.middlewareType, 'give each middleware its own name');
    seen.set(middleware.name, middleware);

    const type = middleware.middlewareType;
    const refused = REFUSED_MIDDLEWARES[type];
    const fields = ACCEPTED_MIDDLEWARE_FIELDS[type];
    if (refused) {
      add('', 'is a refused middleware type', type, refused);
      continue;
    }
    if (!fields) {
      add('', 'is not a Traefik v3 HTTP middleware type', type, `use one of ${Object.keys(ACCEPTED_MIDDLEWARE_FIELDS).join(', ')}`);
      continue;
    }
    for (const field of Object.keys(middleware.options)) {
      if (!fields.includes(field)) add(`.${field}`, `is not an option of ${type}`, field, `use ${fields.join(', ')}`);
    }
    problems.push(...dataProblems(scope, at, middleware.options));
    problems.push(...typeSpecificProblems(scope, at, middleware));
  }
  return problems;
}

/** A route's own middlewares that reuse the name of one it inherits from the gateway with other options. */
export function middlewareRedefinitions(
  scope: IConstruct, prop: string, inherited: readonly GatewayMiddleware[], own: readonly GatewayMiddleware[],
): string[] {
  return own
    .filter(m => inherited.some(g => g.name === m.name && !sameMiddleware(g, m)))
    .map(m => invalidPropMessage(scope, `${prop}[${m.name}]`, 'redefines a middleware of the gateway or another route with other options', m.middlewareType,
      'give the route\'s middleware its own name'));
}

function sameMiddleware(a: GatewayMiddleware, b: GatewayMiddleware): boolean {
  return a.middlewareType === b.middlewareType && JSON.stringify(a.options) === JSON.stringify(b.options);
}

/** Options are data: JSON values only, resolved at synthesis, and never a credential. */
function dataProblems(scope: IConstruct, at: string, value: unknown, path = ''): string[] {
  const here = `${at}${path}`;
  if (typeof value === 'string') {
    if (Token.isUnresolved(value)) return [invalidPropMessage(scope, here, 'is unresolved', '<token>', 'the configuration is rendered at synthesis: use a literal value')];
    const credential = credentialInValue(value);
    return credential ? [invalidPropMessage(scope, here, `looks like ${credential}`, '<redacted>',
      'the Traefik configuration is not a secret store: keep credentials out of middlewares (forwardAuth to a service that holds them)')] : [];
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) && !Token.isUnresolved(value) ? [] : [invalidPropMessage(scope, here, 'is not a finite number', value, 'use a literal number')];
  }
  if (typeof value === 'boolean') return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => dataProblems(scope, at, item, `${path}[${i}]`));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.entries(value).flatMap(([key, item]) => dataProblems(scope, at, item, `${path}.${key}`));
  }
  return [invalidPropMessage(scope, here, 'is not JSON data', String(value), 'use strings, numbers, booleans, lists and plain objects')];
}

function typeSpecificProblems(scope: IConstruct, at: string, middleware: GatewayMiddleware): string[] {
  const problems: string[] = [];
  const options = middleware.options;
  if (middleware.middlewareType === 'headers') {
    for (const field of ['customRequestHeaders', 'customResponseHeaders']) {
      for (const [name, value] of Object.entries<unknown>(options[field] ?? {})) {
        if (!isHeaderName(name)) problems.push(invalidPropMessage(scope, `${at}.${field}`, 'has an invalid header name', name, 'use HTTP header names such as "X-Team"'));
        if (typeof value !== 'string' || (value !== '' && !isHeaderValue(value))) {
          problems.push(invalidPropMessage(scope, `${at}.${field}.${name}`, 'is not an HTTP header value', value,
            'use visible ASCII, spaces and tabs (no line breaks), or "" to remove the header'));
        }
      }
    }
  }
  if (middleware.middlewareType === 'inFlightReq') {
    const amount = options.amount;
    if (!Number.isInteger(amount) || amount < 1 || amount > 1_000_000) {
      problems.push(invalidPropMessage(scope, `${at}.amount`, 'is out of range', amount, 'use a whole number from 1 to 1000000'));
    }
    const header = options.sourceCriterion?.requestHeaderName;
    if (header !== undefined && (typeof header !== 'string' || !isHeaderName(header))) {
      problems.push(invalidPropMessage(scope, `${at}.perHeader`, 'is not an HTTP header name', header, 'use a header name such as "X-Api-Key"'));
    }
  }
  if (middleware.middlewareType === 'addPrefix' && !(typeof options.prefix === 'string' && /^\/[A-Za-z0-9._~!$&'()+,;=:@%/-]*$/.test(options.prefix))) {
    problems.push(invalidPropMessage(scope, `${at}.prefix`, 'is not a URL path', options.prefix, 'start with "/" and use URL path characters only'));
  }
  return problems;
}
