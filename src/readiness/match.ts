// Runs the rules on one parsed file and turns matches into findings (before suppression).
import type { SgNode } from '@ast-grep/napi';
import type { Finding } from '../plan/types.js';
import { envAliases, gatingEnvVar } from './envgate.js';
import { escapeRegex } from './facts.js';
import type { ReadinessRule, Severity } from './rules.js';

const LOWER: Record<Severity, Severity> = { error: 'warning', warning: 'info', info: 'info' };

const MAX_SHOWN = 50;

// Code shown inside a message: one line, and for a long call only its callee: `cron.schedule(…)`.
function shown(node: SgNode): string {
  const text = node.text().replace(/\s+/g, ' ').trim();
  if (text.length <= MAX_SHOWN) return text;
  const callee = node.field('function') ?? node.field('constructor');
  if (callee) {
    const name = callee.text().replace(/\s+/g, ' ');
    const prefix = node.kind() === 'new_expression' ? 'new ' : '';
    return `${prefix}${name.length > MAX_SHOWN ? `…${name.slice(-MAX_SHOWN)}` : name}(…)`;
  }
  return `${text.slice(0, MAX_SHOWN - 1)}…`;
}

// `$NAME` in a message becomes the code the rule captured under that name.
function interpolate(message: string, node: SgNode): string {
  return message.replace(/\$([A-Z_][A-Z0-9_]*)/g, (whole, name: string) => {
    const captured = node.getMatch(name);
    return captured ? shown(captured) : whole;
  });
}

// Per rule list: one regex matching any of its prefilter strings. Most files hold none, and one
// scan of the text answers that for all the rules at once.
const anyNeedle = new WeakMap<ReadinessRule[], RegExp | null>();

// The rules whose prefilter strings or regex appear in the text (or that have none).
export function candidateRules(rules: ReadinessRule[], text: string): ReadinessRule[] {
  let needles = anyNeedle.get(rules);
  if (needles === undefined) {
    const all = [...new Set(rules.flatMap((rule) => rule.prefilter))];
    anyNeedle.set(rules, (needles = all.length > 0 ? new RegExp(all.map(escapeRegex).join('|')) : null));
  }
  const somePresent = needles?.test(text) ?? false;
  return rules.filter((rule) => {
    if (rule.prefilter.length === 0 && !rule.prefilterRegex) return true;
    return (somePresent && rule.prefilter.some((needle) => text.includes(needle))) || (rule.prefilterRegex?.test(text) ?? false);
  });
}

// Findings of `rules` in one file's syntax tree; `rel` is the file relative to the scan root.
export function matchRules(root: SgNode, text: string, rel: string, rules: ReadinessRule[]): Finding[] {
  const findings: Finding[] = [];
  let aliases: Map<string, string> | undefined;
  for (const rule of rules) {
    const seen = new Set<string>();
    for (const node of root.findAll(rule.matcher)) {
      const start = node.range().start;
      const key = `${start.line}:${start.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let severity = rule.severity;
      let message = interpolate(rule.message, node);
      if (rule.envGate) {
        aliases ??= envAliases(text);
        const gate = gatingEnvVar(node, aliases);
        if (gate) {
          severity = LOWER[severity];
          const what = gate.kind === 'env' ? `the environment variable ${gate.variable}` : `the setting \`${gate.variable}\``;
          message += ` This path depends on ${what} (condition \`${gate.condition.slice(0, 80)}\`): make sure production never takes it with more than one replica.`;
        }
      }
      findings.push({ ruleId: rule.id, category: rule.category, severity, file: rel, line: start.line + 1, column: start.column + 1, message, fix: rule.fix });
    }
  }
  return findings;
}
