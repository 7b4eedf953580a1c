// simulate and plan --explain through the built CLI, as a user runs them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { project, scalectl } from '../support/cli.js';

const START = '2026-11-21T10:00:00Z'; // a Saturday: the business-hours schedule is not in force

describe('simulate', () => {
  // --platform hpa: concurrency as the instant in-flight count (the mock cloud reads it as Container Apps' HTTP rule).
  it('prints the chart, the summary table and the events', async () => {
    const dir = project();
    const result = await scalectl(['simulate', 'web', '--load', 'concurrency=steps(50,900@10m,50@40m)', '--duration', '1h', '--start', START, '--platform', 'hpa'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^load concurrency +900 ┤/m);
    expect(result.stdout).toMatch(/^peak instances +12$/m);
    expect(result.stdout).toMatch(/^dropped +0 \(0\.00%\)$/m);
    expect(result.stdout).toContain('   10m  scale-out 2→6  concurrency 13 → max 13; rate policy 13→6');
  });

  it('fits the terminal: $COLUMNS down to 60, no line wider, no trailing spaces', async () => {
    const dir = project();
    for (const columns of [60, 80, 132]) {
      const result = await scalectl(['simulate', 'web', '--load', 'concurrency=steps(50,900@10m,50@40m)', '--duration', '1h', '--start', START], { cwd: dir, env: { COLUMNS: String(columns) } });
      expect(result.exitCode).toBe(0);
      const lines = result.stdout.split('\n');
      const widest = Math.max(...lines.map((line) => [...line].length));
      expect(widest, `widest line at COLUMNS=${columns}`).toBeLessThanOrEqual(columns);
      expect(lines.filter((line) => / $/.test(line)), `lines with trailing spaces at COLUMNS=${columns}`).toEqual([]);
      expect(result.stdout).toMatch(/^instances +\d+ ┤/m);
      expect(result.stdout).toContain('▲ scale-out');
      if (columns === 132) expect(widest).toBeGreaterThan(100); // a wide terminal gets a wider plot
    }
  });

  it('--json gives the summary and every step; --html writes one self-contained file', async () => {
    const dir = project();
    const json = await scalectl(['simulate', 'web', '--load', 'concurrency=steps(50,900@2m)', '--duration', '5m', '--start', START, '--json'], { cwd: dir });
    expect(json.exitCode).toBe(0);
    const data = JSON.parse(json.stdout);
    expect(data).toMatchObject({ service: 'web', stepMs: 1000, metrics: ['concurrency'] });
    expect(data.summary.peakInstances).toBeGreaterThan(2);
    const html = await scalectl(['simulate', 'web', '--load', 'concurrency=steps(50,900@2m)', '--duration', '5m', '--start', START, '--html', 'report.html'], { cwd: dir });
    expect(html.exitCode).toBe(0);
    const page = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(page).toMatch(/^<!doctype html>/i);
    // Charts are drawn by inline script (test/simulate/html-chromium.test.ts renders them in Chromium);
    // the page's own policy forbids any fetch, and it names nothing outside itself.
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    expect(page).toContain('<script>');
    expect(page).not.toMatch(/(src|href)=["']https?:/);
    // web's schedules run on Moscow time: the report's time axis shows that wall clock
    expect(page).toContain('"timeZone":"Europe/Moscow"');
    expect(page).toContain('times in Europe/Moscow');
  });

  it('warns about load fields no metric of the service reads, and still runs', async () => {
    const dir = project();
    const result = await scalectl(['simulate', 'web', '--load', 'concurrency=steps(50,900@2m) cpu=60 queue=10', '--duration', '5m', '--start', START], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(
      '\nwarning: --load gives cpu, queue, which no metric of web reads (its metrics are concurrency): they are ignored; add a cpu metric to autoscale.metrics, or leave cpu, queue out of --load',
    );
    expect(result.stdout).toMatch(/^peak instances +\d+$/m);
    // worker scales on its queue: a queue field is read, nothing to warn about
    const worker = await scalectl(['simulate', 'worker', '--load', 'queue=steps(0,400@1m)', '--duration', '5m', '--start', START], { cwd: dir });
    expect(worker.exitCode).toBe(0);
    expect(worker.stderr).not.toContain('warning');
  });

  it('names a service that does not exist and a load it cannot read (exit 1)', async () => {
    const dir = project();
    const missing = await scalectl(['simulate', 'webb', '--load', 'rps=steps(10)'], { cwd: dir });
    expect(missing.exitCode).toBe(1);
    // The shop has environments: the note says the base is used.
    expect(missing.stderr).toBe('note: scaling.yaml defines environments (staging, prod); using the base. Choose one with --env <name> or SCALECTL_ENV.\nerror: no service "webb" in scaling.yaml (did you mean "web"?); services: web, api, worker, bot, admin');
    const shape = await scalectl(['simulate', 'web', '--load', 'rps=stepz(10)'], { cwd: dir });
    expect(shape.exitCode).toBe(1);
    expect(shape.stderr).toBe('note: scaling.yaml defines environments (staging, prod); using the base. Choose one with --env <name> or SCALECTL_ENV.\nerror: --load: unknown load shape "stepz"; expected steps, ramp, spike, daily or noise');
    expect(existsSync(join(dir, '.scalectl'))).toBe(false);
  });
});

describe('plan --explain', () => {
  it('explains the count each autoscaled service holds, in text and in the JSON plan', async () => {
    const dir = project();
    await scalectl(['apply', '--yes', '-q'], { cwd: dir });
    const text = await scalectl(['plan', '--explain'], { cwd: dir });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/^api: 1 → 1 {2}\(live count; bounds 1–10\)$/m);
    expect(text.stdout).toContain('  metric rps: not measured, requests/s per instance 150 → no recommendation');
    expect(text.stdout).toMatch(/^worker: 0 → 0 /m);
    const json = JSON.parse((await scalectl(['plan', '--explain', '--json'], { cwd: dir })).stdout);
    expect(json.summary).toEqual({ toChange: 0, unchanged: 5, errors: 0 });
    expect(json.explanations.map((e: { service: string }) => e.service)).toEqual(['web', 'api', 'worker']);
    expect(json.explanations[1]).toMatchObject({ service: 'api', current: 1, final: 1, bounds: { min: 1, max: 10 } });
  });
});
