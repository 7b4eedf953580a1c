// plan --explain: raw count per metric, the combining rule, each constraint with its effect, the final count.
import { describe, expect, it } from 'vitest';
import type { ServiceConfig } from '../../src/config/model.js';
import { makeStyle } from '../../src/output/style.js';
import { explainService, renderExplanation } from '../../src/simulate/explain.js';
import { service } from './helpers.js';

const plain = makeStyle(false);
const monday10 = new Date('2026-03-02T07:00:00Z'); // 10:00 Moscow
const sunday = new Date('2026-03-01T12:00:00Z');

const api = service({
  min: 1,
  max: 10,
  metrics: [{ type: 'concurrency', target: 10, limit: 20 }, { type: 'cpu', utilization: 60 }],
  schedules: [{ name: 'business-hours', recurring: { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], start: '08:00', end: '20:00' }, timezone: 'Europe/Moscow', min: 5 }],
});

describe('explainService', () => {
  it('shows each metric, the rule, the limiting constraint and the final count', () => {
    // The mock cloud reads a concurrency rule as Container Apps does: requests per second (over 15 s).
    const e = explainService(api, 3, sunday, { rps: 95, cpu: 150 });
    expect(e.metrics.map((m) => [m.metric, m.recommended])).toEqual([['concurrency', 10], ['cpu', 3]]);
    expect(e.combine).toEqual({ rule: 'max', count: 10 });
    expect(e.final).toBe(7);
    expect(renderExplanation(e, plain)).toEqual([
      'api: 3 → 7  (live count; bounds 1–10)',
      '  metric concurrency: 95 observed, requests/s (15 s) per instance 10 (target 10, limit 20) → wants 10',
      '  metric cpu: 150 observed, cpu utilization 60% per instance → wants 3',
      '  combine max → 10',
      '  ✱ rate policy: scale-up limit 7 (4 pods/15s, 100%/15s select max): 10 → 7',
      '  final: 7',
    ]);
  });

  it('names the schedule that raises min and the tolerance that keeps a count', () => {
    const e = explainService(api, 2, monday10, { rps: 21, cpu: 120 });
    const lines = renderExplanation(e, plain);
    expect(lines[0]).toBe('api: 2 → 5  (live count; bounds 5–10, schedule business-hours (Mon,Tue,Wed,Thu,Fri 08:00–20:00 Europe/Moscow))');
    expect(lines).toContain('  · tolerance: concurrency, cpu within ±10% of target: keeps 2');
    expect(lines).toContain('  ✱ min: min 5 (schedule business-hours): 2 → 5');
    expect(e.final).toBe(5);
  });

  it('shows the flapping guard and the no-history note on a scale-in', () => {
    const guarded = service({
      min: 1,
      max: 30,
      metrics: [{ type: 'rps', target: 100 }, { type: 'cpu', utilization: 50 }],
      combine: 'rps',
    });
    const e = explainService(guarded, 6, sunday, { rps: 50, cpu: 200 });
    expect(e.final).toBe(4);
    const lines = renderExplanation(e, plain);
    expect(lines).toContain('  combine rps → 1');
    expect(lines).toContain('  ✱ flapping guard: projected load on 1 instances would scale out again: scales in to 4 instead');
    expect(lines).toContain('  · stabilization: one-shot explanation: the 300s scale-down window has no history here (simulate shows it over time)');
  });

  it('without load it explains the held count', () => {
    const e = explainService(api, 2, monday10);
    expect(e.final).toBe(5);
    expect(renderExplanation(e, plain)).toEqual([
      'api: 2 → 5  (live count; bounds 5–10, schedule business-hours (Mon,Tue,Wed,Thu,Fri 08:00–20:00 Europe/Moscow))',
      '  metric concurrency: not measured, requests/s (15 s) per instance 10 (target 10, limit 20) → no recommendation',
      '  metric cpu: not measured, cpu utilization 60% per instance → no recommendation',
      '  ✱ no load measured: raised to min 5 (schedule business-hours) from 2 (previous count)',
      '  final: 5',
    ]);
  });

  it('a fixed count explains itself', () => {
    const fixed: ServiceConfig = { name: 'worker', provider: 'mock', target: 'worker', spec: { replicas: 3 }, extensions: {} };
    expect(renderExplanation(explainService(fixed, undefined, sunday), plain)).toEqual(['worker: 3 → 3  (not created yet; bounds 3–3)', '  fixed count replicas: 3']);
  });
});

describe('explainService per platform', () => {
  // A KEDA cron trigger is a metric through the HPA, not a bound: min stays 1 and the count comes from
  // the trigger (desiredReplicas 5 at AverageValue 1), not from a raised minimum.
  it('on KEDA a schedule in force is a cron trigger, not a bound', () => {
    const e = explainService(api, 2, monday10, { rps: 21, cpu: 120 }, 'keda');
    expect(e.bounds).toMatchObject({ min: 1, max: 10 });
    expect(e.combine).toEqual({ rule: 'max', count: 5 });
    expect(e.final).toBe(5);
    expect(e.constraints.some((c) => c.name === 'min' && c.changed)).toBe(false);
  });
});
