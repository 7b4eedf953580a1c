// Load curves for simulate: an inline shape grammar and CSV/JSON traces (parsing only; no file I/O).
//
//   spec   := series ((";" | " ") series)*
//   series := [field "="] expr            field: rps (default) | concurrency | queue | cpu | memory | external | latency
//   expr   := part ("+" part)*            parts add up
//   part   := number | steps(v, v@t, …) | ramp(from, to, start, length) | spike(height, at, length)
//           | daily(low, high[, HH:MM peak[, zone]]) | noise(amplitude[, seed])
//
// e.g. "rps=steps(100,800@10m,100@30m)+spike(2000,20m,30s) latency=250ms"
import { parseDuration } from '../config/duration.js';
import { localMs } from './clock.js';
import { ALL_FIELDS, FIELD, FIELD_COUNT, type LoadField } from './policy.js';
import type { LoadCurve } from './types.js';

// A part adds its value at `offsetMs` into acc[i]: writing into a Float64Array instead of returning a
// number keeps the per-step path free of boxed doubles (megamorphic calls box their results).
type Fn = (offsetMs: number, acc: Float64Array, i: number) => void;

// A part as data, evaluated by one loop in sample() (no closure call per part and step: the calls
// were megamorphic and cost more than the arithmetic). Shapes that need more than four numbers
// (steps, daily in a time zone) keep a closure, kind FN.
const CONST = 0, RAMP = 1, SPIKE = 2, DAILY = 3, NOISE = 4, FN = 5;
interface Part { kind: number; a: number; b: number; c: number; d: number; fn?: Fn }
const data = (kind: number, a: number, b = 0, c = 0, d = 0): Part => ({ kind, a, b, c, d });
const closure = (fn: Fn): Part => ({ kind: FN, a: 0, b: 0, c: 0, d: 0, fn });

const DAY_MS = 86_400_000;

// cos from a 4096-entry table with linear interpolation (error < 3e-7): daily cycles run every step.
const COS_SIZE = 4096;
const COS_TABLE = new Float64Array(COS_SIZE + 1);
for (let i = 0; i <= COS_SIZE; i++) COS_TABLE[i] = Math.cos((2 * Math.PI * i) / COS_SIZE);
// COS_TABLE[i + 1] − COS_TABLE[i], for the interpolation in fill().
const COS_STEP = new Float64Array(COS_SIZE);
for (let i = 0; i < COS_SIZE; i++) COS_STEP[i] = COS_TABLE[i + 1] - COS_TABLE[i];
const COS_SCALE = COS_SIZE / (2 * Math.PI);
function fastCos(x: number): number {
  const u = x * COS_SCALE;
  const i = Math.floor(u);
  const j = i & (COS_SIZE - 1);
  return COS_TABLE[j] + COS_STEP[j] * (u - i);
}

// A load spec or trace that cannot be read; the CLI turns it into a UsageError.
export class LoadSpecError extends Error {}

const FIELDS = Object.keys(FIELD) as LoadField[];

function duration(text: string, where: string): number {
  const ms = parseDuration(text.trim());
  if (ms === undefined) throw new LoadSpecError(`${where}: "${text}" is not a duration; expected e.g. 30s, 5m, 1h`);
  return ms;
}

function number(text: string, where: string): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value)) throw new LoadSpecError(`${where}: "${text}" is not a number`);
  return value;
}

// noise: a well-mixed value in [0, 1) from (seed, second), written out in sample() as
//   h = imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ imul(second, 0xc2b2ae35); two xor-shift-multiply rounds;
//   ((h ^ (h >>> 16)) >>> 0) / 2^32

