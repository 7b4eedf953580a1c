// ${VAR} interpolation in scaling.yaml values, following the shell and Docker Compose rules:
//   ${VAR}            the value (an empty value stays empty; unset is an error)
//   ${VAR:-default}   default when VAR is unset or empty      ${VAR-default}   only when unset
//   ${VAR:?message}   error when VAR is unset or empty        ${VAR?message}   only when unset
//   ${VAR:+other}     other when VAR is set and not empty     ${VAR+other}     when set
//   $$                a literal "$" (so "$${X}" is the text "${X}")
// Defaults nest: ${A:-${B:-x}}. A "$" not followed by "{" or "$" is literal text.

export type Interpolated =
  | {
      ok: true;
      value: string;
      /** Variables that were set but empty and were used as "" (so an empty result can say why). */
      empty: string[];
      /** Variables whose values were substituted (callers may treat their values as secret). */
      used: string[];
    }
  | { ok: false; message: string; hint: string; /** Offset in the text where the problem is. */ offset: number };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

class Failure {
  constructor(readonly message: string, readonly hint: string, readonly offset: number) {}
}

// Replaces every reference; the first problem is an error with its offset in `text`.
export function interpolate(text: string, env: NodeJS.ProcessEnv): Interpolated {
  const empty: string[] = [];
  const used: string[] = [];
  try {
    const value = expand(text, 0, text.length, env, empty, used);
    return { ok: true, value, empty, used };
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    return { ok: false, message: error.message, hint: error.hint, offset: error.offset };
  }
}

// The offset of the "}" closing the reference whose "${" starts at `start`, or -1.
function closingBrace(text: string, start: number, end: number): number {
  let depth = 0;
  for (let i = start; i < end; i++) {
    if (text[i] === '$' && text[i + 1] === '$') {
      i++;
      continue;
    }
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
      continue;
    }
    if (text[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function expand(text: string, from: number, to: number, env: NodeJS.ProcessEnv, empty: string[], used: string[]): string {
  let out = '';
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '$' && i + 1 < to) {
      out += '$';
      i++;
      continue;
    }
    if (next !== '{' || i + 1 >= to) {
      out += c;
      continue;
    }
    const close = closingBrace(text, i, to);
    if (close === -1) {
      throw new Failure(`"${text.slice(i, to)}" is not closed: a "}" is missing`, 'write ${NAME}, ${NAME:-default} or $${ for a literal "${"', i);
    }
    out += reference(text, i, close, env, empty, used);
    i = close;
  }
  return out;
}

// One ${…} from `start` ("$") to `close` ("}").
function reference(text: string, start: number, close: number, env: NodeJS.ProcessEnv, empty: string[], used: string[]): string {
  const body = text.slice(start + 2, close);
  const name = NAME.exec(body)?.[0];
  const rest = name ? body.slice(name.length) : body;
  const operator = /^(:?[-?+])/.exec(rest)?.[1];
  if (!name || (rest !== '' && operator === undefined)) {
    throw new Failure(`"\${${body}}" is not a valid variable reference`, 'write ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message} or $${ for a literal "${"', start);
  }
  const raw = env[name];
  const set = raw !== undefined;
  const nonEmpty = set && raw !== '';
  const argument = () => expand(text, start + 2 + name.length + (operator?.length ?? 0), close, env, empty, used);
  const value = (): string => {
    used.push(name);
    if (raw === '') empty.push(name);
    return raw ?? '';
  };
  switch (operator) {
    case undefined:
      if (!set) throw new Failure(`environment variable ${name} is not set`, `set it (export ${name}=…) or give a default: \${${name}:-value}`, start);
      return value();
    case ':-':
      return nonEmpty ? value() : argument();
    case '-':
      return set ? value() : argument();
    case ':?':
    case '?': {
      if (operator === ':?' ? nonEmpty : set) return value();
      const said = argument();
      const state = set ? 'is empty' : 'is not set';
      throw new Failure(`environment variable ${name} ${state}${said ? `: ${said}` : ''}`, `set it: export ${name}=…`, start);
    }
    case ':+':
      return nonEmpty ? argument() : '';
    default: // '+'
      return set ? argument() : '';
  }
}
