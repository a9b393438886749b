/**
 * The OpenTelemetry Collector's expansion of configuration strings, re-stated from
 * open-telemetry/opentelemetry-collector confmap (expand.go, "Environment variables" in its
 * README): `$$` is a literal `$`; `${env:NAME}` and `${NAME}` are NAME's value (empty when unset);
 * any other `$` stays as written.
 */
export function expandOtel(input: string, env: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    if (input[i] !== '$') {
      out += input[i];
    } else if (input[i + 1] === '$') {
      out += '$';
      i++;
    } else if (input[i + 1] === '{') {
      const close = input.indexOf('}', i + 2);
      if (close < 0) throw new Error(`unclosed \${ at ${i}`);
      const name = input.slice(i + 2, close).replace(/^env:/, '');
      out += env[name] ?? '';
      i = close;
    } else {
      out += '$';
    }
  }
  return out;
}
