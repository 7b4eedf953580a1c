// Renders docs/readiness-rules.md, the readiness rule catalogue, from the rule files in rules/.
import type { ReadinessRule } from '../readiness/rules.js';
import { CATEGORIES } from '../readiness/rules.js';
import { GENERATED_NOTE, cell } from './markdown.js';

// The Markdown page: one table per category, rules sorted by id.
export function rulesDoc(rules: ReadinessRule[]): string {
  const out = [
    '# Readiness rule catalogue',
    '',
    GENERATED_NOTE('rules/'),
    '',
    `${rules.length} rules in ${CATEGORIES.length} categories. A finding's id is \`<category>/<rule id>\`; silence one in`,
    'scaling.yaml (`readiness.ignore`) or with a `scalectl-ignore <id>` comment on the line above it.',
    'How the checker works and how to add a rule: [readiness.md](readiness.md).',
    '',
    ...CATEGORIES.map((c) => `- [${c}](#${c}) (${rules.filter((r) => r.category === c).length})`),
  ];
  for (const category of CATEGORIES) {
    const inCategory = rules.filter((r) => r.category === category).sort((a, b) => a.id.localeCompare(b.id));
    if (inCategory.length === 0) continue;
    out.push('', `## ${category}`, '', '| rule | language | severity | what it finds | the fix |', '| --- | --- | --- | --- | --- |');
    for (const rule of inCategory) {
      const id = rule.url ? `[\`${rule.id}\`](${rule.url})` : `\`${rule.id}\``;
      const language = rule.family === 'js' ? 'JS/TS' : 'Python';
      out.push(`| ${id} | ${language} | ${rule.severity} | ${cell(rule.message)} | ${cell(rule.fix)} |`);
    }
  }
  return `${out.join('\n')}\n`;
}
