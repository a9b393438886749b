/**
 * Whether a plain string is a credential. By value: formats that are credentials wherever they
 * appear. By name: a variable whose last word says it holds one (`DB_PASSWORD`, `STRIPE_API_KEY`),
 * not one that merely mentions a credential (`OAUTH_TOKEN_URL`, `PASSWORD_MIN_LENGTH`).
 */

const VALUE_PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/, 'a private key'],
  [/\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/, 'an AWS access key id'],
  [/\b[sr]k_(?:live|test)_[A-Za-z0-9]{10,}/, 'a Stripe secret key'],
  [/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}|\bgithub_pat_[A-Za-z0-9_]{30,}/, 'a GitHub token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, 'a GitLab token'],
  [/\bxox[abposre]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/, 'a Slack webhook URL'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [/\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/, 'a SendGrid API key'],
  [/\bnpm_[A-Za-z0-9]{36}\b/, 'an npm token'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/, 'a JSON Web Token'],
  [/^\s*(?:Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}\s*$/i, 'an Authorization header value'],
];

/** What `value` looks like when it is a credential by its format, or undefined. */
export function credentialInValue(value: string): string | undefined {
  for (const [pattern, kind] of VALUE_PATTERNS) if (pattern.test(value)) return kind;
  if (urlWithPassword(value)) return 'a URL with a password';
  return undefined;
}

/** Whether `value` contains a URL with a user name and password before its host. */
export function urlWithPassword(value: string): boolean {
  return /[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:[^\s/?#@]*@/i.test(value);
}

/** Words that, as the last word of a variable name, say that it holds a credential. */
const CREDENTIAL_WORDS = /(?:^|_)(?:PASSWORD|PASSWD|PASS|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SECRET_?KEY|CREDENTIALS?|AUTH|SESSION_?KEY|SIGNING_?KEY|CLIENT_?SECRET|DSN)$/i;

/** Whether a variable's name says it holds a credential. */
export function credentialName(name: string): boolean {
  return CREDENTIAL_WORDS.test(name);
}
