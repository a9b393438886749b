/**
 * The one rule every generated shell script applies to a secret it receives in its environment:
 * it must be non-empty and must not begin or end with whitespace. `kubectl create secret
 * --from-file` keeps the file's final newline; some tools would strip it (shell `$(…)`, mongod for
 * keyfiles) and others would not (mongosh, the exporters, which read the variable as it is), so a
 * user created with it could never be logged in as by every client. Refusing it, with the fix in the
 * message, is the only reading every client agrees with.
 */
export const SECRET_RULE_FUNCTION = `# require_secret NAME...: each variable is set, non-empty, without leading or trailing whitespace.
require_secret() {
  for secret_name in "$@"; do
    eval "secret_value=\\\${$secret_name:-}"
    if [ -z "$secret_value" ]; then
      echo "$secret_name is empty or not set: check the Secret it comes from" >&2
      exit 64
    fi
    case "$secret_value" in
      [[:space:]]*|*[[:space:]])
        echo "$secret_name begins or ends with whitespace (often the final newline of kubectl create secret --from-file):" \\
          "recreate the Secret with --from-literal or from a file written by printf '%s'" >&2
        exit 64 ;;
    esac
  done
}`;

/** `require_secret A B …` for the given variable names (validated: shell identifiers). */
export function requireSecrets(names: readonly string[]): string {
  for (const name of names) if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`not a shell variable name: ${name}`);
  return `require_secret ${names.join(' ')}`;
}
