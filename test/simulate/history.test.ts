// Starting mid-history: past scale events count against the HPA's rate-policy periods and windows
// (horizontal.go keeps scaleUpEvents/scaleDownEvents and recommendations per HPA), from events or
// from the engine state scalectl autoscale saved; the CLI's --platform and --history flags.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Autoscaler } from '../../src/simulate/decide.js';
import { simulate } from '../../src/simulate/index.js';
import { resolvePolicy } from '../../src/simulate/policy.js';
import { runSimulate, workspace } from './cli-helpers.js';
import { constant, service, T0 } from './helpers.js';

const finals = (r: ReturnType<typeof simulate>) => Array.from(r.evaluations.final);
const api = service({ min: 1, max: 20, metrics: [{ type: 'cpu', utilization: 50 }], behavior: { scaleUp: { policies: [{ pods: 2, period: '60s' }] } } });

describe('seeded history', () => {
  it('a scale-up 30 s before the start uses up the 60 s policy period', () => {
    const busy = constant('cpu', 1000);
    const fresh = simulate(api, busy, { start: T0, durationMs: 60_000, stepMs: 15_000, initialCount: 4, platform: 'hpa' });
    expect(finals(fresh)).toEqual([6, 6, 6, 6]);
    const history = [{ at: T0.getTime() - 30_000, from: 2, to: 4 }];
    const seeded = simulate(api, busy, { start: T0, durationMs: 60_000, stepMs: 15_000, initialCount: 4, platform: 'hpa', history });
    // +2 already in the last 60 s: nothing more until that event is 60 s old (at 30 s), then +2.
    expect(finals(seeded)).toEqual([4, 4, 6, 6]);
  });

  it('the saved engine state restores windows and events exactly', () => {
    const policy = resolvePolicy(api, 'hpa');
    const first = new Autoscaler(policy, 0, 4);
    first.totals[0] = 1000;
    first.evaluate(0, 4, { min: 1, max: 20 });
    const saved = JSON.parse(JSON.stringify(first.saveState()));
    const resumed = new Autoscaler(policy, 15_000, 6);
    resumed.loadState(saved);
    first.totals[0] = 1000;
    resumed.totals[0] = 1000;
    expect(resumed.evaluate(15_000, 6, { min: 1, max: 20 })).toBe(first.evaluate(15_000, 6, { min: 1, max: 20 }));
    expect(resumed.saveState()).toEqual(first.saveState());
  });
});

describe('simulate --platform and --history', () => {
  it('takes a history file (events, or scalectl autoscale\'s state) and names a wrong platform with the choices', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'events.json'), JSON.stringify([{ at: '2026-03-02T07:59:30Z', from: 1, to: 3 }]));
    const { code } = await runSimulate(dir, { service: 'api', load: 'rps=100', duration: '1m', start: '2026-03-02T08:00:00Z', history: 'events.json' });
    expect(code).toBe(0);
    await expect(runSimulate(dir, { service: 'api', load: 'rps=100', platform: 'hap' })).rejects.toThrow('--platform "hap" is not one of mock, docker, hpa, keda, knative (did you mean "hpa"?)');
    // scalectl autoscale's own file: the service's engine memory is read from it.
    const engine = new Autoscaler(resolvePolicy(api, 'mock'), Date.parse('2026-03-02T07:59:00Z'), 2).saveState();
    writeFileSync(join(dir, 'autoscale-state.json'), JSON.stringify({ formatVersion: 1, services: { api: { provider: 'mock', target: 'api', engine, count: 2, updatedAt: '2026-03-02T07:59:00Z' } } }));
    expect((await runSimulate(dir, { service: 'api', load: 'rps=100', duration: '1m', start: '2026-03-02T08:00:00Z', history: 'autoscale-state.json' })).code).toBe(0);
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ formatVersion: 1, services: {} }));
    await expect(runSimulate(dir, { service: 'api', load: 'rps=100', history: 'other.json' })).rejects.toThrow('scalectl autoscale saved no engine state for "api" (services there: none)');
    writeFileSync(join(dir, 'late.json'), JSON.stringify([{ at: '2026-03-02T08:10:00Z', from: 1, to: 3 }]));
    await expect(runSimulate(dir, { service: 'api', load: 'rps=100', start: '2026-03-02T08:00:00Z', history: 'late.json' })).rejects.toThrow('is after the start 2026-03-02T08:00:00.000Z; past events only');
  });
});
