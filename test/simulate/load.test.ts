// The load grammar (steps, ramp, spike, daily, noise, latency), traces, and the combine formulas.
import { describe, expect, it } from 'vitest';
import { compileCombine } from '../../src/simulate/formula.js';
import { parseLoadSpec } from '../../src/simulate/load.js';
import { FIELD, FIELD_COUNT } from '../../src/simulate/policy.js';
import { parseCsvTrace, parseJsonTrace } from '../../src/simulate/trace.js';
import type { LoadCurve } from '../../src/simulate/types.js';

const start = new Date('2026-03-02T00:00:00Z');
const MIN = 60_000;

function at(curve: LoadCurve, offsetMs: number, field: keyof typeof FIELD = 'rps'): number {
  const out = new Float64Array(FIELD_COUNT).fill(Number.NaN);
  curve.sample(offsetMs, out);
  return out[FIELD[field]];
}

describe('inline load shapes', () => {
  it('steps hold each value from its time on', () => {
    const c = parseLoadSpec('rps=steps(100,800@10m,100@30m)', start);
    expect([0, 9.99 * MIN, 10 * MIN, 29 * MIN, 30 * MIN, 90 * MIN].map((t) => at(c, t))).toEqual([100, 100, 800, 800, 100, 100]);
  });

  it('ramps, spikes and constants add up; the default field is rps', () => {
    const c = parseLoadSpec('50+ramp(0,100,1m,2m)+spike(1000,5m,30s)', start);
    expect(c.fields).toEqual(['rps']);
    expect(at(c, 0)).toBe(50);
    expect(at(c, 2 * MIN)).toBe(100);
    expect(at(c, 3 * MIN)).toBe(150);
    expect(at(c, 5 * MIN + 29_000)).toBe(1150);
    expect(at(c, 5 * MIN + 30_000)).toBe(150);
  });

  it('daily peaks at the given local time and bottoms out 12 h later', () => {
    const c = parseLoadSpec('rps=daily(100,900,14:00,Europe/Moscow)', start); // 14:00 MSK = 11:00 UTC
    expect(at(c, 11 * 60 * MIN)).toBeCloseTo(900, 3);
    expect(at(c, 23 * 60 * MIN)).toBeCloseTo(100, 3);
    expect(at(c, 17 * 60 * MIN)).toBeCloseTo(500, 3);
  });

  it('noise is deterministic, bounded and per second', () => {
    const a = parseLoadSpec('rps=100+noise(20,7)', start);
    const b = parseLoadSpec('rps=100+noise(20,7)', start);
    const values = Array.from({ length: 200 }, (_, s) => at(a, s * 1000));
    expect(values).toEqual(Array.from({ length: 200 }, (_, s) => at(b, s * 1000)));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(80);
    expect(Math.max(...values)).toBeLessThanOrEqual(120);
    expect(new Set(values).size).toBeGreaterThan(150);
    expect(at(a, 1500)).toBe(at(a, 1000));
  });

  it('several fields, latency as a duration, negative sums clamp to 0', () => {
    const c = parseLoadSpec('concurrency=steps(5,30@1m); cpu=200 latency=250ms queue=10+ramp(0,-50,0s,1m)', start);
    expect(c.fields).toEqual(['concurrency', 'cpu', 'latency', 'queue']);
    expect(at(c, 2 * MIN, 'concurrency')).toBe(30);
    expect(at(c, 0, 'latency')).toBe(250);
    expect(at(c, 2 * MIN, 'queue')).toBe(0);
  });

  it('says what is wrong and how to write it', () => {
    expect(() => parseLoadSpec('rps=ramp(1,2)', start)).toThrow('ramp(1,2): expected ramp(from, to, start, length), e.g. ramp(0,1000,5m,10m)');
    expect(() => parseLoadSpec('users=10', start)).toThrow('load field "users" is unknown; expected one of rps, concurrency, queue, cpu, memory, external, latency');
    expect(() => parseLoadSpec('rps=steps(1,2@5x)', start)).toThrow('steps(1,2@5x): "5x" is not a duration; expected e.g. 30s, 5m, 1h');
    expect(() => parseLoadSpec('rps=steps(1,5@10m,2@5m)', start)).toThrow('steps(1,5@10m,2@5m): times must not go backwards (2@5m)');
    expect(() => parseLoadSpec('rps=10 rps=20', start)).toThrow('load field "rps" is given twice');
    expect(() => parseLoadSpec('rps=daily(1,2,14:00,Mars/Base)', start)).toThrow('unknown time zone "Mars/Base"');
  });
});

describe('traces', () => {
  it('CSV: offsets, step interpolation, empty cells are not measured', () => {
    const { curve } = parseCsvTrace('# exported\ntime,rps,cpu\n0,100,\n30s,200,50\n2m,50,10\n');
    expect([0, 29_000, 30_000, 119_000, 120_000, 999_000].map((t) => at(curve, t))).toEqual([100, 100, 200, 200, 50, 50]);
    expect(at(curve, 0, 'cpu')).toBeNaN();
    expect(at(curve, 40_000, 'cpu')).toBe(50);
    expect(at(curve, 10_000)).toBe(100); // random access backwards works
  });

  it('JSON: timestamps relative to the first row, linear interpolation', () => {
    const trace = parseJsonTrace(JSON.stringify({ interpolate: 'linear', points: [{ time: '2026-03-02T10:00:00Z', rps: 0 }, { time: '2026-03-02T10:01:40Z', rps: 100 }] }));
    expect(trace.startsAt?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(at(trace.curve, 50_000)).toBe(50);
    expect(at(trace.curve, 200_000)).toBe(100);
  });

  it('rejects unknown columns, unsorted rows and bad numbers', () => {
    expect(() => parseCsvTrace('time,users\n0,1\n', 'load.csv')).toThrow('load.csv: unknown column(s) users; expected rps, concurrency, queue, cpu, memory, external, latency');
    expect(() => parseCsvTrace('time,rps\n1m,1\n0s,2\n', 'load.csv')).toThrow('load.csv row 2: time goes backwards; sort the rows by time');
    expect(() => parseCsvTrace('time,rps\n0,abc\n', 'load.csv')).toThrow('load.csv row 1: rps "abc" is not a number');
    expect(() => parseCsvTrace('rps\n1\n', 'load.csv')).toThrow('load.csv has no time column; expected one named time, t, at, offset, timestamp');
    expect(() => parseJsonTrace('{', 'load.json')).toThrow(/^load\.json is not valid JSON/);
  });
});

describe('combine', () => {
  const counts = Float64Array.from([4, 9, 2]);
  const names = ['concurrency', 'rps', 'cpu'];
  it('max, min, avg and formulas over metric types', () => {
    expect(compileCombine(undefined, names)(counts)).toBe(9);
    expect(compileCombine('min', names)(counts)).toBe(2);
    expect(compileCombine('avg', names)(counts)).toBe(5);
    expect(compileCombine('max(concurrency, rps * 1.2)', names)(counts)).toBeCloseTo(10.8);
    expect(compileCombine('(concurrency + cpu) / 2 - -1', names)(counts)).toBe(4);
    expect(compileCombine('ceil(rps / 2) + floor(cpu / 3)', names)(counts)).toBe(5);
  });
  it('names the unknown metric', () => {
    expect(() => compileCombine('queue * 2', names)).toThrow('combine formula "queue * 2": "queue" is not a metric of this service');
  });
});
