// Golden tests from KEDA's scale executor and cron scaler (kedacore/keda 8b4f083, 2026-08-20:
// pkg/scaling/executor/scale_scaledobjects.go and _test.go, pkg/scalers/cron_scaler.go and _test.go),
// the Container Apps scale-rule page (learn.microsoft.com/azure/container-apps/scale-app) and the Azure
// Monitor autoscale settings page (learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-understanding-settings).
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulate/index.js';
import { constant, service, stepped, T0 } from './helpers.js';

const finals = (r: ReturnType<typeof simulate>) => Array.from(r.evaluations.final);
const queue = { type: 'queue' as const, source: { kind: 'rabbitmq' }, perInstance: 10 };

describe('KEDA scale executor', () => {
  // TestScaleFromMinReplicasWhenActive: minReplicaCount 0, current 0, a trigger active → the executor sets
  // 1 (scaleFromZeroOrIdle: max(minReplicaCount, 1)); the HPA then scales with its policies.
  it('activates from zero to max(min, 1), then the HPA policies take over', () => {
    const api = service({ min: 0, max: 20, metrics: [queue] });
    const result = simulate(api, constant('queue', 150), { start: T0, durationMs: 60_000, stepMs: 15_000, initialCount: 0, platform: 'keda' });
    // 1, then from 1 the default scale-up policy allows max(+4, +100%) = 5, then 10, then ceil(150/10) = 15.
    expect(finals(result)).toEqual([1, 5, 10, 15]);
  });

  // scaleToZeroOrIdle: to zero once lastActiveTime + cooldownPeriod is before now, whatever the HPA's
  // scale-down window still holds (the HPA itself never goes below 1).
  it('goes to zero cooldownPeriod after the last active trigger, apart from the HPA stabilization', () => {
    const api = service({ min: 0, max: 20, metrics: [queue], behavior: { toZero: { after: '1m' } } });
    const load = stepped('queue', 60_000, [40, 0]);
    const result = simulate(api, load, { start: T0, durationMs: 4 * 60_000, stepMs: 15_000, initialCount: 4, platform: 'keda' });
    // Last active at 45 s; the 5-minute scale-down window would hold 4 until 5m45s, but KEDA removes the
    // deployment's replicas once 1 minute has passed: the first evaluation after 1m45s.
    expect(finals(result).slice(0, 10)).toEqual([4, 4, 4, 4, 4, 4, 4, 4, 0, 0]);
  });

  // cron_scaler.go: inside [start, end) the metric is desiredReplicas (else 0), an external AverageValue
  // metric with target 1 — so the HPA's rate policies and stabilization apply; it is active inside only.
  it('a cron trigger is an external metric through the HPA: rate-limited up, stabilized down', () => {
    const api = service({
      min: 1,
      max: 20,
      metrics: [queue],
      schedules: [{ name: 'morning', recurring: { days: ['Mon'], start: '00:01', end: '00:03' }, min: 8 }],
    });
    const result = simulate(api, constant('queue', 0), { start: T0, durationMs: 10 * 60_000, stepMs: 15_000, initialCount: 1, platform: 'keda' });
    const f = finals(result);
    // 00:01: 8 wanted, the default policy allows max(+4, +100%) from 1 → 5, then 8.
    expect(f.slice(4, 6)).toEqual([5, 8]);
    // 00:03 the window ends; the 5-minute scale-down window holds 8 until after 00:08.
    expect(f[12]).toBe(8);
    expect(f[4 * 8 + 1]).toBe(1);
    // The same file on the mock cloud: a schedule is a bound (Azure profile), min 8 at once.
    const mock = simulate(api, constant('queue', 0), { start: T0, durationMs: 10 * 60_000, stepMs: 15_000, initialCount: 1, platform: 'mock' });
    expect(finals(mock)[4]).toBe(8);
  });
});

describe('Container Apps HTTP scale rule', () => {
  // "Every 15 seconds, the number of concurrent requests is calculated as the number of requests in the
  // past 15 seconds divided by 15": concurrentRequests is a per-second rate per replica, not in-flight.
  it('measures requests per second over 15 s, not in-flight requests', () => {
    const api = service({ min: 1, max: 10, metrics: [{ type: 'concurrency', target: 10 }] });
    // 30 requests/s of 100 ms each: 3 in flight, but 30/s over 15 s against 10 per replica → 3 replicas.
    const load = constant('rps', 30, { latency: 100 });
    const mock = simulate(api, load, { start: T0, durationMs: 30_000, stepMs: 1000, platform: 'mock' });
    expect(finals(mock)).toEqual([3, 3]);
    // Knative reads the same metric as in-flight requests: 3 in flight at a target of 10 × 70% → 1.
    const knative = simulate(api, load, { start: T0, durationMs: 30_000, stepMs: 1000, platform: 'knative' });
    expect(Math.max(...finals(knative))).toBe(1);
  });
});

describe('Azure Monitor autoscale settings', () => {
  // scaleAction type ChangeCount, value 1, cooldown: each action adds one instance, then waits.
  it('ChangeCount steps by exactly the value per action, cooldown between', () => {
    const api = service({ min: 1, max: 10, metrics: [{ type: 'cpu', utilization: 50 }], behavior: { scaleUp: { step: { count: 1 }, cooldown: '1m' } } });
    const result = simulate(api, constant('cpu', 2000), { start: T0, durationMs: 3 * 60_000, stepMs: 15_000, initialCount: 1, platform: 'mock' });
    expect(finals(result)).toEqual([2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]);
  });

  // PercentChangeCount: a percentage of the current count per action (rounded up, at least 1).
  it('PercentChangeCount steps by a percentage of the current count', () => {
    const api = service({ min: 1, max: 100, metrics: [{ type: 'cpu', utilization: 50 }], behavior: { scaleUp: { step: { percent: 50 } } } });
    const result = simulate(api, constant('cpu', 20_000), { start: T0, durationMs: 75_000, stepMs: 15_000, initialCount: 4, platform: 'mock' });
    expect(finals(result)).toEqual([6, 9, 14, 21, 32]);
  });

  // metricTrigger timeWindow: the metric is averaged over the window before the threshold is compared, so
  // a one-minute CPU spike inside a 5-minute window does not scale out.
  it('averages a metric over its window (timeWindow)', () => {
    const spike = stepped('cpu', 60_000, [40, 40, 40, 300, 40]);
    const auto = (window?: string) => service({ min: 1, max: 10, metrics: [{ type: 'cpu', utilization: 50, window }] });
    const instant = simulate(auto(), spike, { start: T0, durationMs: 5 * 60_000, stepMs: 1000, initialCount: 1, platform: 'mock' });
    expect(instant.summary.peakInstances).toBe(6);
    const averaged = simulate(auto('5m'), spike, { start: T0, durationMs: 5 * 60_000, stepMs: 1000, initialCount: 1, platform: 'mock' });
    expect(averaged.summary.peakInstances).toBe(2);
  });
});
