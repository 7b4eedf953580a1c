// The --html report opened in headless Chromium (Debian's `chromium`): the inline script draws the
// charts, event markers, summary and event list from the embedded data, with no network access.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/simulate/html.js';
import { simulate } from '../../src/simulate/index.js';
import { parseLoadSpec } from '../../src/simulate/load.js';
import { service, T0 } from './helpers.js';

function chromium(): string {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((c): c is string => Boolean(c));
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error('chromium not found: install it (apt-get install -y chromium) or set CHROMIUM=/path/to/chromium');
  return found;
}

function headless(args: string[], dir: string) {
  const result = spawnSync(
    chromium(),
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${join(dir, 'profile')}`, '--virtual-time-budget=5000', ...args],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (result.error) throw result.error;
  return result;
}

describe('HTML report in headless Chromium', () => {
  const api = service(
    { min: 1, max: 6, metrics: [{ type: 'concurrency', target: 10, limit: 12 }], behavior: { scaleDown: { stabilization: '1m' } } },
    { coldStart: '30s', queueTimeout: '5s', instanceIdleTimeout: '2m' },
  );
  const load = parseLoadSpec('rps=steps(20,250@5m,30@15m)+spike(400,10m,1m) latency=200ms', T0);
  const eager = service({ min: 3, max: 6, metrics: [{ type: 'concurrency', target: 10, limit: 12 }] }, { coldStart: '30s', queueTimeout: '5s' });
  const results = [
    simulate(api, load, { start: T0, durationMs: 20 * 60_000, stepMs: 1000 }),
    simulate(eager, load, { start: T0, durationMs: 20 * 60_000, stepMs: 1000 }),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-html-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, renderHtml(results, { title: 'scalectl simulate api', load: load.describe, labels: ['scaling.yaml', 'eager.yaml'] }));

  it('renders charts, markers, summary and events from the inline data', () => {
    const { stdout, status } = headless(['--dump-dom', `file://${file}`], dir);
    expect(status).toBe(0);
    expect(stdout).toContain('data-rendered="yes"');
    const instancePaths = [...stdout.matchAll(/<path [^>]*class="series series-instances-(\d)"[^>]*>/g)];
    expect(instancePaths.map((m) => m[1])).toEqual(['0', '1']);
    for (const m of instancePaths) expect(m[0]).toMatch(/ d="M[\d.]+,[\d.]+(H[\d.]+V[\d.]+)+"/);
    const markers = (stdout.match(/class="event event-/g) ?? []).length;
    const expected = results.reduce((n, r) => n + r.events.filter((e) => e.kind !== 'schedule').length, 0);
    expect(markers).toBe(expected);
    expect(stdout).toContain('class="event event-drops"');
    expect(stdout).toMatch(/<svg [^>]*id="queue-svg"/);
    const peaks = [...stdout.matchAll(/<td data-key="peakInstances">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(peaks).toEqual(results.map((r) => r.summary.peakInstances));
    const listed = (stdout.match(/<div class="ev ev-/g) ?? []).length;
    expect(listed).toBe(results.reduce((n, r) => n + r.events.length, 0));
    expect(stdout).toMatch(/<input type="checkbox" data-series="load">/);
  }, 90_000);

  // The DOM Chromium built for one panel's <svg>, and the text of its tick labels.
  const svgOf = (dom: string, id: string) => dom.match(new RegExp(`<svg [^>]*id="${id}-svg"[\\s\\S]*?</svg>`))?.[0] ?? '';
  const ticks = (svg: string, axis: 'x' | 'y') => [...svg.matchAll(new RegExp(`class="tick ${axis}-tick">([^<]*)<`, 'g'))].map((m) => m[1]);

  it('draws each quantity in its own panel with ticks, gridlines and readable labels', () => {
    const dom = headless(['--dump-dom', `file://${file}`], dir).stdout;
    for (const id of ['load', 'main', 'queue', 'drops']) {
      const svg = svgOf(dom, id);
      expect(svg, `panel ${id}`).not.toBe('');
      expect(ticks(svg, 'y').length, `y ticks of ${id}`).toBeGreaterThanOrEqual(3);
      expect(ticks(svg, 'x'), `x ticks of ${id}`).toEqual(['0m', '5m', '10m', '15m', '20m']);
      expect((svg.match(/class="grid"/g) ?? []).length).toBeGreaterThanOrEqual(8);
    }
    // instances on whole-number ticks from 0 past the peak (6), so a count can be read off
    const instanceTicks = ticks(svgOf(dom, 'main'), 'y').map(Number);
    expect(instanceTicks[0]).toBe(0);
    expect(instanceTicks.every(Number.isInteger)).toBe(true);
    expect(instanceTicks.at(-1)).toBeGreaterThanOrEqual(6);
    // the load panel reaches 650 rps at the spike; the queue panel counts thousands with separators
    expect(ticks(svgOf(dom, 'load'), 'y').at(-1)).toMatch(/^[\d,]+$/);
    expect(ticks(svgOf(dom, 'queue'), 'y').some((t) => /^\d{1,3}(,\d{3})+$/.test(t))).toBe(true);
    const requests = dom.match(/<td data-key="requests">([^<]+)<\/td>/)?.[1];
    expect(requests).toMatch(/^\d{1,3}(,\d{3})+$/);
  }, 90_000);

  it('says "nothing queued / dropped" instead of inventing a scale, and shows wall-clock time with schedules', () => {
    const calm = simulate(eager, parseLoadSpec('rps=20 latency=200ms', T0), { start: T0, durationMs: 2 * 3_600_000, stepMs: 1000 });
    const calmFile = join(dir, 'calm.html');
    writeFileSync(calmFile, renderHtml([calm], { title: 'scalectl simulate api', load: 'rps=20', timeZone: 'Europe/Moscow' }));
    const dom = headless(['--dump-dom', `file://${calmFile}`], dir).stdout;
    expect(dom).toContain('data-rendered="yes"');
    for (const [id, text] of [['queue', 'nothing queued'], ['drops', 'nothing dropped']]) {
      const svg = svgOf(dom, id);
      expect(svg).toContain(`>${text}</text>`);
      expect(ticks(svg, 'y')).toEqual(['0']);
      expect(svg).not.toMatch(/class="series/);
    }
    expect(dom).not.toMatch(/>(queued|dropped) 1</);
    // T0 is Monday 00:00 UTC = 03:00 in Moscow; ticks every 15 minutes on the wall clock
    expect(ticks(svgOf(dom, 'main'), 'x').slice(0, 3)).toEqual(['Mon 03:00', 'Mon 03:15', 'Mon 03:30']);
    expect(dom).toContain('times in Europe/Moscow');
  }, 90_000);

  it('paints a screenshot', () => {
    const png = join(dir, 'shot.png');
    const { status } = headless(['--window-size=1200,900', `--screenshot=${png}`, `file://${file}`], dir);
    expect(status).toBe(0);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    expect(statSync(png).size).toBeGreaterThan(20_000);
  }, 90_000);
});
