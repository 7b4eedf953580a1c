// Golden tests: Azure Monitor's flapping examples (autoscale-flapping.md) and Knative's soft vs hard
// concurrency with the buffer (knative/docs serving/autoscaling/concurrency.md).
import { describe, expect, it } from 'vitest';
import { guardWithThresholds } from '../../src/simulate/flapping.js';
import { simulate } from '../../src/simulate/index.js';
import { resolvePolicy } from '../../src/simulate/policy.js';
import { constant, service, stepped, T0 } from './helpers.js';

describe('Azure flapping projection', () => {
  // Rules: out +1 when average CPU > 50%, in −1 when < 30%. T0: 1 instance at 56% → out to 2.
  // T1: 2 instances at 28% each would scale in to 1, but 56% on 1 instance would scale out again: deferred.
  it('defers the T1 scale-in of the CPU 50%/30% example', () => {
    const cpu = { total: 56, scaleOutAbove: 50 };
    expect(guardWithThresholds(2, 1, [cpu])).toEqual({ outcome: 'skipped', count: 2 });
  });

  // Thread count: out when ≥ 600 per instance, in when < 600 (no margin): 1250 threads on 3 → 417 each
  // → scale-in to 2 would give 625 ≥ 600: skipped.
  it('skips the scale-in of the 600/600 thread-count example', () => {
    expect(guardWithThresholds(3, 2, [{ total: 1250, scaleOutAbove: 600, inclusive: true }])).toEqual({ outcome: 'skipped', count: 3 });
  });

  // With a margin (in when < 400): at T2 1180 threads on 3 = 394 → in to 2 gives 590 < 600: allowed.
  it('allows the T2 scale-in of the 600/400 example', () => {
    expect(guardWithThresholds(3, 2, [{ total: 1180, scaleOutAbove: 600, inclusive: true }])).toEqual({ outcome: 'ok', count: 2 });
  });

  // "Scale in by 10" from 30 at 65% CPU (out above 70%): the engine tries counts above 20 until CPU stays
  // ≤ 70%. A linear projection gives 28 (65 × 30 / 28 = 69.6%); the document prints 27, whose projected
  // 72.2% would itself trigger the scale-out, so we keep the arithmetic and note the difference.
  it('scales in by less in the 30-instance example (28 by linear projection; the page says 27)', () => {
    const result = guardWithThresholds(30, 20, [{ total: 65 * 30, scaleOutAbove: 70 }]);
    expect(result).toEqual({ outcome: 'shrunk', count: 28 });
    expect((65 * 30) / 27).toBeGreaterThan(70);
  });

  // The activity-log example: current 6, intended 1, actual 4. In the engine: the count follows rps alone
  // (combine: rps) while CPU (target 50%, tolerance 10% → out above 55%) guards the scale-in.
  it('reproduces "Current 6, intended 1, actual 4" inside the engine', () => {
    const api = service({
      min: 1,
      max: 30,
      metrics: [{ type: 'rps', target: 100 }, { type: 'cpu', utilization: 50 }],
      combine: 'rps',
      behavior: { scaleDown: { stabilization: '0s' }, flapping: 'guard' },
    });
    const result = simulate(api, constant('rps', 50, { cpu: 200 }), { start: T0, durationMs: 15_000, stepMs: 15_000, initialCount: 6 });
    expect(Array.from(result.evaluations.final)).toEqual([4]);
    const event = result.events.find((e) => e.kind === 'flapping-avoided');
    expect(event).toMatchObject({ from: 6, to: 4 });
    expect(event?.detail).toBe('projected load on 1 instances would scale out again: scales in to 4 instead');
    // Without the guard the engine goes to 1 and would flap back.
    const off = simulate(service({ ...api.spec.autoscale!, behavior: { scaleDown: { stabilization: '0s' }, flapping: 'off' } }), constant('rps', 50, { cpu: 200 }), {
      start: T0, durationMs: 30_000, stepMs: 15_000, initialCount: 6,
    });
    expect(Array.from(off.evaluations.final)).toEqual([1, 1]);
  });
});

