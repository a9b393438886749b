/**
 * A tiny evaluator of Go text/template, enough to prove that a generated file means what we intend:
 * text outside actions is copied; an action may only print a string literal (raw `…` or "…") or
 * call `env "NAME"`. Anything else — any other action, a trim marker, a comment, an unclosed `{{` —
 * throws, because in a generated file it could only have come from a user string that became code.
 * Lexing follows text/template (pkg text/template/parse/lex.go): an action starts at `{{` and ends
 * at the first `}}` outside a string literal.
 */
export function evaluateGoTemplate(text: string, env: Record<string, string> = {}): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) return out + text.slice(i);
    out += text.slice(i, open);
    const { body, end } = readAction(text, open + 2);
    out += evaluateAction(body, env);
    i = end;
  }
  return out;
}

function readAction(text: string, start: number): { body: string; end: number } {
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close < 0) throw new Error(`unterminated raw string at ${i}`);
      i = close + 1;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\n') throw new Error(`unterminated quoted string at ${i}`);
        i += text[i] === '\\' ? 2 : 1;
      }
      if (i >= text.length) throw new Error('unterminated quoted string');
      i++;
    } else if (text.startsWith('}}', i)) {
      return { body: text.slice(start, i), end: i + 2 };
    } else {
      i++;
    }
  }
  throw new Error(`unclosed action at ${start - 2}`);
}

const STRING = /^(`[^`]*`|"(?:[^"\\\n]|\\.)*")$/;

function evaluateAction(body: string, env: Record<string, string>): string {
  if (body.startsWith('-') || body.endsWith('-') || body.startsWith('/*')) throw new Error(`unsupported action {{${body}}}`);
  const trimmed = body.trim();
  if (STRING.test(trimmed)) return literal(trimmed);
  const call = /^env\s+(`[^`]*`|"(?:[^"\\\n]|\\.)*")$/.exec(trimmed);
  if (call) {
    const name = literal(call[1]);
    if (!(name in env)) throw new Error(`env ${name} is not set`);
    return env[name];
  }
  throw new Error(`unsupported action {{${body}}}`);
}

function literal(token: string): string {
  return token.startsWith('`') ? token.slice(1, -1) : JSON.parse(token);
}
