// The terminal chart: load over time above instances over time, events marked on their own row.
import type { Style } from '../output/style.js';
import type { EventKind, SimulationResult } from './types.js';

const BLOCKS = ' ▁▂▃▄▅▆▇█';
const MARKS: Record<EventKind, string> = { drops: '✕', 'flapping-avoided': '~', 'scale-out': '▲', 'scale-in': '▼', schedule: 's', 'idle-removed': 'i' };
const PRIORITY: EventKind[] = ['drops', 'flapping-avoided', 'scale-out', 'scale-in', 'idle-removed', 'schedule'];

// The load field the chart shows: rps, else concurrency, else the first one.
export function primaryField(result: SimulationResult): string | undefined {
  const fields = result.fields.filter((f) => f !== 'latency');
  return fields.includes('rps') ? 'rps' : fields.includes('concurrency') ? 'concurrency' : fields[0];
}

// Per-column maxima of a series squeezed into `width` columns.
function columns(values: ArrayLike<number>, width: number): number[] {
  const out = new Array<number>(width).fill(0);
  const n = values.length;
  for (let c = 0; c < width; c++) {
    const from = Math.floor((c * n) / width);
    const to = Math.max(from + 1, Math.floor(((c + 1) * n) / width));
    let max = 0;
    for (let i = from; i < to && i < n; i++) if (values[i] > max) max = values[i];
    out[c] = max;
  }
  return out;
}

interface Panel { label: string; values: number[]; height: number; paint: (s: string) => string }

// Rows of one panel; `labelWidth` and `axisWidth` line the panels up. No trailing spaces.
function panelLines(p: Panel, labelWidth: number, axisWidth: number): string[] {
  const top = Math.max(1, ...p.values);
  const lines: string[] = [];
  for (let row = p.height - 1; row >= 0; row--) {
    let line = '';
    for (const v of p.values) {
      const eighths = Math.round((v / top) * p.height * 8) - row * 8;
      line += BLOCKS[Math.max(0, Math.min(8, eighths))];
    }
    const axis = row === p.height - 1 ? fmt(top) : row === 0 ? '0' : '';
    const name = row === p.height - 1 ? p.label : '';
    const plot = line.trimEnd();
    lines.push(`${name.padEnd(labelWidth)} ${axis.padStart(axisWidth)} ┤${plot ? p.paint(plot) : ''}`);
  }
  return lines;
}

// Words joined into lines of at most `width` columns.
function wrap(words: string[], width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && indent.length + line.length + 2 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line}  ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}

// A short number for axis labels: 12k, 340, 7.5.
export function fmt(x: number): string {
  if (x >= 10_000) return `${Math.round(x / 1000)}k`;
  if (x >= 100) return String(Math.round(x));
  return String(Math.round(x * 10) / 10);
}

// "1h05m" style offsets for the time axis.
export function clock(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h}h` : `${h}h${String(m).padStart(2, '0')}`;
}

const LEGEND = ['▲ scale-out', '▼ scale-in', '~ flapping avoided', '✕ drops', 'i idle removed', 's schedule'];
// The narrowest terminal the chart is laid out for; narrower ones wrap.
export const MIN_WIDTH = 60;

// The chart as lines of at most `width` columns (the terminal's, at least MIN_WIDTH).
export function renderChart(result: SimulationResult, style: Style, width = 80, height = 6): string[] {
  const total = Math.max(MIN_WIDTH, Math.floor(width));
  const field = primaryField(result);
  const panels: (Omit<Panel, 'values'> & { series: ArrayLike<number> })[] = [];
  if (field) panels.push({ label: `load ${field}`, series: result.load[field as keyof typeof result.load]!, height, paint: style.cyan });
  panels.push({ label: 'instances', series: result.series.instances, height, paint: style.green });
  const queuedAny = Array.prototype.some.call(result.series.queued, (q: number) => q > 0);
  if (queuedAny) panels.push({ label: 'queued', series: result.series.queued, height: 2, paint: style.yellow });
  // Left margin: the longest panel name, then the widest axis label; the plot takes the rest.
  const labelWidth = Math.max('events'.length, ...panels.map((p) => p.label.length));
  const axisWidth = Math.max(1, ...panels.map((p) => fmt(Math.max(1, ...Array.from(p.series))).length));
  const margin = labelWidth + 1 + axisWidth + 2;
  const cols = Math.max(10, Math.min(total - margin, 100, result.steps));
  const totalMs = result.steps * result.stepMs;
  const lines: string[] = [];
  const perColumn = clock(totalMs / cols) === '0m' ? `${Math.round(totalMs / cols / 1000)}s` : clock(totalMs / cols);
  lines.push(style.bold(`${result.service}`) + style.dim(`  ${clock(0)}–${clock(totalMs)}, one column ≈ ${perColumn}`));
  for (const p of panels) lines.push(...panelLines({ ...p, values: columns(p.series, cols) }, labelWidth, axisWidth));
  const marks = new Array<string>(cols).fill(' ');
  const rank = new Array<number>(cols).fill(99);
  for (const event of result.events) {
    const c = Math.min(cols - 1, Math.floor((event.at / totalMs) * cols));
    const p = PRIORITY.indexOf(event.kind);
    if (p < rank[c]) {
      rank[c] = p;
      marks[c] = MARKS[event.kind];
    }
  }
  const painted = marks.map((m) => (m === '✕' ? style.red(m) : m === '~' ? style.yellow(m) : m)).join('').trimEnd();
  lines.push(`${'events'.padEnd(margin)}${painted}`.trimEnd());
  // Time ticks under the plot: as many as fit with room between them.
  let axis = '';
  const ticks = cols >= 60 ? 4 : 2;
  for (let k = 0; k <= ticks; k++) {
    const label = clock((totalMs * k) / ticks);
    const at = k === 0 ? 0 : k === ticks ? cols - label.length : Math.round((cols * k) / ticks - label.length / 2);
    if (k > 0 && at <= axis.length) continue; // no room: skip this tick
    axis = axis.padEnd(at) + label;
  }
  const indent = ' '.repeat(margin);
  lines.push(`${indent}${axis}`.slice(0, total).trimEnd());
  for (const legend of wrap(LEGEND, total, indent)) lines.push(style.dim(legend));
  return lines;
}
