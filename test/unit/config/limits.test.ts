// Limits and formats the validator enforces beyond the corpus: ISO timestamps in schedule
// dates (with seconds or a zone), counts at the 2^31−1 edge, durations at the 365-day edge.
import { describe, expect, it } from 'vitest';
import { scheduleAt } from '../../../src/simulate/schedule.js';
import { errorLines, parse, withService } from '../../support/config.js';

const scheduled = (dates: string, timezone = '') =>
  withService(`    autoscale:\n      min: 1\n      max: 5\n      schedules:\n        - name: sale\n          dates: ${dates}\n          max: 9\n${timezone}`);

describe('schedule dates', () => {
  it('takes full ISO 8601 timestamps with seconds, fractions or a zone', () => {
    for (const dates of [
      '{ start: "2026-11-27T08:00:30", end: "2026-11-28" }',
      '{ start: "2026-11-27T08:00:00Z", end: "2026-11-27T20:00:00.500Z" }',
      '{ start: "2026-11-27T08:00:00+03:00", end: "2026-11-27T20:00:00-0100" }',
    ]) {
      expect(parse(scheduled(dates)).services[0].spec.autoscale?.schedules?.[0].dates).toBeDefined();
    }
  });

  it('reads a zoned timestamp as an instant and ignores the schedule zone for it', () => {
    const config = parse(scheduled('{ start: "2026-11-27T08:00:00+03:00", end: "2026-11-27T09:00:00+03:00" }', '          timezone: America/New_York\n'));
    const schedules = config.services[0].spec.autoscale!.schedules;
    expect(scheduleAt(schedules, Date.parse('2026-11-27T05:00:00Z'))?.name).toBe('sale');
    expect(scheduleAt(schedules, Date.parse('2026-11-27T04:59:59Z'))).toBeUndefined();
    expect(scheduleAt(schedules, Date.parse('2026-11-27T06:00:00Z'))).toBeUndefined();
  });

  it('reads a local timestamp in the schedule zone', () => {
    const config = parse(scheduled('{ start: "2026-11-27T08:00:00", end: "2026-11-27T09:00" }', '          timezone: Europe/Moscow\n'));
    const schedules = config.services[0].spec.autoscale!.schedules;
    expect(scheduleAt(schedules, Date.parse('2026-11-27T05:30:00Z'))?.name).toBe('sale');
    expect(scheduleAt(schedules, Date.parse('2026-11-27T08:30:00Z'))).toBeUndefined();
  });

  it('rejects days, times and offsets that do not exist', () => {
    expect(errorLines(scheduled('{ start: "2026-11-27T24:00", end: "2026-11-28" }'))[0]).toMatch(/^9:27 dates.start "2026-11-27T24:00" is not a real date and time/);
    expect(errorLines(scheduled('{ start: "2026-11-27", end: "2026-11-28T00:00:00+25:00" }'))[0]).toMatch(/dates.end "2026-11-28T00:00:00\+25:00" is not a real date and time/);
  });
});

describe('counts and durations at their limits', () => {
  it('takes 2^31−1 and refuses one more', () => {
    expect(parse(withService('    replicas: 2147483647\n')).services[0].spec.replicas).toBe(2147483647);
    expect(errorLines(withService('    replicas: 2147483648\n'))[0]).toMatch(/^4:15 services.web.replicas must be at most 2147483647, got 2147483648/);
  });

  it('applies the limit after interpolation too', () => {
    expect(errorLines(withService('    replicas: ${N}\n'), { N: '1e23' })[0]).toMatch(/must be at most 2147483647, got 1e\+23/);
  });

  it('takes 365 days and refuses longer or finer than a millisecond', () => {
    expect(parse(withService('    replicas: 1\n    traffic: { instanceIdleTimeout: 8760h, requestTimeout: 1.5s }\n')).services[0].spec.traffic).toEqual({ instanceIdleTimeout: '8760h', requestTimeout: '1500ms' });
    expect(errorLines(withService('    replicas: 1\n    traffic: { instanceIdleTimeout: 366d }\n'))[0]).toMatch(/is longer than 8760h/);
    expect(errorLines(withService('    replicas: 1\n    traffic: { requestTimeout: 1.5ms }\n'))[0]).toMatch(/is not a whole number of milliseconds/);
  });
});
