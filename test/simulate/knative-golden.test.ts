// Golden tests from the Knative Pod Autoscaler's unit tests (knative/serving 98e5ef9, 2026-08-21:
// pkg/autoscaler/scaling/autoscaler_test.go). Upstream's newTestAutoscaler: panic threshold 2 (200%),
// max scale-up and scale-down rates 10, stable window 60 s, reachable.
import { describe, expect, it } from 'vitest';
import { Autoscaler } from '../../src/simulate/decide.js';
import { simulate } from '../../src/simulate/index.js';
import { kpaScale, type KpaMemory, type KpaSpec } from '../../src/simulate/kpa.js';
import { resolvePolicy } from '../../src/simulate/policy.js';
import { service, stepped, T0 } from './helpers.js';

const spec = (target: number, extra: Partial<KpaSpec> = {}): KpaSpec => ({ target, stableWindowMs: 60_000, panicThreshold: 2, maxScaleUpRate: 10, maxScaleDownRate: 10, ...extra });
const fresh = (): KpaMemory => ({ panicSince: Number.NaN, maxPanicPods: 0 });

describe('autoscaler_test.go', () => {
  it('TestAutoscalerStableModeIncreaseWithConcurrencyDefault: 50 then 100 at target 10 → 5, 10', () => {
    const m = fresh();
    expect(kpaScale(spec(10), m, 0, 50, 10, 1).desired).toBe(5);
    expect(kpaScale(spec(10), m, 0, 100, 10, 1).desired).toBe(10);
  });

  it('TestAutoscalerRateLimitScaleUp / ScaleDown: ×10 and ÷10 per decision', () => {
    expect(kpaScale(spec(10), fresh(), 0, 1000, 1001, 1).desired).toBe(10);
    expect(kpaScale(spec(10), fresh(), 0, 1000, 1001, 10).desired).toBe(100);
    expect(kpaScale(spec(10), fresh(), 0, 1, 1, 100).desired).toBe(10);
    expect(kpaScale(spec(10), fresh(), 0, 1, 1, 10).desired).toBe(1);
  });

  it('TestAutoscalerScale cases: small rates, unreachable, panic doubling, stable vs panic in panic mode', () => {
    // AutoscalerStableModeIncreaseWithSmallScaleUpRate: target 1, stable 3, panic 3.1, 2 ready, up rate 1.1 → 3.
    expect(kpaScale(spec(1, { maxScaleUpRate: 1.1 }), fresh(), 0, 3, 3.1, 2).desired).toBe(3);
    // AutoscalerStableModeDecreaseWithSmallScaleDownRate: target 10, 1 and 1, 100 ready, down rate 1.1 → 90.
    expect(kpaScale(spec(10, { maxScaleDownRate: 1.1 }), fresh(), 0, 1, 1, 100).desired).toBe(90);
    // AutoscalerStableModeDecreaseNonReachable → 1.
    expect(kpaScale(spec(10, { maxScaleDownRate: 1.1, reachable: false }), fresh(), 0, 1, 1, 100).desired).toBe(1);
    // AutoscalerPanicModeDoublePodCount: stable 50, panic 100, target 10, 1 ready → 10.
    expect(kpaScale(spec(10), fresh(), 0, 50, 100, 1).desired).toBe(10);
    // AutoscalerPanicStableLargerThanPanic: panicking 5 s, maxPanicPods 5, target 1, stable 50, panic 30, 5 ready → 50.
    expect(kpaScale(spec(1), { panicSince: -5000, maxPanicPods: 5 }, 0, 50, 30, 5).desired).toBe(50);
    // AutoscalerPanicStableLessThanPanic: stable 20, panic 30 → 30.
    expect(kpaScale(spec(1), { panicSince: -5000, maxPanicPods: 5 }, 0, 20, 30, 5).desired).toBe(30);
  });

  it('TestAutoscalerPanicThenUnPanicScaleDown: holds 100 through the stable window, then 1', () => {
    const m = fresh();
    expect(kpaScale(spec(10), m, 0, 100, 100, 1).desired).toBe(10);
    expect(kpaScale(spec(10), m, 1000, 100, 1000, 10).desired).toBe(100);
    expect(kpaScale(spec(10), m, 31_000, 1, 1, 10).desired).toBe(100);
    expect(kpaScale(spec(10), m, 62_000, 1, 1, 10).desired).toBe(1);
  });

  it('TestAutoscalerActivationScale: activation-scale 2 lifts the first step from zero', () => {
    const s = spec(10, { activationScale: 2 });
    expect(kpaScale(s, fresh(), 0, 0, 0, 1).desired).toBe(0);
    expect(kpaScale(s, fresh(), 0, 1, 0, 1).desired).toBe(2);
  });

  // TestAutoscalerScaleDownDelay "simple": target 10, panic threshold 100 (never), delay 5m: 40 → 4 at
  // 2 s; still 4 at 5m; the scale-down starts at 5m2s when the 4 scrolls out of the delay window.
  it('TestAutoscalerScaleDownDelay: scale-down-delay keeps the highest of its window', () => {
    const api = service({
      min: 0,
      max: 100,
      metrics: [{ type: 'concurrency', target: 10, utilization: 100, window: '6s' }],
      behavior: { scaleDown: { delay: '5m' }, panic: { threshold: 1000 } },
    });
    const policy = resolvePolicy(api, 'knative');
    const scaler = new Autoscaler(policy, 0, 0);
    const at = (ms: number, inFlight: number, ready: number) => {
      scaler.totals[0] = inFlight;
      return scaler.evaluate(ms, ready, { min: 0, max: 100 }, ready);
    };
    expect(at(2000, 40, 0)).toBe(4);
    expect(at(300_000, 0, 4)).toBe(4);
    // Upstream's test uses a scale-down rate of 10 (→ 0 at once); scaling.yaml keeps Knative's default
    // max-scale-down-rate 2 (config-autoscaler): the count halves, and the delay window then holds that 2.
    expect(at(302_000, 0, 4)).toBe(2);
    expect(at(304_000, 0, 2)).toBe(2);
  });
});

describe('panic mode in the simulator', () => {
  // A burst: the 6 s panic window sees it first, panic mode scales on it and never scales down while it lasts.
  it('a burst triggers panic mode; the stable window alone would react later', () => {
    const api = service({ min: 1, max: 50, metrics: [{ type: 'concurrency', target: 10, utilization: 100 }] }, { coldStart: '0s' });
    const burst = stepped('concurrency', 60_000, [5, 100], { latency: 1000 });
    const result = simulate(api, burst, { start: T0, durationMs: 90_000, stepMs: 1000, platform: 'knative' });
    const at = (s: number) => result.series.instances[s];
    // 2 s after the burst the panic window (6 s) averages (4×5 + 2×100)/6 ≈ 36.7 → 4 pods ≥ 2 × 1 ready: panic.
    expect(at(63)).toBeGreaterThanOrEqual(4);
    // Without panic (threshold 1000%) the stable window still averages mostly 5 at that point.
    const calm = service({ ...api.spec.autoscale!, behavior: { panic: { threshold: 1000 } } }, { coldStart: '0s' });
    const slow = simulate(calm, burst, { start: T0, durationMs: 90_000, stepMs: 1000, platform: 'knative' });
    expect(slow.series.instances[63]).toBeLessThan(at(63));
  });
});
