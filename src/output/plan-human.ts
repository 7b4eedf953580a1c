// The human rendering of a plan: Terraform-like per-field lines and a stable summary line.
import type { FieldChange } from '../../adapters/contract.js';
import type { Plan, PlannedService } from '../plan/types.js';
import type { Style } from './style.js';
import { formatValue } from './values.js';

// "Plan: N to change, M unchanged, K errors." — stable for scripts that grep it.
export function summaryLine(plan: Plan): string {
  const { toChange, unchanged, errors } = plan.summary;
  return `Plan: ${toChange} to change, ${unchanged} unchanged, ${errors} error${errors === 1 ? '' : 's'}.`;
}

function symbolOf(change: FieldChange): '+' | '~' | '-' {
  if (change.before === null) return '+';
  if (change.after === null) return '-';
  return '~';
}

function colourOf(style: Style, symbol: string): (text: string) => string {
  return symbol === '+' ? style.green : symbol === '-' ? style.red : style.yellow;
}

// Every line of the plan for a terminal or a log.
export function renderPlan(plan: Plan, style: Style): string[] {
  const lines: string[] = plan.environment ? [`Environment: ${style.bold(plan.environment)}`, ''] : [];
  for (const service of plan.services) lines.push(...renderService(service, style));
  lines.push(plan.summary.toChange === 0 && plan.summary.errors === 0 ? `No changes. ${summaryLine(plan)}` : summaryLine(plan));
  return lines;
}

function renderService(service: PlannedService, style: Style): string[] {
  if (service.changes.length === 0 && service.errors.length === 0 && service.warnings.length === 0) return [];
  const lines: string[] = [];
  const where = style.dim(`(${service.provider}: ${service.adapter} ${service.target})`);
  const head = service.action === 'create' ? style.green('+') : service.changes.length ? style.yellow('~') : ' ';
  const what = service.action === 'create' ? ' will be created' : service.changes.length ? ' will be updated' : '';
  lines.push(`${head} ${style.bold(service.name)} ${where}${what}`);
  const rows = service.changes.map((change) => {
    const symbol = symbolOf(change);
    const colour = colourOf(style, symbol);
    const value =
      symbol === '+' ? formatValue(change.after) : symbol === '-' ? `${formatValue(change.before)} → (removed)` : `${formatValue(change.before)} → ${formatValue(change.after)}`;
    const support = change.support === 'native' ? '' : change.support === 'emulated' ? style.yellow('[emulated] ') : style.red('[unsupported] ');
    const note = [change.note, change.cause].filter(Boolean).join(', ');
    return `    ${colour(symbol)} ${service.name}.${change.field}: ${value}  ${support}${style.dim(note ? `# ${note}` : '')}`.trimEnd();
  });
  lines.push(...rows);
  for (const warning of service.warnings) lines.push(`    ${style.yellow('warning:')} ${warning}`);
  for (const error of service.errors) lines.push(`    ${style.red('error:')} ${error}`);
  for (const finding of service.findings) {
    lines.push(`    ${style.dim(`${finding.severity} ${finding.ruleId} at ${finding.file}:${finding.line}:${finding.column}: ${finding.message}`)}`);
  }
  lines.push('');
  return lines;
}
