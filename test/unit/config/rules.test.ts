import { describe, expect, it } from 'vitest';
import { errorLines, parse, problems, withService } from '../../support/config.js';

const autoscale = (body: string) => withService(`    autoscale:\n${body}`);

describe('semantic rules (DESIGN §2)', () => {
  it('min must not exceed max', () => {
    expect(errorLines(autoscale('      min: 5\n      max: 3\n'))).toEqual(['5:12 autoscale.min (5) is above autoscale.max (3) (min must not exceed max)']);
  });

  it('max must be at least 1 when autoscaling', () => {
    expect(errorLines(autoscale('      min: 0\n      max: 0\n'))).toEqual(['6:12 autoscale.max must be at least 1 (use "replicas: 0" to stop a service)']);
  });

  it('min == max is a warning, not an error', () => {
    const config = parse(autoscale('      min: 3\n      max: 3\n'));
    expect(config.warnings).toEqual([
      'scaling.yaml:6:12: warning: autoscale.min equals autoscale.max (3): no scaling will happen\n  use "replicas" for a fixed count, or raise max',
    ]);
  });

  it('target above limit warns that the smaller one wins', () => {
    const config = parse(autoscale('      min: 1\n      max: 3\n      metrics: [{ type: concurrency, target: 120, limit: 100 }]\n'));
    expect(config.warnings[0]).toMatch(/^scaling.yaml:7:46: warning: concurrency target \(120\) is above its limit \(100\): the smaller one, 100, is used/);
  });

  it('min 0 with only cpu/memory metrics cannot wake up', () => {
    expect(errorLines(autoscale('      min: 0\n      max: 3\n      metrics: [{ type: cpu, utilization: 60 }]\n'))).toEqual([
      '5:12 autoscale.min is 0 but only cpu/memory metrics are set: nothing would wake the service from zero (set min to 1, or add a concurrency, rps, queue or external metric)',
    ]);
    expect(() => parse(autoscale('      min: 0\n      max: 3\n      metrics: [{ type: cpu, utilization: 60 }, { type: rps, target: 5 }]\n'))).not.toThrow();
  });

  it('replicas and autoscale exclude each other, and one is needed', () => {
    expect(errorLines(withService('    replicas: 2\n    autoscale: { min: 1, max: 2 }\n'))).toEqual([
      '5:16 services.web has both replicas and autoscale (they exclude each other: keep replicas for a fixed count, or autoscale for min/max)',
    ]);
    expect(errorLines(withService('    target: web\n'))).toEqual([
      '4:5 services.web needs replicas or autoscale (add "replicas: 1" for a fixed count, or an autoscale block with min and max)',
    ]);
  });

  it('providers must exist', () => {
    expect(errorLines(withService('    provider: prod\n    replicas: 1\n'))).toEqual([
      '4:15 services.web.provider names "prod", which is not a provider (define providers.prod, or use one of: mock)',
    ]);
  });

  it('initial and default lie within min..max', () => {
    expect(errorLines(autoscale('      min: 1\n      max: 3\n      initial: 5\n'))).toEqual([
      '7:16 autoscale.initial (5) is outside min..max (1..3) (set initial between 1 and 3)',
    ]);
  });

  it('metric shapes: cpu needs exactly one target kind; concurrency needs target or limit', () => {
    expect(errorLines(autoscale('      min: 1\n      max: 3\n      metrics: [{ type: cpu }]\n'))[0]).toMatch(/^7:17 a cpu metric needs exactly one of utilization or averageValue/);
    expect(errorLines(autoscale('      min: 1\n      max: 3\n      metrics: [{ type: concurrency }]\n'))[0]).toMatch(/^7:17 a concurrency metric needs target/);
  });

  it('combine formulas may only name the service\'s metric types', () => {
    const text = autoscale('      min: 1\n      max: 3\n      metrics: [{ type: rps, target: 5 }]\n      combine: "max(rps, cpu)"\n');
    expect(errorLines(text)).toEqual(['8:16 combine refers to "cpu", which is not one of this service\'s metric types (use: rps)']);
  });

  it('schedules: one kind, valid zone, a length, bounds that fit', () => {
    const base = '      min: 1\n      max: 10\n      schedules:\n';
    expect(errorLines(autoscale(`${base}        - { name: a, min: 2 }\n`))[0]).toMatch(/schedule "a" needs exactly one of recurring, dates or cron/);
    expect(errorLines(autoscale(`${base}        - { name: a, recurring: { days: [Mon], start: "08:00", end: "08:00" }, min: 2 }\n`))[0]).toMatch(/starts and ends at the same time/);
    expect(errorLines(autoscale(`${base}        - { name: a, recurring: { days: [Mon], start: "08:00", end: "09:00" }, timezone: Mars/Base, min: 2 }\n`))[0]).toMatch(
      /^8:90 unknown time zone "Mars\/Base"/,
    );
    expect(errorLines(autoscale(`${base}        - { name: a, cron: "0 8 * *", min: 2 }\n`))).toHaveLength(2);
    expect(errorLines(autoscale(`${base}        - { name: a, dates: { start: "2026-01-02", end: "2026-01-01" }, min: 20 }\n`))).toEqual([
      '8:57 schedule "a" ends before it starts (dates.end must be after dates.start)',
      '8:78 schedule "a" makes min (20) larger than max (10) (raise the schedule\'s max, or lower its min)',
    ]);
    expect(errorLines(autoscale(`${base}        - { name: a, recurring: { days: [Mon], start: "08:00", end: "9:00" }, min: 2 }\n`))[0]).toMatch(/expected HH:MM/);
  });

  it('every error of a file is reported at once, sorted by position', () => {
    const all = problems(`version: 2
services:
  web:
    replicas: 1
    routing: { afinity: sticky }
`);
    expect(all.map((d) => `${d.line}:${d.col}`)).toEqual(['1:10', '5:16']);
  });
});
