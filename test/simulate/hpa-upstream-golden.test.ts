// Golden tests from the HPA's own code and unit tests (kubernetes/kubernetes, master as stored in 2026):
// pkg/controller/podautoscaler/replica_calculator_test.go, horizontal.go, metrics/utilization.go.
// Inputs are the upstream cases' pod levels and requests turned into our totals (sums of % of request
// over the instances; per-pod values × pods); expected counts are upstream's.
import { describe, expect, it } from 'vitest';
import type { Autoscale, Metric } from '../../src/config/model.js';
import { Autoscaler } from '../../src/simulate/decide.js';
import { simulate } from '../../src/simulate/index.js';
import { resolvePolicy } from '../../src/simulate/policy.js';
import { constant, service, T0 } from './helpers.js';

// One HPA evaluation of `metric` at `total` with `current` replicas; tolerances [scaleDown, scaleUp].
function hpaOnce(metric: Metric, total: number, current: number, tolerances?: [number, number]): number {
  const behavior: Autoscale['behavior'] = { scaleDown: { stabilization: '0s', tolerance: tolerances?.[0] }, scaleUp: { tolerance: tolerances?.[1], policies: [{ pods: 1000, period: '15s' }] } };
  const policy = resolvePolicy(service({ min: 1, max: 1000, metrics: [metric], behavior }), 'hpa');
  const scaler = new Autoscaler(policy, 0, current);
  scaler.totals[0] = total;
  return scaler.evaluate(0, current, { min: 1, max: 1000 });
}
const cpu = (utilization: number): Metric => ({ type: 'cpu', utilization });

describe('replica_calculator_test.go: resource utilization', () => {
  // TestReplicaCalcTolerance: requests 0.9/1.0/1.1, levels 1010/1030/1020 m → 102% of 3.0 cores, target 100.
  it('TestReplicaCalcTolerance: 102% keeps 3 within the default 0.1', () => {
    expect(hpaOnce(cpu(100), 306, 3)).toBe(3);
  });

  // TestReplicaCalcSuperfluousMetrics: 4 pods of 1.0, levels 4000/9500/3000/7000 → 587% (5875 truncated), target 100 → 24.
  it('TestReplicaCalcSuperfluousMetrics: 587% on 4 → 24', () => {
    expect(hpaOnce(cpu(100), 2350, 4)).toBe(24);
  });

  // TestReplicaCalcComputedToleranceAlgImplementation: 10 pods at 50% of request; target 56 → 9 (outside
  // tolerance), target 55 → 10 (50/55 = 0.909 within 0.1).
  it('TestReplicaCalcComputedToleranceAlgImplementation: 50% vs 56 → 9, vs 55 → 10', () => {
    expect(hpaOnce(cpu(56), 500, 10)).toBe(9);
    expect(hpaOnce(cpu(55), 500, 10)).toBe(10);
  });

  // TestReplicaCalcConfigurableTolerance (Tolerances{scaleDown, scaleUp}), requests 0.9/1.0/1.1:
  it('TestReplicaCalcConfigurableTolerance: per-direction tolerances', () => {
    // "Outside of a 0% tolerance": levels 909/1010/1111 → 101% → 4.
    expect(hpaOnce(cpu(100), 303, 3, [0, 0])).toBe(4);
    // "Outside 8% scale-up tolerance (and superfuous scale-down tolerance)": {2, .08}, 1100/1080/1090 → 109% → 4.
    expect(hpaOnce(cpu(100), 327, 3, [2, 0.08])).toBe(4);
    // "Within a 36% scale-down tolerance": {.36, .1}, 660/640/650 → 65% → 3.
    expect(hpaOnce(cpu(100), 195, 3, [0.36, 0.1])).toBe(3);
    // "Outside a 34% scale-down tolerance": {.34, .1} → 2.
    expect(hpaOnce(cpu(100), 195, 3, [0.34, 0.1])).toBe(2);
  });

  // metrics/utilization.go GetResourceUtilizationRatio: currentUtilization = int32(metricsTotal*100/requestsTotal),
  // a whole percent, before the ratio. 55.9% on 10 pods at target 50 is 55% → ratio 1.1, within 0.1 → 10
  // (from the exact 1.118 it would be 12).
  it('truncates utilization to a whole percent before the ratio (55.9% → 55%)', () => {
    expect(hpaOnce(cpu(50), 559, 10)).toBe(10);
    // The mock cloud computes exactly: 559 / 50 → 12.
    const policy = resolvePolicy(service({ min: 1, max: 100, metrics: [cpu(50)], behavior: { scaleDown: { stabilization: '0s' } } }), 'mock');
    const scaler = new Autoscaler(policy, 0, 10);
    scaler.totals[0] = 559;
    expect(scaler.evaluate(0, 10, { min: 1, max: 100 })).toBe(12);
  });

  // replica_calculator.go: int32(math.Ceil(usageRatio * float64(readyPodCount))) — Go's float64 ceil, no
  // epsilon: 7% on 100 pods at target 100 is ceil(0.07 × 100) = ceil(7.000000000000001) = 8.
  it("uses Go's math.Ceil without an epsilon: 7% on 100 pods → 8", () => {
    expect(0.07 * 100).toBeGreaterThan(7);
    expect(hpaOnce(cpu(100), 700, 100)).toBe(8);
  });
});

