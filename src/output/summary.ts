// Markdown summaries of plan / apply / check for a CI job page ($GITHUB_STEP_SUMMARY), fed the
// same records as the human and JSON renderers.
import { redact } from '../util/redact.js';
import { appendFileSync } from 'node:fs';
import type { ServiceResult } from '../apply/engine.js';
import { UsageError } from '../errors.js';
import type { Finding, Plan } from '../plan/types.js';
import { summaryLine } from './plan-human.js';
import { formatValue } from './values.js';

// GitHub refuses a step summary above 1 MiB; we stay well below and say what was cut.
const MAX_BYTES = 1_000_000;
const MAX_ROWS = 500;

// Appends `markdown` to the file $GITHUB_STEP_SUMMARY names; does nothing when it is unset.
export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv): void {
  const path = env.GITHUB_STEP_SUMMARY;
  if (!path) return;
  let text = redact(markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  if (Buffer.byteLength(text) > MAX_BYTES) {
    text = `${Buffer.from(text).subarray(0, MAX_BYTES).toString().replace(/\n[^\n]*$/, '')}\n\n_Summary cut at 1 MB; run the command locally for the rest._\n`;
  }
  try {
    appendFileSync(path, `${text}\n`);
  } catch (error) {
    throw new UsageError(`cannot append the summary to $GITHUB_STEP_SUMMARY (${path}): ${(error as Error).message}; unset GITHUB_STEP_SUMMARY or drop --summary`, { cause: error });
  }
}

// A table cell: one line, pipes escaped, code spans for values.
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

const code = (text: string) => (text === '' ? '' : `\`${text.replace(/`/g, "'")}\``);

function tableOf(header: string[], rows: string[][]): string[] {
  const shown = rows.slice(0, MAX_ROWS);
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...shown.map((row) => `| ${row.map(cell).join(' | ')} |`)];
  if (rows.length > shown.length) lines.push('', `_…and ${rows.length - shown.length} more rows._`);
  return lines;
}

// The plan as a per-field table, then errors, warnings and readiness findings.
export function planMarkdown(plan: Plan): string {
  const lines = ['### scalectl plan', '', `**${summaryLine(plan)}**`];
  const rows: string[][] = [];
  for (const service of plan.services) {
    for (const change of service.changes) {
      const symbol = change.before === null ? '+' : change.after === null ? '-' : '~';
      rows.push([`${symbol} ${service.name}`, code(change.field), code(formatValue(change.before)), code(formatValue(change.after)), change.support, change.cause ?? '']);
    }
  }
  if (rows.length) lines.push('', ...tableOf(['service', 'field', 'before', 'after', 'support', 'from'], rows));
  else if (plan.summary.errors === 0) lines.push('', 'No changes: the live state matches scaling.yaml.');
  const notes: string[] = [];
  for (const service of plan.services) {
    for (const error of service.errors) notes.push(`- :x: **${service.name}**: ${error}`);
    for (const warning of service.warnings) notes.push(`- :warning: **${service.name}**: ${warning}`);
    if (service.gate === 'blocked') notes.push(`- :no_entry: **${service.name}**: held at one instance by readiness findings (fix them, or plan with --force)`);
    if (service.gate === 'forced') notes.push(`- :warning: **${service.name}**: readiness findings overridden with --force`);
    for (const finding of service.findings) notes.push(`- ${findingLine(finding, service.name)}`);
  }
  if (notes.length) lines.push('', ...notes);
  return `${lines.join('\n')}\n`;
}

// The outcome of apply per service, with the steps that took effect.
export function applyMarkdown(results: ServiceResult[], plan: Plan): string {
  const count = (status: ServiceResult['status']) => results.filter((r) => r.status === status).length;
  const failed = count('failed') + count('stale');
  const interrupted = count('interrupted');
  const state = interrupted ? 'interrupted' : failed ? 'failed' : 'complete';
  const parts = [`${count('applied')} changed`, `${failed} failed`, ...(interrupted ? [`${interrupted} not done`] : [])];
  const lines = ['### scalectl apply', '', `**Apply ${state}: ${parts.join(', ')}.**`];
  const icon = { applied: ':white_check_mark:', failed: ':x:', stale: ':x:', interrupted: ':pause_button:' } as const;
  const rows = results.map((result) => {
    const planned = plan.services.find((s) => s.name === result.service);
    const where = planned ? `${planned.provider} (${planned.adapter} ${planned.target})` : '';
    return [`${icon[result.status]} ${result.service}`, where, result.status, result.done.join('; '), result.error ?? ''];
  });
  if (rows.length) lines.push('', ...tableOf(['service', 'where', 'status', 'done', 'error'], rows));
  else lines.push('', 'Nothing to apply: the live state matches scaling.yaml.');
  if (failed) lines.push('', 'Run `scalectl plan` to see what is left, then apply again.');
  return `${lines.join('\n')}\n`;
}

function findingLine(finding: Finding, where?: string): string {
  const icon = finding.severity === 'error' ? ':x:' : finding.severity === 'warning' ? ':warning:' : ':information_source:';
  const place = `${where ? `${where}: ` : ''}${finding.file}:${finding.line}:${finding.column}`;
  return `${icon} \`${finding.ruleId}\` at ${place}: ${finding.message}`;
}

// Readiness findings: counts, then a table most severe first.
export function checkMarkdown(findings: Finding[]): string {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const sorted = [...findings].sort((a, b) => rank[a.severity] - rank[b.severity] || a.file.localeCompare(b.file) || a.line - b.line);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = ['### scalectl check', '', `**${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info.**`];
  if (sorted.length === 0) {
    lines.push('', 'No findings: nothing found that breaks when the code runs as several replicas.');
    return `${lines.join('\n')}\n`;
  }
  const rows = sorted.map((f) => [f.severity, code(f.ruleId), code(`${f.file}:${f.line}:${f.column}`), f.message, f.fix]);
  lines.push('', ...tableOf(['severity', 'rule', 'where', 'what breaks', 'fix'], rows));
  return `${lines.join('\n')}\n`;
}
