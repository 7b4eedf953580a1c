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

// Width of the panel names ("load concurrency" is the longest); the plot starts LABEL_WIDTH + 9 columns in.
const LABEL_WIDTH = 17;

function panel(label: string, values: number[], height: number, paint: (s: string) => string): string[] {
  const top = Math.max(1, ...values);
  const labelWidth = LABEL_WIDTH;
  const lines: string[] = [];
  for (let row = height - 1; row >= 0; row--) {
    let line = '';
    for (const v of values) {
      const eighths = Math.round((v / top) * height * 8) - row * 8;
      line += BLOCKS[Math.max(0, Math.min(8, eighths))];
    }
    const axis = row === height - 1 ? fmt(top) : row === 0 ? '0' : '';
    const name = row === height - 1 ? label : '';
    lines.push(`${name.padEnd(labelWidth)}${axis.padStart(7)} ┤${paint(line)}`);
  }
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

// The chart as lines, `width` columns of plot.
export function renderChart(result: SimulationResult, style: Style, width = 72, height = 6): string[] {
  const cols = Math.max(10, Math.min(width, result.steps));
  const field = primaryField(result);
  const lines: string[] = [];
  const totalMs = result.steps * result.stepMs;
  lines.push(style.bold(`${result.service}`) + style.dim(`  ${clock(0)}–${clock(totalMs)}, one column ≈ ${clock(totalMs / cols) === '0m' ? `${Math.round(totalMs / cols / 1000)}s` : clock(totalMs / cols)}`));
  if (field) lines.push(...panel(`load ${field}`, columns(result.load[field as keyof typeof result.load]!, cols), height, style.cyan));
  lines.push(...panel('instances', columns(result.series.instances, cols), height, style.green));
  const queued = columns(result.series.queued, cols);
  if (queued.some((q) => q > 0)) lines.push(...panel('queued', queued, 2, style.yellow));
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
  const painted = marks.map((m) => (m === '✕' ? style.red(m) : m === '~' ? style.yellow(m) : m));
  lines.push(`${'events'.padEnd(LABEL_WIDTH)}${''.padStart(7)}  ${painted.join('')}`);
  let axis = '';
  const ticks = 4;
  for (let k = 0; k <= ticks; k++) {
    const label = clock((totalMs * k) / ticks);
    const at = Math.round(((cols - 1) * k) / ticks);
    axis = axis.padEnd(at, ' ') + label;
  }
  lines.push(`${''.padEnd(LABEL_WIDTH + 9)}${axis.slice(0, cols + 6)}`);
  lines.push(style.dim(`${''.padEnd(LABEL_WIDTH + 9)}▲ scale-out  ▼ scale-in  ~ flapping avoided  ✕ drops  i idle removed  s schedule`));
  return lines;
}