function part(text: string, startMs: number): Part {
  const call = /^([a-z]+)\((.*)\)$/i.exec(text.trim());
  if (!call) {
    return data(CONST, number(text, `load part "${text}"`));
  }
  const [, name, body] = call;
  const args = body.split(',').map((a) => a.trim());
  const where = `${name}(${body})`;
  switch (name) {
    case 'steps': {
      const points = args.map((a, i) => {
        const [v, at] = a.split('@');
        if (i > 0 && at === undefined) throw new LoadSpecError(`${where}: "${a}" needs a time, e.g. 500@5m`);
        return { at: at === undefined ? 0 : duration(at, where), value: number(v, where) };
      });
      for (let i = 1; i < points.length; i++) {
        if (points[i].at < points[i - 1].at) throw new LoadSpecError(`${where}: times must not go backwards (${args[i]})`);
      }
      return closure((t, acc, slot) => {
        let value = points[0].value;
        for (let i = 1; i < points.length && points[i].at <= t; i++) value = points[i].value;
        acc[slot] += value;
      });
    }
    case 'ramp': {
      if (args.length !== 4) throw new LoadSpecError(`${where}: expected ramp(from, to, start, length), e.g. ramp(0,1000,5m,10m)`);
      const from = number(args[0], where);
      const to = number(args[1], where);
      const start = duration(args[2], where);
      const length = Math.max(1, duration(args[3], where));
      return data(RAMP, from, to, start, length);
    }
    case 'spike': {
      if (args.length !== 3) throw new LoadSpecError(`${where}: expected spike(height, at, length), e.g. spike(2000,10m,30s)`);
      const height = number(args[0], where);
      const at = duration(args[1], where);
      const length = duration(args[2], where);
      return data(SPIKE, height, at, length);
    }
    case 'daily': {
      if (args.length < 2 || args.length > 4) throw new LoadSpecError(`${where}: expected daily(low, high[, peak HH:MM[, zone]]), e.g. daily(50,800,14:00,Europe/Moscow)`);
      const low = number(args[0], where);
      const high = number(args[1], where);
      const peak = args[2] ? clockMinutes(args[2], where) : 14 * 60;
      const zone = args[3] || undefined;
      if (zone) checkZone(zone, where);
      // A cosine day cycle peaking at `peak` local time; no modulo in the per-step path.
      const mid = (low + high) / 2;
      const amplitude = (high - low) / 2;
      const k = (2 * Math.PI) / DAY_MS;
      const origin = Math.floor(localMs(zone, startMs) / DAY_MS) * DAY_MS + peak * 60_000;
      if (!zone) {
        return data(DAILY, mid, amplitude, (startMs - origin) * k, k);
      }
      return closure((t, acc, i) => {
        acc[i] += mid + amplitude * fastCos((localMs(zone, startMs + t) - origin) * k);
      });
    }
    case 'noise': {
      const amplitude = number(args[0] ?? '', where);
      const seed = args[1] ? number(args[1], where) : 1;
      // One value per second of offset, from a hash of (seed, second): random access, no state.
      // The seed's half of hash01, mixed once (an int32, exact in params).
      return data(NOISE, amplitude, Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b));
    }
  }
  throw new LoadSpecError(`unknown load shape "${name}"; expected steps, ramp, spike, daily or noise`);
}

function clockMinutes(text: string, where: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) throw new LoadSpecError(`${where}: "${text}" is not a time of day; expected HH:MM`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function checkZone(zone: string, where: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new LoadSpecError(`${where}: unknown time zone "${zone}"; use an IANA name such as Europe/Moscow`);
  }
}

// Splits on ";" and on spaces outside parentheses.
function splitSeries(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth === 0 && (ch === ';' || /\s/.test(ch))) {
      if (current.trim()) out.push(current.trim());
      current = '';
    } else if (!/\s/.test(ch)) current += ch;
  }
  if (depth !== 0) throw new LoadSpecError(`load "${text}" has unbalanced parentheses`);
  if (current.trim()) out.push(current.trim());
  return out;
}

function splitParts(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth === 0 && ch === '+' && current !== '') {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}

