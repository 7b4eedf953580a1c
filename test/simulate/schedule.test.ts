// Schedules: bounds in force with time zones and precedence, the weekday/weekend example of the Azure
// guidance ("10 instances on weekdays, 4 on Saturday and Sunday"), and the mock cloud's live count.
import { describe, expect, it } from 'vitest';
import type { Autoscale } from '../../src/config/model.js';
import { simulate } from '../../src/simulate/index.js';
import { liveCount } from '../../src/simulate/live.js';
import { boundsAt } from '../../src/simulate/schedule.js';
import { constant, service } from './helpers.js';

// Weekend from Saturday 00:00 for 48 h, Warsaw time (CET/CEST).
const weekend: Autoscale = {
  min: 10,
  max: 20,
  metrics: [{ type: 'cpu', utilization: 60 }],
  schedules: [{ name: 'weekend', cron: '0 0 * * 6', duration: '48h', timezone: 'Europe/Warsaw', min: 4 }],
};

const at = (iso: string) => new Date(iso);

describe('boundsAt', () => {
  it('weekdays 10, weekends 4, switching at local midnight', () => {
    expect(boundsAt(weekend, at('2026-03-06T22:59:00Z'))).toEqual({ min: 10, max: 20 }); // Fri 23:59 CET
    expect(boundsAt(weekend, at('2026-03-06T23:00:00Z'))).toEqual({ min: 4, max: 20, schedule: 'weekend' }); // Sat 00:00 CET
    expect(boundsAt(weekend, at('2026-03-08T22:59:00Z'))).toEqual({ min: 4, max: 20, schedule: 'weekend' }); // Sun 23:59
    expect(boundsAt(weekend, at('2026-03-08T23:00:00Z'))).toEqual({ min: 10, max: 20 }); // Mon 00:00
  });

  it('follows the summer-time change (Sunday 29 March 2026 in Warsaw)', () => {
    expect(boundsAt(weekend, at('2026-03-29T21:59:00Z')).schedule).toBe('weekend'); // Sun 23:59 CEST
    expect(boundsAt(weekend, at('2026-03-29T22:00:00Z')).schedule).toBeUndefined(); // Mon 00:00 CEST
  });

  it('dates win over recurring, and the first recurring match wins', () => {
    const auto: Autoscale = {
      min: 2,
      max: 10,
      schedules: [
        { name: 'business-hours', recurring: { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], start: '08:00', end: '20:00' }, timezone: 'Europe/Moscow', min: 5 },
        { name: 'late', recurring: { days: ['Fri'], start: '18:00', end: '02:00' }, timezone: 'Europe/Moscow', min: 3, max: 4 },
        { name: 'black-friday', dates: { start: '2026-11-27T00:00', end: '2026-11-28T00:00' }, timezone: 'Europe/Moscow', min: 20 },
      ],
    };
    expect(boundsAt(auto, at('2026-11-26T05:00:00Z'))).toEqual({ min: 5, max: 10, schedule: 'business-hours' }); // Thu 08:00 MSK
    expect(boundsAt(auto, at('2026-11-26T04:59:00Z'))).toEqual({ min: 2, max: 10 });
    expect(boundsAt(auto, at('2026-11-27T10:00:00Z'))).toEqual({ min: 20, max: 20, schedule: 'black-friday' }); // min above max lifts max
    expect(boundsAt(auto, at('2026-12-04T16:00:00Z'))).toEqual({ min: 5, max: 10, schedule: 'business-hours' }); // Fri 19:00: first match
    expect(boundsAt(auto, at('2026-12-04T22:00:00Z'))).toEqual({ min: 3, max: 4, schedule: 'late' }); // Sat 01:00 MSK, overnight from Fri
    expect(boundsAt(auto, at('2026-12-04T23:00:00Z'))).toEqual({ min: 2, max: 10 }); // Sat 02:00 MSK
  });
});

describe('weekday/weekend in the engine', () => {
  it('holds 10 on Friday night, 4 from Saturday 00:00, 10 again from Monday 00:00 (idle load)', () => {
    const start = at('2026-03-06T22:00:00Z'); // Fri 23:00 Warsaw
    const result = simulate(service(weekend), constant('cpu', 0), { start, durationMs: 50 * 3_600_000, stepMs: 15_000 });
    const countAt = (iso: string) => result.series.instances[Math.round((at(iso).getTime() - start.getTime()) / 15_000)];
    expect(countAt('2026-03-06T22:59:45Z')).toBe(10);
    expect(countAt('2026-03-06T23:00:00Z')).toBe(4); // bounds lowered; the idle metric wants fewer, HPA records raw counts
    expect(countAt('2026-03-08T22:59:45Z')).toBe(4);
    expect(countAt('2026-03-08T23:00:00Z')).toBe(10); // bounds win at once
    expect(result.events.filter((e) => e.kind === 'schedule').map((e) => e.detail)).toEqual([
      'schedule weekend in force: bounds 4–20',
      'schedule weekend ended: bounds 10–20',
    ]);
  });
});

describe('liveCount', () => {
  it('holds the previous count inside the bounds in force', () => {
    expect(liveCount(weekend, at('2026-03-07T12:00:00Z'), 6)).toEqual({ count: 6, reason: 'holds 6 (previous count) within 4–20 (schedule weekend)' });
    expect(liveCount(weekend, at('2026-03-09T12:00:00Z'), 6)).toEqual({ count: 10, reason: 'raised to min 10 from 6 (previous count)' });
    expect(liveCount(weekend, at('2026-03-09T12:00:00Z'), 30)).toEqual({ count: 20, reason: 'lowered to max 20 from 30 (previous count)' });
  });

  it('starts from initial, else min; pause.replicas wins', () => {
    expect(liveCount({ ...weekend, initial: 12 }, at('2026-03-09T12:00:00Z'), undefined).count).toBe(12);
    expect(liveCount(weekend, at('2026-03-07T12:00:00Z'), undefined)).toEqual({ count: 4, reason: 'holds 4 (min) within 4–20 (schedule weekend)' });
    expect(liveCount({ ...weekend, pause: { replicas: 0 } }, at('2026-03-09T12:00:00Z'), 7)).toEqual({ count: 0, reason: 'paused at 0' });
  });
});
