// `combine`: max (default), min, avg, or an arithmetic formula over the per-metric recommended counts,
// named by metric type ("max(concurrency, rps * 1.2)"). Compiled once into a closure; no eval.

// Combines per-metric recommended counts into one.
export type Combiner = (counts: Float64Array) => number;

type Node = (vars: Float64Array) => number;

const FUNCTIONS: Record<string, (...args: number[]) => number> = {
  max: Math.max,
  min: Math.min,
  ceil: (x) => Math.ceil(x),
  floor: (x) => Math.floor(x),
  round: (x) => Math.round(x),
  abs: (x) => Math.abs(x),
};

// Compiles `combine` for the metric names given (index = position in the counts array).
export function compileCombine(text: string | undefined, names: string[]): Combiner {
  const rule = (text ?? 'max').trim();
  if (rule === 'max') return (c) => reduce(c, Math.max);
  if (rule === 'min') return (c) => reduce(c, Math.min);
  if (rule === 'avg') return (c) => reduce(c, (a, b) => a + b) / c.length;
  return parseFormula(rule, names);
}

function reduce(counts: Float64Array, fn: (a: number, b: number) => number): number {
  let acc = counts[0];
  for (let i = 1; i < counts.length; i++) acc = fn(acc, counts[i]);
  return acc;
}

function parseFormula(text: string, names: string[]): Combiner {
  const tokens = text.match(/\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|[-+*/(),]|\S/g) ?? [];
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`combine formula "${text}": ${what}; expected metric types (${names.join(', ')}), numbers, + - * / ( ) and max/min/ceil/floor/round/abs`);
  };
  const peek = () => tokens[pos];
  const take = (expected?: string) => {
    const token = tokens[pos++];
    if (expected !== undefined && token !== expected) fail(`found "${token ?? 'end'}" where "${expected}" belongs`);
    return token;
  };
  const expr = (): Node => {
    let left = term();
    while (peek() === '+' || peek() === '-') {
      const op = take();
      const right = term();
      const l = left;
      left = op === '+' ? (v) => l(v) + right(v) : (v) => l(v) - right(v);
    }
    return left;
  };
  const term = (): Node => {
    let left = unary();
    while (peek() === '*' || peek() === '/') {
      const op = take();
      const right = unary();
      const l = left;
      left = op === '*' ? (v) => l(v) * right(v) : (v) => l(v) / right(v);
    }
    return left;
  };
  const unary = (): Node => {
    if (peek() === '-') {
      take();
      const inner = unary();
      return (v) => -inner(v);
    }
    return primary();
  };
  const primary = (): Node => {
    const token = take();
    if (token === undefined) return fail('it ends too early');
    if (token === '(') {
      const inner = expr();
      take(')');
      return inner;
    }
    if (/^\d/.test(token)) {
      const value = Number(token);
      return () => value;
    }
    if (/^[A-Za-z_]/.test(token)) {
      const fn = FUNCTIONS[token];
      if (fn && peek() === '(') {
        take('(');
        const args: Node[] = [expr()];
        while (peek() === ',') {
          take();
          args.push(expr());
        }
        take(')');
        return (v) => fn(...args.map((a) => a(v)));
      }
      const index = names.indexOf(token);
      if (index < 0) fail(`"${token}" is not a metric of this service`);
      return (v) => v[index];
    }
    return fail(`unexpected "${token}"`);
  };
  const root = expr();
  if (pos < tokens.length) fail(`unexpected "${tokens[pos]}"`);
  return root;
}