// Parses an inline load shape; `start` anchors daily cycles to wall-clock time.
export function parseLoadSpec(text: string, start: Date): LoadCurve {
  const series = new Map<LoadField, Part[]>();
  for (const item of splitSeries(text)) {
    const eq = item.indexOf('=');
    const field = (eq >= 0 ? item.slice(0, eq) : 'rps') as LoadField;
    if (!FIELDS.includes(field)) throw new LoadSpecError(`load field "${field}" is unknown; expected one of ${FIELDS.join(', ')}`);
    const body = eq >= 0 ? item.slice(eq + 1) : item;
    if (series.has(field)) throw new LoadSpecError(`load field "${field}" is given twice; add shapes with +, e.g. ${field}=100+spike(500,5m,1m)`);
    if (field === 'latency') {
      series.set(field, [data(CONST, duration(body, 'latency'))]);
      continue;
    }
    series.set(field, splitParts(body).map((p) => part(p, start.getTime())));
  }
  if (series.size === 0) throw new LoadSpecError('the load is empty; e.g. --load "rps=steps(100,800@10m)"');
  const fields = [...series.keys()];
  // Flattened: field f sums parts ends[f-1]..ends[f] into slots[f]; part p's numbers at params[4p..4p+3].
  const all = fields.flatMap((f) => series.get(f)!);
  const slots = Int32Array.from(fields, (f) => FIELD[f]);
  const ends = new Int32Array(fields.length);
  for (let f = 0, n = 0; f < fields.length; f++) ends[f] = n += series.get(fields[f])!.length;
  const kinds = Int32Array.from(all, (p) => p.kind);
  const params = new Float64Array(all.length * 4);
  all.forEach((p, i) => params.set([p.a, p.b, p.c, p.d], i * 4));
  const fns = all.map((p) => p.fn);
  // A field of constant parts only (a latency, a fixed rate) has one value: summed and clamped once, in the
  // same order as per step; NaN for the others.
  const fixed = new Float64Array(fields.length).fill(Number.NaN);
  for (let f = 0, p = 0; f < fields.length; p = ends[f++]) {
    if (!kinds.subarray(p, ends[f]).every((kind) => kind === CONST)) continue;
    let value = 0;
    for (let q = p; q < ends[f]; q++) value += params[q * 4];
    fixed[f] = value < 0 ? 0 : value;
  }
  // One field's sum over a block of steps, before it is clamped and written out strided (contiguous, so
  // the parts add up with plain indexes; replaced only by a longer block, so fill does not allocate).
  let sums = new Float64Array(256);
  // Adds up each field part by part, with one loop per kind of part: no per-step branch on the kind, and
  // no path first taken late in a run (that deoptimizes the compiled loop). Each value is the same sum, in
  // the same order, as one step at a time. Fields not in `wanted` (a mask of 1 << FIELD[f]) are skipped.
  const fill = (first: number, stepMs: number, count: number, out: Float64Array, stride: number, wanted = ALL_FIELDS): void => {
    const sum = sums.length >= count ? sums : (sums = new Float64Array(count));
    let p = 0;
    for (let f = 0; f < slots.length; f++) {
      const end = ends[f];
      if ((wanted & (1 << slots[f])) === 0) {
        p = end;
        continue;
      }
      const value = fixed[f];
      if (value === value) {
        for (let j = 0, o = slots[f]; j < count; j++, o += stride) out[o] = value;
        p = end;
        continue;
      }
      sum.fill(0, 0, count);
      for (; p < end; p++) {
        const q = p * 4;
        const a = params[q], b = params[q + 1], c = params[q + 2], d = params[q + 3];
        // fastCos and hash01 written out: calls that are not inlined box their double arguments and results.
        switch (kinds[p]) {
          case CONST:
            for (let j = 0; j < count; j++) sum[j] += a;
            break;
          case DAILY:
            for (let j = 0; j < count; j++) {
              const t = (first + j) * stepMs;
              const u = (c + t * d) * COS_SCALE;
              const floor = Math.floor(u);
              const i = floor & (COS_SIZE - 1);
              sum[j] += a + b * (COS_TABLE[i] + COS_STEP[i] * (u - floor));
            }
            break;
          case NOISE:
            for (let j = 0; j < count; j++) {
              const t = (first + j) * stepMs;
              let h = b ^ Math.imul(Math.floor(t / 1000), 0xc2b2ae35);
              h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
              h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
              sum[j] += ((((h ^ (h >>> 16)) >>> 0) / 4294967296) * 2 - 1) * a;
            }
            break;
          case SPIKE: {
            // Adding 0 outside the spike leaves the sum as it is (it is never −0); a block the spike does not
            // reach is skipped.
            const endsAt = b + c;
            if ((first + count - 1) * stepMs < b || first * stepMs >= endsAt) break;
            for (let j = 0; j < count; j++) {
              const t = (first + j) * stepMs;
              sum[j] += t >= b && t < endsAt ? a : 0;
            }
            break;
          }
          case RAMP:
            for (let j = 0; j < count; j++) {
              const t = (first + j) * stepMs;
              sum[j] += t <= c ? a : t >= c + d ? b : a + ((b - a) * (t - c)) / d;
            }
            break;
          default: {
            const fn = fns[p]!;
            for (let j = 0; j < count; j++) fn((first + j) * stepMs, sum, j);
          }
        }
      }
      for (let j = 0, o = slots[f]; j < count; j++, o += stride) {
        const v = sum[j];
        out[o] = v < 0 ? 0 : v;
      }
    }
  };
  return {
    fields,
    describe: text,
    sample(t, out) {
      fill(t, 1, 1, out, FIELD_COUNT);
    },
    fill,
  };
}
