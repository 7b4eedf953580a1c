// Property tests over seeded random policies and loads (a small generator, no dependency):
// the count stays within [min, max] and the schedule's bounds, constant load converges, nothing is
// dropped while hot capacity covers the load, and runs are deterministic.
import { describe, expect, it } from 'vitest';
import type { Autoscale, Metric, Traffic } from '../../src/config/model.js';
import { simulate } from '../../src/simulate/index.js';
import { seededRandom } from '../../src/util/random.js';
import { FIELD } from '../../src/simulate/policy.js';
import { boundsAt } from '../../src/simulate/schedule.js';
import type { LoadCurve } from '../../src/simulate/types.js';
import { constant, service, T0 } from './helpers.js';

const RUNS = 60;

function generator(seed: number) {
  const random = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: T[]): T => items[int(0, items.length - 1)];
  const chance = (p: number) => random() < p;
  return { random, int, pick, chance };
}

function randomPolicy(g: ReturnType<typeof generator>): { autoscale: Autoscale; traffic: Traffic } {
  const min = g.int(0, 4);
  const max = Math.max(1, min + g.int(0, 15));
  const metrics: Metric[] = [];
  if (g.chance(0.7)) metrics.push({ type: 'concurrency', target: g.int(2, 50), limit: g.chance(0.5) ? g.int(5, 80) : undefined });
  if (g.chance(0.5)) metrics.push({ type: 'rps', target: g.int(5, 200) });
  if (g.chance(0.4)) metrics.push({ type: 'cpu', utilization: g.int(30, 90) });
  if (metrics.length === 0) metrics.push({ type: 'rps', target: 50 });
  const rules = () => ({
    stabilization: g.pick(['0s', '30s', '2m', '5m']),
    cooldown: g.pick([undefined, '0s', '1m']),
    policies: g.chance(0.5) ? [{ pods: g.int(1, 5), period: g.pick(['15s', '60s']) }, { percent: g.int(10, 200), period: '30s' }] : undefined,
    select: g.pick(['max', 'min', 'max'] as const),
  });
  const schedules = g.chance(0.4)
    ? [{ name: 'busy', recurring: { days: ['Mon' as const, 'Tue' as const], start: '00:20', end: '00:50' }, timezone: g.pick(['UTC', 'Europe/Moscow', 'America/New_York']), min: g.int(0, 6), max: g.int(6, 12) }]
    : undefined;
  return {
    autoscale: {
      min,
      max,
      metrics,
      behavior: { tolerance: g.pick([0, 0.05, 0.1]), scaleUp: rules(), scaleDown: rules(), flapping: g.pick(['guard', 'off'] as const) },
      schedules,
    },
    traffic: { coldStart: g.pick(['0s', '5s', '30s']), queueTimeout: g.pick(['5s', '30s']), instanceIdleTimeout: g.pick(['1m', '5m']) },
  };
}

function randomLoad(g: ReturnType<typeof generator>): LoadCurve {
  const segments = Array.from({ length: 12 }, () => ({ rps: g.int(0, 600), cpu: g.int(0, 400), latency: g.pick([50, 100, 500]) }));
  return {
    fields: ['rps', 'cpu', 'latency'],
    describe: 'random',
    sample(offsetMs, out) {
      const s = segments[Math.min(segments.length - 1, Math.floor(offsetMs / 300_000))];
      out[FIELD.rps] = s.rps;
      out[FIELD.cpu] = s.cpu;
      out[FIELD.latency] = s.latency;
    },
  };
}

