// The summary table (one run or two side by side) and the event list for the terminal.
import type { Style } from '../output/style.js';
import { clock } from './chart.js';
import type { SimulationResult, Summary } from './types.js';

const int = (x: number) => Math.round(x).toLocaleString('en-US');
const ms = (x: number) => (x >= 1000 ? `${Math.round(x / 100) / 10}s` : `${Math.round(x)}ms`);
const pct = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(2)}%` : '0.00%');

const ROWS: Array<[string, (s: Summary) => string]> = [
  ['peak instances', (s) => String(s.peakInstances)],
  ['mean instances', (s) => (Math.round(s.meanInstances * 100) / 100).toString()],
  ['cold starts', (s) => String(s.coldStarts)],
  ['scale-outs / scale-ins', (s) => `${s.scaleOuts} / ${s.scaleIns}`],
  ['flapping avoided', (s) => String(s.flappingAvoided)],
  ['requests', (s) => int(s.requests)],
  ['queued (waited)', (s) => `${int(s.queuedRequests)} (${pct(s.queuedRequests, s.requests)})`],
  ['dropped', (s) => `${int(s.dropped)} (${pct(s.dropped, s.requests)})`],
  ['peak queue', (s) => int(s.peakQueued)],
  ['added latency p50/p95/p99', (s) => `${ms(s.waitP50)} / ${ms(s.waitP95)} / ${ms(s.waitP99)}`],
  ['instance-hours', (s) => (Math.round(s.instanceHours * 100) / 100).toString()],
];

// The table for one or more runs (columns = runs).
export function renderSummary(results: SimulationResult[], style: Style, headers?: string[]): string[] {
  const names = headers ?? results.map((r) => r.service);
  const cells = ROWS.map(([label, get]) => [label, ...results.map((r) => get(r.summary))]);
  const widths = [Math.max(...ROWS.map(([l]) => l.length)), ...names.map((n, i) => Math.max(n.length, ...cells.map((row) => row[i + 1].length)))];
  const line = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[0]) : c.padStart(widths[i]))).join('  ');
  return [style.bold(line(['', ...names])), ...cells.map(line)];
}

// The events, one per line within `width` columns (a long reason continues below), at most
// `limit` (the rest counted).
export function renderEvents(result: SimulationResult, style: Style, limit = 20, width = Infinity): string[] {
  const lines: string[] = [];
  const shown = result.events.slice(0, limit);
  for (const e of shown) {
    const when = clock(e.at).padStart(6);
    const move = e.from !== undefined && e.to !== undefined ? ` ${e.from}→${e.to}` : '';
    const kind = e.kind === 'drops' ? style.red(e.kind) : e.kind === 'flapping-avoided' ? style.yellow(e.kind) : e.kind;
    const head = `${when}  ${e.kind}${move}  `;
    if (head.length + e.detail.length <= width) {
      lines.push(`${when}  ${kind}${move}  ${style.dim(e.detail)}`);
      continue;
    }
    lines.push(`${when}  ${kind}${move}`);
    const indent = ' '.repeat(10);
    let line = '';
    for (const word of e.detail.split(' ')) {
      if (line && indent.length + line.length + 1 + word.length > width) {
        lines.push(indent + style.dim(line));
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) lines.push(indent + style.dim(line));
  }
  if (result.events.length > limit) lines.push(style.dim(`  … ${result.events.length - limit} more (-v lists all, --json has every step)`));
  return lines;
}
