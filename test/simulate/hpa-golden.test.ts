// Golden tests: the Kubernetes HPA documentation's behaviour examples, step by step
// (kubernetes/website content/en/docs/concepts/workloads/autoscaling/horizontal-pod-autoscale.md).
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulate/index.js';
import { constant, service, stepped, T0 } from './helpers.js';

const finals = (r: ReturnType<typeof simulate>) => Array.from(r.evaluations.final);
const everyMinute = (values: number[]) => values.filter((_, i) => i % 4 === 0);

describe('HPA scaling policies', () => {
  // "if there are 80 replicas and the target has to be scaled down to 10 replicas then during the first
  // step 8 replicas will be reduced. In the next iteration when the number of replicas is 72, 10% of the
  // pods is 7.2 but the number is rounded up to 8 … below 40 the first policy (Pods) is applied".
  it('scales 80 → 10 with Pods 4/60s and Percent 10/60s (select Max)', () => {
    const api = service({
      min: 1,
      max: 100,
      metrics: [{ type: 'cpu', utilization: 50 }],
      behavior: { scaleDown: { stabilization: '0s', policies: [{ pods: 4, period: '60s' }, { percent: 10, period: '60s' }] } },
    });
    // 500% of one instance's CPU at a 50% target wants 10 instances.
    const result = simulate(api, constant('cpu', 500), { start: T0, durationMs: 15 * 60_000, stepMs: 15_000, initialCount: 80 });
    expect(everyMinute(finals(result))).toEqual([72, 64, 57, 51, 45, 40, 36, 32, 28, 24, 20, 16, 12, 10, 10]);
    // Inside a period the policy holds: 72 stays 72 for the three evaluations after the first step.
    expect(finals(result).slice(0, 5)).toEqual([72, 72, 72, 72, 64]);
  });

  it('selectPolicy Min picks the policy that removes the fewest pods (Percent 10 vs Pods 5)', () => {
    const api = service({
      min: 1,
      max: 100,
      metrics: [{ type: 'cpu', utilization: 50 }],
      behavior: { scaleDown: { stabilization: '0s', select: 'min', policies: [{ percent: 10, period: '60s' }, { pods: 5, period: '60s' }] } },
    });
    const result = simulate(api, constant('cpu', 500), { start: T0, durationMs: 4 * 60_000, stepMs: 15_000, initialCount: 80 });
    expect(everyMinute(finals(result))).toEqual([75, 70, 65, 60]);
  });

  it('selectPolicy Disabled turns scale-down off', () => {
    const api = service({ min: 1, max: 100, metrics: [{ type: 'cpu', utilization: 50 }], behavior: { scaleDown: { select: 'disabled', stabilization: '0s' } } });
    const result = simulate(api, constant('cpu', 500), { start: T0, durationMs: 5 * 60_000, stepMs: 15_000, initialCount: 80 });
    expect(new Set(finals(result))).toEqual(new Set([80]));
  });

  // Default behavior: "4 pods or a 100% of the currently running replicas may at most be added every 15 seconds".
  it('default scale-up adds max(4 pods, 100%) every 15 s: 1 → 5 → 10 → 20 → 40 → 80 → 100', () => {
    const api = service({ min: 1, max: 100, metrics: [{ type: 'cpu', utilization: 50 }] });
    const result = simulate(api, constant('cpu', 50 * 200), { start: T0, durationMs: 105_000, stepMs: 15_000, initialCount: 1 });
    expect(finals(result)).toEqual([5, 10, 20, 40, 80, 100, 100]);
  });
});

describe('HPA stabilization window and tolerance', () => {
  // "When the metrics indicate that the target should be scaled down the algorithm looks into previously
  // computed desired states, and uses the highest value from the specified interval."
  it('scale-down uses the highest recommendation of the last 60 s', () => {
    const api = service({ min: 1, max: 20, metrics: [{ type: 'cpu', utilization: 50 }], behavior: { scaleDown: { stabilization: '60s' } } });
    // Recommendations 10, 4, 8, then 3 for good.
    const load = stepped('cpu', 15_000, [500, 200, 400, 150]);
    const result = simulate(api, load, { start: T0, durationMs: 2 * 60_000, stepMs: 15_000, initialCount: 10 });
    expect(Array.from(result.evaluations.combined)).toEqual([10, 4, 8, 3, 3, 3, 3, 3]);
    expect(finals(result)).toEqual([10, 10, 10, 10, 8, 8, 3, 3]);
  });

  it('the default scale-down window is 5 minutes, seeded with the starting count', () => {
    const api = service({ min: 1, max: 20, metrics: [{ type: 'cpu', utilization: 50 }] });
    const result = simulate(api, constant('cpu', 100), { start: T0, durationMs: 6 * 60_000, stepMs: 15_000, initialCount: 10 });
    const firstDrop = finals(result).findIndex((c) => c < 10);
    expect(firstDrop * 15).toBe(300);
    expect(finals(result)[firstDrop]).toBe(2);
  });

  it('tolerance 0.1: a ratio of 1.08 keeps the count, 1.12 scales', () => {
    const api = service({ min: 1, max: 20, metrics: [{ type: 'cpu', utilization: 50 }] });
    const calm = simulate(api, constant('cpu', 540), { start: T0, durationMs: 15_000, stepMs: 15_000, initialCount: 10 });
    expect(finals(calm)).toEqual([10]);
    const busy = simulate(api, constant('cpu', 560), { start: T0, durationMs: 15_000, stepMs: 15_000, initialCount: 10 });
    expect(finals(busy)).toEqual([12]);
  });

  it('explains each step: events name the metric, the rule and the limiting policy', () => {
    const api = service({ min: 1, max: 100, metrics: [{ type: 'cpu', utilization: 50 }] });
    const result = simulate(api, constant('cpu', 50 * 200), { start: T0, durationMs: 15_000, stepMs: 15_000, initialCount: 1 });
    expect(result.events[0]).toMatchObject({ kind: 'scale-out', from: 1, to: 5 });
    expect(result.events[0].detail).toBe('cpu 200 → max 200; rate policy 200→5');
  });
});