describe('replica_calculator_test.go: pods and external metrics', () => {
  // TestReplicaCalcToleranceCM / TestReplicaCalcConfigurableToleranceCM: qps 20/21/21 per pod, target 20
  // (averages in milli-units: 20666) → within 0.1 keeps 3; with a 0.01 scale-up tolerance → 4.
  it('TestReplicaCalcToleranceCM and TestReplicaCalcConfigurableToleranceCM', () => {
    const rps: Metric = { type: 'rps', target: 20 };
    expect(hpaOnce(rps, 62, 3)).toBe(3);
    expect(hpaOnce(rps, 62, 3, [0.1, 0.01])).toBe(4);
  });

  // TestReplicaCalcTolerancePerPodCMExternal / …ConfigurableTolerancePerPodCMExternal: 8600 over 3 pods
  // (AverageValue 2900 → 0.989, keeps 3; AverageValue 2800 with a 0.01 scale-up tolerance → ceil(8600/2800) = 4).
  it('TestReplicaCalcTolerancePerPodCMExternal and its configurable-tolerance twin', () => {
    expect(hpaOnce({ type: 'queue', source: {}, perInstance: 2900 }, 8600, 3)).toBe(3);
    expect(hpaOnce({ type: 'queue', source: {}, perInstance: 2800 }, 8600, 3, [0.1, 0.01])).toBe(4);
  });

  // TestReplicaCalcToleranceCMExternal / …ConfigurableToleranceCMExternal: Value target 8888 at 8600 keeps 3;
  // target 8800 at 8900 with a 0.01 scale-up tolerance → ceil(1.0114 × 3) = 4.
  it('TestReplicaCalcToleranceCMExternal and its configurable-tolerance twin', () => {
    expect(hpaOnce({ type: 'external', source: {}, value: 8888 }, 8600, 3)).toBe(3);
    expect(hpaOnce({ type: 'external', source: {}, value: 8800 }, 8900, 3, [0.1, 0.01])).toBe(4);
  });
});

describe('horizontal.go: the first recommendation', () => {
  // recordInitialRecommendation stores the current count as a recommendation for both directions when the
  // HPA first sees the target, so a 60 s scale-up window holds the starting 2 until it ages out.
  it('a scale-up stabilization window holds the starting count for its length', () => {
    const api = service({ min: 1, max: 20, metrics: [cpu(50)], behavior: { scaleUp: { stabilization: '60s' } } });
    const result = simulate(api, constant('cpu', 400), { start: T0, durationMs: 90_000, stepMs: 15_000, initialCount: 2, platform: 'hpa' });
    // At 60 s the seed is no longer after the cutoff; the default policy allows max(+4, +100%) → 6, then 8.
    expect(Array.from(result.evaluations.final)).toEqual([2, 2, 2, 2, 6, 8]);
  });
});