describe('properties', () => {
  it('the count never leaves [min, max] nor the schedule bounds in force', () => {
    let scheduled = 0;
    for (let seed = 1; seed <= RUNS; seed++) {
      const g = generator(seed);
      const { autoscale, traffic } = randomPolicy(g);
      // Monday 00:00 UTC start; the schedule window (Mon/Tue 00:20–00:50 local) falls inside for UTC and Moscow.
      const result = simulate(service(autoscale, traffic), randomLoad(g), { start: T0, durationMs: 3_600_000, stepMs: 5000 });
      const s = result.series;
      for (let i = 0; i < result.steps; i++) {
        const ok = s.instances[i] >= s.boundsMin[i] && s.instances[i] <= s.boundsMax[i];
        if (!ok) expect.fail(`seed ${seed} step ${i}: ${s.instances[i]} outside ${s.boundsMin[i]}–${s.boundsMax[i]}`);
        if (s.boundsMin[i] < autoscale.min && !autoscale.schedules) expect.fail(`seed ${seed}: bounds below base min without a schedule`);
      }
      // The bounds recorded at each evaluation are the ones boundsAt says are in force then.
      for (const step of result.evaluations.step) {
        const expected = boundsAt(autoscale, new Date(T0.getTime() + step * result.stepMs));
        if (expected.schedule) scheduled++;
        if (s.boundsMin[step] !== expected.min || s.boundsMax[step] !== expected.max) expect.fail(`seed ${seed} step ${step}: bounds ${s.boundsMin[step]}–${s.boundsMax[step]}, boundsAt says ${expected.min}–${expected.max}`);
      }
    }
    expect(scheduled).toBeGreaterThan(100); // schedules were in force for part of the runs
  });

  it('with constant load the count converges', () => {
    for (let seed = 100; seed < 100 + RUNS; seed++) {
      const g = generator(seed);
      const { autoscale, traffic } = randomPolicy(g);
      delete autoscale.schedules;
      const load = constant('rps', g.int(0, 800), { cpu: g.int(0, 300), latency: g.pick([50, 200]) });
      const result = simulate(service(autoscale, traffic), load, { start: T0, durationMs: 2 * 3_600_000, stepMs: 5000 });
      const tail = Array.from(result.evaluations.final.slice(-60));
      if (new Set(tail).size !== 1) expect.fail(`seed ${seed}: still moving in the last 15 minutes: ${tail.join(',')}`);
      const last = result.steps - 1;
      expect(result.series.instances[last]).toBe(tail[0]);
    }
  });

  it('nothing is queued or dropped while the hot instances can take the load', () => {
    for (let seed = 200; seed < 200 + RUNS; seed++) {
      const g = generator(seed);
      const limit = g.int(2, 50);
      const min = g.int(1, 5);
      const autoscale: Autoscale = { min, max: min + g.int(0, 10), metrics: [{ type: 'concurrency', target: g.int(1, limit), limit }] };
      const latency = g.pick([50, 100, 1000]);
      // In-flight demand = rps × latency stays at or below min × limit.
      const peakRps = (min * limit * 1000) / latency;
      const values = Array.from({ length: 20 }, () => g.random() * peakRps);
      const load: LoadCurve = {
        fields: ['rps', 'latency'],
        describe: 'bounded',
        sample(offsetMs, out) {
          out[FIELD.rps] = values[Math.floor(offsetMs / 60_000) % values.length];
          out[FIELD.latency] = latency;
        },
      };
      const result = simulate(service(autoscale, { coldStart: g.pick(['0s', '20s']) }), load, { start: T0, durationMs: 20 * 60_000, stepMs: 1000 });
      if (result.summary.dropped !== 0 || result.summary.peakQueued > 1e-9) {
        expect.fail(`seed ${seed}: dropped ${result.summary.dropped}, peak queued ${result.summary.peakQueued}`);
      }
    }
  });

  it('is deterministic: the same inputs give the same result', () => {
    const g1 = generator(7);
    const g2 = generator(7);
    const a = randomPolicy(g1);
    const b = randomPolicy(g2);
    const run = (p: typeof a, g: ReturnType<typeof generator>) =>
      simulate(service(p.autoscale, p.traffic), randomLoad(g), { start: T0, durationMs: 3_600_000, stepMs: 1000 });
    const ra = run(a, g1);
    const rb = run(b, g2);
    expect(Array.from(ra.series.instances)).toEqual(Array.from(rb.series.instances));
    expect(ra.events).toEqual(rb.events);
    expect(ra.summary).toEqual(rb.summary);
  });
});
