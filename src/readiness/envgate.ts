// Finds the environment variable that selects a code path (polling started only when
// `process.env.X` / `os.getenv("X")` says so), so such findings are reported lower and name it.
import type { SgNode } from '@ast-grep/napi';

const JS_ENV = /process\.env(?:\.([A-Za-z_][\w]*)|\[\s*['"`]([^'"`]+)['"`]\s*\])|(?:import\.meta|Bun)\.env\.([A-Za-z_]\w*)|Deno\.env\.get\(\s*['"`]([^'"`]+)['"`]/;
const PY_ENV = /(?:environ\.get|getenv)\(\s*['"]([^'"]+)['"]|environ\[\s*['"]([^'"]+)['"]\s*\]/;
const ENV_REF = new RegExp(`${JS_ENV.source}|${PY_ENV.source}`);
// A switch read from a configuration object: `env.WEBHOOK_ENABLED`, `settings.USE_WEBHOOK`, `config.get('polling')`.
const CONFIG_REF = /\b((?:env|config|cfg|conf|settings|Settings|CONFIG|SETTINGS|options|opts|argv|flags)(?:\.get\(\s*['"][^'"]+['"]\s*\)|\.[A-Za-z_$][\w$]*|\[\s*['"][^'"]+['"]\s*\]))/;

function firstGroup(match: RegExpMatchArray | null): string | undefined {
  return match?.slice(1).find((group) => group !== undefined);
}

// Names bound to an environment variable in this file: `const URL = process.env.WEBHOOK_URL`,
// `const isProd = process.env.NODE_ENV === 'production'`, `const { A } = process.env`, `X = os.getenv("X")`.
export function envAliases(text: string): Map<string, string> {
  const aliases = new Map<string, string>();
  const single = /(?:^|[\s;])(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?::[^=\n]+)?=(?!=)([^\n]*)/gm;
  for (const match of text.matchAll(single)) {
    const variable = firstGroup(match[2].match(ENV_REF));
    if (variable && !aliases.has(match[1])) aliases.set(match[1], variable);
  }
  for (const match of text.matchAll(/(?:const|let|var)\s*\{([^}]*)\}\s*=\s*process\.env\b/g)) {
    for (const part of match[1].split(',')) {
      const [key, local] = part.split(/[:=]/).map((piece) => piece.trim());
      if (key) aliases.set(local && /^[A-Za-z_$][\w$]*$/.test(local) ? local : key, key);
    }
  }
  return aliases;
}

// The part of an ancestor that decides whether the match runs, if the ancestor is a branch.
function conditionOf(node: SgNode): string | undefined {
  switch (node.kind()) {
    case 'if_statement':
    case 'elif_clause':
    case 'ternary_expression':
    case 'while_statement':
      return node.field('condition')?.text().replace(/^\((.*)\)$/s, '$1');
    case 'switch_statement':
      return node.field('value')?.text();
    case 'conditional_expression': // Python `a if cond else b`
      return node.text();
    case 'binary_expression':
    case 'boolean_operator':
      return node.field('left')?.text();
    default:
      return undefined;
  }
}

// What gates a code path: an environment variable, or a setting read from a configuration object.
export interface Gate {
  variable: string;
  condition: string;
  kind: 'env' | 'setting';
}

function gateOf(condition: string, aliases: Map<string, string>): Gate | undefined {
  const direct = firstGroup(condition.match(ENV_REF));
  if (direct) return { variable: direct, condition: condition.trim(), kind: 'env' };
  for (const word of condition.match(/[A-Za-z_$][\w$]*/g) ?? []) {
    const variable = aliases.get(word);
    if (variable) return { variable, condition: condition.trim(), kind: 'env' };
  }
  const setting = condition.match(CONFIG_REF)?.[1];
  if (setting) return { variable: setting, condition: condition.trim(), kind: 'setting' };
  return undefined;
}

function gateOnAncestors(node: SgNode, aliases: Map<string, string>): Gate | undefined {
  let previous = node;
  for (const ancestor of node.ancestors()) {
    const condition = conditionOf(ancestor);
    // `a && b` only gates b; `if` gates its branches, not its own condition.
    const inCondition = condition !== undefined && ancestor.field('condition')?.range().start.index === previous.range().start.index;
    if (condition !== undefined && !inCondition) {
      const gate = gateOf(condition, aliases);
      if (gate) return gate;
    }
    previous = ancestor;
  }
  return undefined;
}

const FUNCTION_KINDS = new Set<unknown>(['function_declaration', 'function_definition', 'arrow_function', 'function_expression']);

// The environment variable or setting gating `node`, from the innermost enclosing branch outwards;
// when none, the gates around the calls of the function that holds `node` (one level: a
// `startBot()` that the caller runs only when `NODE_ENV === 'development'`).
export function gatingEnvVar(node: SgNode, aliases: Map<string, string>): Gate | undefined {
  const own = gateOnAncestors(node, aliases);
  if (own) return own;
  const holder = node.ancestors().find((ancestor) => FUNCTION_KINDS.has(ancestor.kind()));
  let name = holder?.field('name')?.text();
  if (!name && holder?.parent()?.kind() === 'variable_declarator') name = holder.parent()!.field('name')?.text();
  if (!holder || !name || !/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  const calls = holder.getRoot().root().findAll({ rule: { kind: holder.kind() === 'function_definition' ? 'call' : 'call_expression', has: { field: 'function', regex: `^${name.replace(/\$/g, '\\$')}$` } } });
  for (const call of calls) {
    const gate = gateOnAncestors(call, aliases);
    if (gate) return gate;
  }
  return undefined;
}