describe('Knative soft and hard concurrency', () => {
  // "If both a soft and a hard limit are specified, the smaller of the two values will be used."
  it('uses the smaller of target (soft) and limit (hard)', () => {
    const policy = resolvePolicy(service({ min: 1, max: 10, metrics: [{ type: 'concurrency', target: 200, limit: 50 }] }));
    expect(policy.metrics[0].target).toBe(50);
    expect(policy.limit).toBe(50);
  });

  // "if containerConcurrency is set to 10, and the target utilization value is set to 70 (percent), the
  // Autoscaler will create a new replica when the average number of concurrent requests … reaches 7.
  // Requests numbered 7 to 10 will still be sent to the existing replicas".
  it('CC 10 at 70%: 7 in flight keeps 1 replica, 8 adds one; 10 are all served by the existing one', () => {
    const api = service({ min: 1, max: 5, metrics: [{ type: 'concurrency', limit: 10, utilization: 70 }], behavior: { tolerance: 0 } }, { coldStart: '5s' });
    const knative = { start: T0, stepMs: 1000, platform: 'knative' as const };
    const seven = simulate(api, constant('concurrency', 7), { ...knative, durationMs: 30_000 });
    expect(seven.summary.peakInstances).toBe(1);
    const eight = simulate(api, constant('concurrency', 8), { ...knative, durationMs: 30_000 });
    expect(Array.from(eight.evaluations.final)[0]).toBe(2);
    const ten = simulate(api, constant('concurrency', 10), { ...knative, durationMs: 1000 });
    expect(ten.series.inFlight[0]).toBe(10);
    expect(ten.series.queued[0]).toBe(0);
  });

  // "If concurrency reaches the hard limit, surplus requests will be buffered and must wait until enough
  // capacity is free": 25 wanted on 1 instance with limit 10 → 15/s buffered while 2 cold instances start.
  // Decided on the instant in-flight count (an HPA Pods metric), so the count jumps at the step.
  it('buffers the surplus over the hard limit FIFO and drains it once cold instances are ready', () => {
    const api = service(
      { min: 1, max: 3, metrics: [{ type: 'concurrency', limit: 10 }] },
      { coldStart: '20s', queueTimeout: '30s' },
    );
    const load = stepped('concurrency', 60_000, [5, 25], { latency: 1000 });
    const result = simulate(api, load, { start: T0, durationMs: 4 * 60_000, stepMs: 1000, platform: 'hpa' });
    const s = result.series;
    for (let i = 0; i < result.steps; i++) expect(s.inFlight[i]).toBeLessThanOrEqual(s.ready[i] * 10 + 1e-9);
    expect(s.queued[59]).toBe(0);
    expect(s.queued[60]).toBe(15); // surplus over the hard limit, in the buffer
    expect(s.instances[60]).toBe(3); // the autoscaler asked for ceil(25 / 10) at once
    expect(s.ready[79]).toBe(1);
    expect(s.queued[79]).toBe(300); // 20 s of cold start × 15/s
    expect(s.ready[80]).toBe(3);
    expect(result.summary.dropped).toBe(0);
    expect(result.summary.peakQueued).toBe(300);
    // FIFO: the hot instance keeps serving the oldest (10/s of 25/s), so when the cold ones are ready at
    // 80 s the head of the buffer arrived at 60 + 200 / 25 = 68 s: the longest wait is 12 s, then shrinks.
    expect(result.summary.waitP99).toBe(12_000);
    expect(s.queued[result.steps - 1]).toBe(0);
    expect(result.summary.coldStarts).toBe(2);
  });

  // With a 60 s cold start the head's wait is T − (60 + 10 (T − 60) / 25), above 30 s from T = 110 s.
  it('drops what waited longer than queueTimeout when the cold start is slower', () => {
    const api = service({ min: 1, max: 3, metrics: [{ type: 'concurrency', limit: 10 }] }, { coldStart: '60s', queueTimeout: '30s' });
    const load = stepped('concurrency', 60_000, [5, 25], { latency: 1000 });
    const result = simulate(api, load, { start: T0, durationMs: 4 * 60_000, stepMs: 1000, platform: 'hpa' });
    expect(result.summary.dropped).toBeGreaterThan(0);
    const drops = result.events.filter((e) => e.kind === 'drops');
    expect(drops.length).toBe(1);
    expect(drops[0].at).toBeGreaterThanOrEqual(109_000);
    expect(drops[0].at).toBeLessThanOrEqual(111_000);
    expect(result.series.dropped.slice(0, 109).every((d) => d === 0)).toBe(true);
    // Nothing waits past the timeout.
    expect(result.summary.waitP99).toBeLessThanOrEqual(30_000);
  });
});
