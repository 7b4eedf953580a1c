// The simulate command in-process: text chart and summary, --json, --compare, traces, usage errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { YAML, runSimulate, workspace } from './cli-helpers.js';

const START = '2026-03-02T08:00:00Z';

describe('scalectl simulate', () => {
  it('prints a chart with events, the summary table and the event list', async () => {
    const dir = workspace();
    // --platform hpa: the concurrency metric is the instant in-flight count (an HPA Pods metric).
    const { code, out } = await runSimulate(dir, { service: 'api', load: 'rps=steps(20,300@5m,20@20m) latency=200ms', duration: '30m', start: START, platform: 'hpa' });
    expect(code).toBe(0);
    const lines = out.split('\n');
    // 80 columns (no terminal, no $COLUMNS): the heading takes two lines rather than wrapping
    expect(lines.slice(0, 2)).toEqual(['load: rps=steps(20,300@5m,20@20m) latency=200ms', 'start 2026-03-02T08:00:00.000Z · step 1s']);
    expect(out).toContain('load rps');
    expect(out).toContain('instances');
    expect(lines.find((l) => l.startsWith('events '))).toMatch(/▲/);
    // 300 rps × 200 ms = 60 in flight at 10 per instance: 6 instances, reached in two policy steps.
    expect(out).toMatch(/^peak instances\s+6$/m);
    expect(out).toMatch(/^cold starts\s+5$/m);
    expect(out).toContain('\n    5m  scale-out 1→5  concurrency 6 → max 6; rate policy 6→5\n');
    expect(out).toMatch(/^\s+5m  scale-out 5→6  concurrency 6 → max 6$/m);
    expect(out).toContain('instance-hours');
  });

  it('--json gives every step with decisions at evaluations', async () => {
    const dir = workspace();
    const { out } = await runSimulate(dir, { service: 'api', load: 'concurrency=steps(5,30@1m)', duration: '3m', step: '5s', start: START, platform: 'hpa' }, true);
    const doc = JSON.parse(out);
    expect(doc.steps).toHaveLength(36);
    expect(doc.steps[0]).toMatchObject({ at: '2026-03-02T08:00:00.000Z', instances: 1, bounds: { min: 1, max: 8 }, decision: { recommended: { concurrency: 1 }, final: 1 } });
    expect(doc.steps[1].decision).toBeUndefined();
    expect(doc.steps[12]).toMatchObject({ at: '2026-03-02T08:01:00.000Z', decision: { recommended: { concurrency: 3 }, final: 3 } });
    expect(doc.events[0]).toMatchObject({ kind: 'scale-out', from: 1, to: 3, time: '2026-03-02T08:01:00.000Z' });
    expect(doc.summary.peakInstances).toBe(Math.max(...doc.steps.map((s: { instances: number }) => s.instances)));
  });

  it('--compare runs two policies on the same load side by side', async () => {
    const eager = YAML.replace('min: 1', 'min: 3');
    const dir = workspace({ 'scaling.yaml': YAML, 'eager.yaml': eager });
    const { out } = await runSimulate(dir, { service: 'api', load: 'rps=steps(20,300@5m)', duration: '15m', compare: 'eager.yaml', start: START });
    expect(out).toMatch(/^\s+scaling\.yaml\s+eager\.yaml$/m);
    expect(out).toMatch(/^— eager\.yaml$/m);
    expect(out).toMatch(/^instance-hours\s+\S+\s+\S+$/m);
  });

  it('reads CSV traces (offsets) and JSON traces (timestamps, start from the first row)', async () => {
    const dir = workspace({
      'scaling.yaml': YAML,
      'trace.csv': 'time,concurrency\n0s,5\n1m,40\n2m,5\n',
      'trace.json': JSON.stringify([{ time: '2026-03-02T10:00:00Z', concurrency: 5 }, { time: '2026-03-02T10:01:00Z', concurrency: 40 }]),
    });
    const csv = JSON.parse((await runSimulate(dir, { service: 'api', load: 'trace.csv', duration: '3m', step: '15s', start: START }, true)).out);
    expect(csv.steps.map((s: { load: { concurrency: number } }) => s.load.concurrency).slice(0, 9)).toEqual([5, 5, 5, 5, 40, 40, 40, 40, 5]);
    const json = JSON.parse((await runSimulate(dir, { service: 'api', load: 'trace.json', step: '15s' }, true)).out);
    expect(json.start).toBe('2026-03-02T10:00:00.000Z');
    expect(json.steps).toHaveLength(5); // to the last row (1m) plus one step
  });

  it('rejects unknown services, bad shapes and bad durations with the fix', async () => {
    const dir = workspace();
    await expect(runSimulate(dir, { service: 'web', load: 'rps=10' })).rejects.toThrow('no service "web" in scaling.yaml; services: api');
    await expect(runSimulate(dir, { service: 'api', load: 'rps=wave(1,2)' })).rejects.toThrow('--load: unknown load shape "wave"; expected steps, ramp, spike, daily or noise');
    await expect(runSimulate(dir, { service: 'api', load: 'rps=10', duration: 'long' })).rejects.toThrow('--duration "long" is not a positive duration; expected e.g. 30s, 15m, 24h');
    await expect(runSimulate(dir, { service: 'api', load: 'missing.csv' })).rejects.toBeInstanceOf(UsageError);
  });

  it('--html writes one self-contained file', async () => {
    const dir = workspace();
    await runSimulate(dir, { service: 'api', load: 'rps=steps(20,300@5m)', duration: '10m', html: 'report.html', start: START });
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/\b(src|href)=["']?https?:/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).toContain('<script id="data" type="application/json">');
  });
});
