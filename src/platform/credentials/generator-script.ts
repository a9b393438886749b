import { shellQuote } from '../escape/shell';
import { OwnedCredential } from '../owned-credentials';

/** Where the generator Job's script finds the API server, its token and CA (overridable for tests). */
export interface GeneratorScriptPaths {
  readonly tokenFile: string;
  readonly caFile: string;
}

/** One Secret the script ensures: its name and `key=encoding:bytes:length` for each owned key. */
interface SecretPlan {
  readonly name: string;
  readonly keys: string[];
}

/** The owned credentials grouped by Secret, keys sorted: one create request per Secret. */
export function secretPlans(credentials: readonly OwnedCredential[]): SecretPlan[] {
  const bySecret = new Map<string, string[]>();
  for (const c of credentials) {
    const keys = bySecret.get(c.secretName) ?? [];
    const length = c.format.encoding === 'hex' ? 2 * c.format.randomBytes : 4 * Math.ceil(c.format.randomBytes / 3);
    keys.push(`${c.key}=${c.format.encoding}:${c.format.randomBytes}:${length}`);
    bySecret.set(c.secretName, keys);
  }
  return [...bySecret.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, keys]) => ({ name, keys: keys.sort() }));
}

/**
 * POSIX sh (busybox or dash, with curl) that creates each missing Secret once through the API.
 *
 * Create-only: a Secret that exists is never changed (RBAC grants no update or patch), and one
 * created meanwhile answers 409, which counts as done. An existing Secret missing an owned key is
 * reported and fails the Job, since adding the key needs a person to decide. No value reaches
 * stdout, stderr or a command line: values go from /dev/urandom through pipes into a request file
 * under a private temporary directory, and responses (which echo the Secret) go to a file that is
 * only searched for key names. Exits non-zero if any Secret could not be ensured.
 */
export function renderGeneratorScript(
  namespace: string, labels: Record<string, string>, credentials: readonly OwnedCredential[], paths: GeneratorScriptPaths,
): string {
  const calls = secretPlans(credentials).map(plan => `ensure_secret ${[plan.name, ...plan.keys].map(shellQuote).join(' ')}`);
  return `#!/bin/sh
# Creates each missing owned credential once; never overwrites a Secret; never prints a value.
set -eu
umask 077
api="\${API_SERVER:-https://\${KUBERNETES_SERVICE_HOST}:\${KUBERNETES_SERVICE_PORT}}"
token_file="\${TOKEN_FILE:-${paths.tokenFile}}"
ca_file="\${CA_FILE:-${paths.caFile}}"
namespace=${shellQuote(namespace)}
labels=${shellQuote(JSON.stringify(labels))}
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=0
printf 'Authorization: Bearer %s\\n' "$(cat "$token_file")" > "$work/auth"

# request CURL-ARGS...: prints the HTTP status (000 when unreachable); the body stays in $work/response,
# without whitespace (the API server indents JSON for curl's user agent unless pretty=false; values and
# names have none). No retries here: a failed run exits non-zero and the Job's backoff runs it again.
request() {
  status="$(curl -sS --connect-timeout 10 --max-time 30 --cacert "$ca_file" -H "@$work/auth" -H 'Accept: application/json' \\
    -A 'cdk-portable-platform-credentials' -o "$work/raw" -w '%{http_code}' "$@" || true)"
  tr -d ' \\t\\r\\n' < "$work/raw" > "$work/response" 2>/dev/null || : > "$work/response"
  rm -f "$work/raw"
  echo "$status"
}

# reason: the Status reason of an error response (letters only, never a value).
reason() {
  sed -n 's/.*"reason":"\\([A-Za-z]*\\)".*/\\1/p' "$work/response" | head -n 1
}

# random ENCODING BYTES: BYTES from /dev/urandom as hex or single-line base64.
random() {
  case "$1" in
    hex) head -c "$2" /dev/urandom | od -An -v -tx1 | tr -d ' \\n' ;;
    base64) head -c "$2" /dev/urandom | base64 | tr -d '\\n' ;;
  esac
}

# encoded SPEC: the base64 of a new value for KEY=ENCODING:BYTES:LENGTH, checked to have LENGTH characters.
encoded() {
  format="\${1#*=}"
  length="\${format##*:}"
  format="\${format%:*}"
  value="$(random "\${format%%:*}" "\${format#*:}")"
  if [ "\${#value}" -ne "$length" ]; then
    echo "could not generate \${1%%=*}: /dev/urandom gave a short read" >&2
    exit 1
  fi
  printf '%s' "$value" | base64 | tr -d '\\n'
  value=''
}

# ensure_secret NAME KEY=ENCODING:BYTES:LENGTH...: creates the Secret NAME with every key unless it exists.
ensure_secret() {
  name="$1"
  shift
  status="$(request "$api/api/v1/namespaces/$namespace/secrets/$name?pretty=false")"
  case "$status" in
    200)
      # The keys of the existing Secret: its data object, values base64 (no quote or brace).
      present="$(sed -n 's/.*"data":{\\([^}]*\\)}.*/\\1/p' "$work/response")"
      rm -f "$work/response"
      missing=''
      for spec in "$@"; do
        key="\${spec%%=*}"
        case "$present" in
          *"\\"$key\\":"*) ;;
          *) missing="$missing $key" ;;
        esac
      done
      present=''
      if [ -n "$missing" ]; then
        echo "Secret $name exists without key(s)$missing: add them yourself (this Job never changes an existing Secret)" >&2
        failed=1
      else
        echo "Secret $name exists: kept"
      fi
      return 0 ;;
    404) ;;
    *)
      echo "Secret $name: reading it failed with HTTP $status $(reason)" >&2
      failed=1
      return 0 ;;
  esac
  {
    printf '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"%s","namespace":"%s","labels":%s},"type":"Opaque","data":{' "$name" "$namespace" "$labels"
    separator=''
    for spec in "$@"; do
      data="$(encoded "$spec")"
      printf '%s"%s":"%s"' "$separator" "\${spec%%=*}" "$data"
      data=''
      separator=','
    done
    printf '}}'
  } > "$work/body"
  status="$(request -X POST -H 'Content-Type: application/json' --data-binary "@$work/body" "$api/api/v1/namespaces/$namespace/secrets?pretty=false")"
  rm -f "$work/body"
  case "$status" in
    201) echo "Secret $name created" ;;
    409) echo "Secret $name was created meanwhile: kept" ;;
    *)
      echo "Secret $name: creating it failed with HTTP $status $(reason)" >&2
      failed=1 ;;
  esac
  rm -f "$work/response"
}

${calls.join('\n')}
exit "$failed"
`;
}
