// The constraints outside the published examples: cooldown, pause, scale to zero, missing metrics
// (default, fallback), cold starts and idle removal of cold instances.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulate/index.js';
import { FIELD } from '../../src/simulate/policy.js';
import type { LoadCurve } from '../../src/simulate/types.js';
import { constant, service, stepped, T0 } from './helpers.js';

const finals = (r: ReturnType<typeof simulate>) => Array.from(r.evaluations.final);
const run = (auto: Parameters<typeof service>[0], load: LoadCurve, minutes: number, initialCount?: number, traffic?: Parameters<typeof service>[1]) =>
  simulate(service(auto, traffic), load, { start: T0, durationMs: minutes * 60_000, stepMs: 15_000, initialCount });

describe('constraints', () => {
  it('cooldown after a scale-out holds the next action (Azure: both directions)', () => {
    const auto = { min: 1, max: 50, metrics: [{ type: 'cpu' as const, utilization: 50 }], behavior: { scaleUp: { cooldown: '1m', policies: [{ pods: 2, period: '15s' }] } } };
    const result = run(auto, constant('cpu', 1000), 2, 1);
    expect(finals(result)).toEqual([3, 3, 3, 3, 5, 5, 5, 5]);
  });

  it('pause: true holds, replicas sets, scaleIn: false blocks only scale-in', () => {
    const metrics = [{ type: 'cpu' as const, utilization: 50 }];
    expect(finals(run({ min: 1, max: 20, metrics, pause: true }, constant('cpu', 1000), 1, 4))).toEqual([4, 4, 4, 4]);
    expect(finals(run({ min: 1, max: 20, metrics, pause: { replicas: 7 } }, constant('cpu', 0), 1, 4))).toEqual([7, 7, 7, 7]);
    const noIn = { min: 1, max: 20, metrics, pause: { scaleIn: false }, behavior: { scaleDown: { stabilization: '0s' } } };
    expect(finals(run(noIn, stepped('cpu', 30_000, [1000, 0]), 1, 4))).toEqual([8, 16, 16, 16]);
  });

  it('scales to zero only after toZero.after without load, and wakes on the first request', () => {
    const auto = { min: 0, max: 5, metrics: [{ type: 'rps' as const, target: 10 }], behavior: { scaleDown: { stabilization: '0s' }, toZero: { after: '1m' } } };
    const load = stepped('rps', 60_000, [5, 0, 0, 0, 3]);
    const result = run(auto, load, 5, 1, { coldStart: '0s' });
    // Load was last seen at 45 s; the last instance goes once more than 1 minute passed without it (KEDA
    // scale_scaledobjects.go: lastActiveTime + cooldownPeriod before now), at the 2m evaluation; wakes at 4m.
    expect(finals(result)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('missing metrics: default lifts the count, fallback takes over after N misses, never a scale-in', () => {
    const unmeasured: LoadCurve = { fields: [], describe: 'nothing', sample: () => undefined };
    const metrics = [{ type: 'queue' as const, source: {}, perInstance: 10 }];
    expect(finals(run({ min: 1, max: 20, metrics, default: 5 }, unmeasured, 1, 2))).toEqual([5, 5, 5, 5]);
    expect(finals(run({ min: 1, max: 20, metrics, default: 5 }, unmeasured, 1, 8))).toEqual([8, 8, 8, 8]);
    expect(finals(run({ min: 1, max: 20, metrics, fallback: { after: 2, replicas: 6 }, behavior: { scaleDown: { stabilization: '0s' } } }, unmeasured, 1, 9))).toEqual([9, 6, 6, 6]);
    // cpu measured low, queue missing: HPA does not scale in on partial metrics.
    const partial: LoadCurve = { fields: ['cpu'], describe: 'cpu only', sample: (_t, out) => void (out[FIELD.cpu] = 10) };
    const both = { min: 1, max: 20, metrics: [{ type: 'cpu' as const, utilization: 50 }, ...metrics], behavior: { scaleDown: { stabilization: '0s' } } };
    expect(finals(run(both, partial, 1, 6))).toEqual([6, 6, 6, 6]);
  });

  it('counts cold starts and removes idle cold instances after instanceIdleTimeout, keeping min hot', () => {
    const auto = { min: 2, max: 10, metrics: [{ type: 'concurrency' as const, target: 10 }], behavior: { scaleDown: { stabilization: '30m' } } };
    const load = stepped('concurrency', 5 * 60_000, [10, 60, 10], { latency: 1000 });
    const result = simulate(service(auto, { coldStart: '20s', instanceIdleTimeout: '2m' }), load, { start: T0, durationMs: 15 * 60_000, stepMs: 1000 });
    const s = result.series;
    // The mock cloud's concurrency rule is Container Apps' HTTP rule (requests over 15 s ÷ 15): the 5m
    // evaluation still averages mostly 10/s; the 5m15s one sees 60/s → 6 instances, ready 20 s later.
    expect(s.instances[5 * 60 + 14]).toBe(2);
    expect(s.instances[5 * 60 + 16]).toBe(6);
    expect(s.ready[5 * 60 + 16]).toBe(2);
    expect(s.ready[5 * 60 + 35]).toBe(6);
    expect(result.summary.coldStarts).toBe(4);
    // Back to 10 in flight at 10m: 1 instance of work; cold ones go 2 minutes later, down to min 2.
    expect(s.instances[12 * 60 - 1]).toBe(6);
    expect(s.instances[12 * 60 + 1]).toBe(2);
    expect(result.events.filter((e) => e.kind === 'idle-removed').map((e) => [e.from, e.to])).toEqual([[6, 2]]);
    expect(result.summary.dropped).toBe(0);
  });
});
