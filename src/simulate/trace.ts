// Load traces from CSV or JSON text: rows of (time, rps, concurrency, queue, cpu, memory, external, latency).
// time: an offset ("90s", "5m", plain seconds) or an ISO timestamp (offsets from the first row).
// Between rows the value holds (step) unless JSON says "interpolate": "linear"; after the last row it holds.
import { parseDuration } from '../config/duration.js';
import { ALL_FIELDS, FIELD, type LoadField } from './policy.js';
import { LoadSpecError } from './load.js';
import type { LoadCurve } from './types.js';

// A parsed trace: its curve, absolute start and length.
export interface Trace {
  curve: LoadCurve;
  /** The first row's timestamp when the trace uses absolute times. */
  startsAt?: Date;
  /** Offset of the last row, ms. */
  lengthMs: number;
}

const TIME_KEYS = ['time', 't', 'at', 'offset', 'timestamp'];
const FIELDS = Object.keys(FIELD) as LoadField[];

type Row = Record<string, unknown>;

function parseTime(value: unknown, row: number, source: string): { offset?: number; absolute?: number } {
  if (typeof value === 'number') return { offset: value * 1000 };
  const text = String(value ?? '').trim();
  if (/^\d+(\.\d+)?$/.test(text)) return { offset: Number(text) * 1000 };
  const ms = parseDuration(text);
  if (ms !== undefined) return { offset: ms };
  const absolute = Date.parse(text);
  if (!Number.isNaN(absolute) && /^\d{4}-\d{2}-\d{2}/.test(text)) return { absolute };
  throw new LoadSpecError(`${source} row ${row}: time "${text}" is neither an offset (90s, 5m, seconds) nor an ISO timestamp`);
}

function fromRows(rows: Row[], source: string, linear: boolean): Trace {
  if (rows.length === 0) throw new LoadSpecError(`${source} has no rows; expected a header and at least one row`);
  const keys = Object.keys(rows[0]);
  const timeKey = keys.find((k) => TIME_KEYS.includes(k.toLowerCase()));
  if (!timeKey) throw new LoadSpecError(`${source} has no time column; expected one named ${TIME_KEYS.join(', ')}`);
  const unknown = keys.filter((k) => k !== timeKey && !FIELDS.includes(k as LoadField));
  if (unknown.length > 0) throw new LoadSpecError(`${source}: unknown column(s) ${unknown.join(', ')}; expected ${FIELDS.join(', ')}`);
  const fields = keys.filter((k) => k !== timeKey) as LoadField[];
  const times = new Float64Array(rows.length);
  const columns = fields.map(() => new Float64Array(rows.length));
  let first: number | undefined;
  rows.forEach((row, i) => {
    const time = parseTime(row[timeKey], i + 1, source);
    if (time.absolute !== undefined) first ??= time.absolute;
    times[i] = time.offset ?? time.absolute! - first!;
    if (i > 0 && times[i] < times[i - 1]) throw new LoadSpecError(`${source} row ${i + 1}: time goes backwards; sort the rows by time`);
    fields.forEach((field, f) => {
      const raw = row[field];
      const value = raw === undefined || raw === null || String(raw).trim() === '' ? Number.NaN : Number(raw);
      if (!Number.isNaN(value) && !Number.isFinite(value)) throw new LoadSpecError(`${source} row ${i + 1}: ${field} "${raw}" is not a number`);
      if (String(raw ?? '').trim() !== '' && Number.isNaN(Number(raw))) throw new LoadSpecError(`${source} row ${i + 1}: ${field} "${raw}" is not a number`);
      columns[f][i] = value;
    });
  });
  const indexes = Int32Array.from(fields, (f) => FIELD[f]);
  let cursor = 0;
  // Writes the row values at `offsetMs` (held, or linear between rows) at out[base + FIELD[field]].
  const write = (offsetMs: number, out: Float64Array, base: number, wanted: number): void => {
    if (cursor > 0 && times[cursor] > offsetMs) cursor = 0;
    while (cursor + 1 < times.length && times[cursor + 1] <= offsetMs) cursor++;
    const next = cursor + 1 < times.length ? cursor + 1 : cursor;
    const span = times[next] - times[cursor];
    const w = linear && span > 0 && offsetMs > times[cursor] ? Math.min(1, (offsetMs - times[cursor]) / span) : 0;
    for (let f = 0; f < indexes.length; f++) {
      if ((wanted & (1 << indexes[f])) === 0) continue;
      const a = columns[f][cursor];
      const b = columns[f][next];
      out[base + indexes[f]] = w > 0 && !Number.isNaN(b) ? a + (b - a) * w : a;
    }
  };
  const curve: LoadCurve = {
    fields,
    describe: `${source} (${rows.length} rows)`,
    sample(offsetMs, out) {
      write(offsetMs, out, 0, ALL_FIELDS);
    },
    fill(first, stepMs, count, out, stride, wanted = ALL_FIELDS) {
      for (let j = 0; j < count; j++) write((first + j) * stepMs, out, j * stride, wanted);
    },
  };
  return { curve, startsAt: first !== undefined ? new Date(first) : undefined, lengthMs: times[times.length - 1] };
}

// Parses CSV (a header row, comma-separated, # comments) into a trace.
export function parseCsvTrace(text: string, source = 'trace.csv'): Trace {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length < 2) throw new LoadSpecError(`${source} needs a header row and at least one data row, e.g. "time,rps" then "0s,100"`);
  const header = lines[0].split(',').map((h) => h.trim());
  const rows = lines.slice(1).map((line, i) => {
    const cells = line.split(',');
    if (cells.length > header.length) throw new LoadSpecError(`${source} row ${i + 1}: ${cells.length} cells but the header has ${header.length}`);
    return Object.fromEntries(header.map((h, c) => [h, cells[c]?.trim() ?? '']));
  });
  return fromRows(rows, source, false);
}

// Parses JSON: an array of rows, or { interpolate?: "step" | "linear", points: [...] }.
export function parseJsonTrace(text: string, source = 'trace.json'): Trace {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new LoadSpecError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(data)) return fromRows(data as Row[], source, false);
  if (data && typeof data === 'object' && Array.isArray((data as { points?: unknown }).points)) {
    const { points, interpolate } = data as { points: Row[]; interpolate?: string };
    if (interpolate !== undefined && interpolate !== 'step' && interpolate !== 'linear') {
      throw new LoadSpecError(`${source}: interpolate "${interpolate}" is not step or linear`);
    }
    return fromRows(points, source, interpolate === 'linear');
  }
  throw new LoadSpecError(`${source}: expected an array of rows or { "points": [...] }`);
}
