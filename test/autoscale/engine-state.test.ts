// The live loop runs the simulate engine: the same inputs give the same counts, and the engine's
// memory survives a restart as plain JSON (a restart at every evaluation changes nothing).
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulate/index.js';
import { Autoscaler, type EngineState } from '../../src/simulate/decide.js';
import { resolvePolicy } from '../../src/simulate/policy.js';
import { boundsAt } from '../../src/simulate/schedule.js';
import { service, stepped, T0 } from '../simulate/helpers.js';

const worker = service({
  min: 1,
  max: 20,
  metrics: [{ type: 'queue', source: { kind: 'redis', address: '127.0.0.1:6379', listName: 'jobs' }, perInstance: 10 }],
  behavior: {
    evaluationInterval: '15s',
    scaleUp: { policies: [{ pods: 2, period: '1m' }] },
    scaleDown: { stabilization: '2m', policies: [{ percent: 50, period: '1m' }] },
  },
});
// Queue length per minute: a burst, a lull, another burst.
const depths = [0, 120, 150, 150, 30, 0, 0, 0, 0, 90, 200, 0, 0, 0, 0, 0];
const load = stepped('queue', 60_000, depths);

// Replays the evaluations the simulator made, live-style: one engine per evaluation restored from JSON.
function replay(restart: 'json' | 'fresh'): number[] {
  const policy = resolvePolicy(worker);
  let saved: EngineState | undefined;
  let current = 1;
  const finals: number[] = [];
  const sample = new Float64Array(8);
  for (let t = 0; t < depths.length * 60_000; t += 15_000) {
    const now = T0.getTime() + t;
    const scaler = new Autoscaler(policy, now, current);
    if (saved && restart === 'json') scaler.loadState(JSON.parse(JSON.stringify(saved)) as EngineState);
    load.sample(t, sample);
    scaler.totals[0] = sample[2];
    current = scaler.evaluate(now, current, boundsAt(policy.autoscale, new Date(now)));
    saved = scaler.saveState();
    finals.push(current);
  }
  return finals;
}

describe('the engine as the live loop uses it', () => {
  const simulated = Array.from(simulate(worker, load, { start: T0, durationMs: depths.length * 60_000, stepMs: 15_000, initialCount: 1 }).evaluations.final);

  it('decides exactly what simulate decides, restarted from JSON before every evaluation', () => {
    expect(replay('json')).toEqual(simulated);
    // The run exercises the windows: rate-limited scale-out, held scale-in, scale-in after the window.
    // 2 pods a minute out (rate policy), held for the 2m window, then at most 50% a minute in.
    expect(simulated.slice(0, 16)).toEqual([1, 1, 1, 1, 3, 3, 3, 3, 5, 5, 5, 5, 7, 7, 7, 7]);
    expect(simulated.slice(20, 32)).toEqual([7, 7, 7, 3, 3, 3, 3, 1, 1, 1, 1, 1]);
    expect(simulated.at(-1)).toBe(1);
  });

  it('without the saved memory a restart forgets the windows and scales differently', () => {
    expect(replay('fresh')).not.toEqual(simulated);
  });

  it('the saved state is plain JSON holding the windows, the policy periods and the timers', () => {
    const policy = resolvePolicy(worker);
    const scaler = new Autoscaler(policy, T0.getTime(), 2);
    scaler.totals[0] = 100;
    scaler.evaluate(T0.getTime(), 2, { min: 1, max: 20 });
    const state = scaler.saveState();
    expect(state).toEqual({
      version: 1,
      upWindow: [[T0.getTime(), 10]],
      downWindow: [[T0.getTime(), 10]],
      scaleEvents: [[T0.getTime(), 2]],
      cooldownUntil: null,
      lastActiveAt: T0.getTime(),
      missingCount: 0,
    });
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});
