/**
 * Kubernetes' expansion of `$(NAME)` in env values, command and args, re-stated from
 * kubernetes/kubernetes third_party/forked/golang/expansion/expand.go (`Expand` and
 * `tryReadVariableName`): `$$` is `$`; `$(NAME)` is NAME's value, or stays as written when NAME is
 * not defined; an unclosed `$(` and any other `$x` stay as written.
 */
export function expandKubernetes(input: string, env: Record<string, string>): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === '$') {
      out += '$';
    } else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close < 0) {
        out += '$(';
      } else {
        const name = rest.slice(1, close);
        out += name in env ? env[name] : `$(${name})`;
        advance = close + 1;
      }
    } else {
      out += `$${rest[0]}`;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}
