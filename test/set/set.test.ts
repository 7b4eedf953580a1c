// scalectl set: the byte-for-byte round trip of a heavily commented file, validation before writing.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/set.js';
import { captureContext } from './context.js';

const FIXTURE = new URL('./fixtures/commented.yaml', import.meta.url).pathname;

function copy(): { dir: string; file: string; original: string } {
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-set-'));
  const file = join(dir, 'scaling.yaml');
  copyFileSync(FIXTURE, file);
  return { dir, file, original: readFileSync(file, 'utf8') };
}

// The lines that differ, as [line number, before, after]; the files must have equal length.
function changedLines(before: string, after: string): [number, string, string][] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b.length).toBe(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [[i + 1, line, b[i]] as [number, string, string]]));
}

describe('scalectl set', () => {
  it('changes exactly one line of a heavily commented file (byte diff)', async () => {
    const { dir, file, original } = copy();
    const { ctx, stderr } = captureContext(dir);
    expect(await run({ assignments: ['web', 'autoscale.max=30'] }, ctx)).toBe(0);
    const after = readFileSync(file, 'utf8');
    expect(changedLines(original, after)).toEqual([[18, '      max: 20         # hot + cold', '      max: 30         # hot + cold']]);
    expect(Buffer.from(after).length).toBe(Buffer.from(original).length);
    expect(stderr()).toContain('web.autoscale.max: 20 → 30');
  });

  it('edits inside flow mappings, list items picked by type or name, and keeps quoting', async () => {
    const { dir, file, original } = copy();
    const { ctx } = captureContext(dir);
    const code = await run(
      {
        service: 'web',
        assignments: ['traffic.queueTimeout=30s', 'autoscale.metrics[cpu].utilization=75', 'autoscale.schedules[business-hours].min=6', 'autoscale.schedules[business-hours].recurring.start=09:00', 'autoscale.metrics[concurrency].target=80'],
      },
      ctx,
    );
    expect(code).toBe(0);
    expect(changedLines(original, readFileSync(file, 'utf8'))).toEqual([
      [20, '        - { type: concurrency, target: 70, limit: 100 }   # soft target, hard limit', '        - { type: concurrency, target: 80, limit: 100 }   # soft target, hard limit'],
      [23, '          utilization: 60     # percent of the request', '          utilization: 75     # percent of the request'],
      [26, '          recurring: { days: [Mon, Tue, Wed, Thu, Fri], start: "08:00", end: "20:00" }', '          recurring: { days: [Mon, Tue, Wed, Thu, Fri], start: "09:00", end: "20:00" }'],
      [28, '          min: 5      # more hot ones by day', '          min: 6      # more hot ones by day'],
      [29, '    traffic: { requestTimeout: 300s, queueTimeout: 10s }   # flow style stays flow', '    traffic: { requestTimeout: 300s, queueTimeout: 30s }   # flow style stays flow'],
    ]);
  });

  it('inserts missing keys and list items in the style around them', async () => {
    const { dir, file, original } = copy();
    const { ctx } = captureContext(dir);
    expect(await run({ assignments: ['web', 'traffic.coldStart=3s', 'autoscale.initial=3', 'autoscale.metrics[rps].target=150', 'routing.affinity=sticky'] }, ctx)).toBe(0);
    const after = readFileSync(file, 'utf8');
    expect(after).toContain('    traffic: { requestTimeout: 300s, queueTimeout: 10s, coldStart: 3s }   # flow style stays flow\n');
    expect(after).toContain('          utilization: 60     # percent of the request\n        - { type: rps, target: 150 }\n      schedules:\n');
    expect(after).toContain('          min: 5      # more hot ones by day\n      initial: 3\n    traffic:');
    expect(after).toContain('      memory: 512Mi\n    routing:\n      affinity: sticky\n\n  # ── bot');
    // every original line is still there, in order
    const kept = original.split('\n').filter((line) => !line.includes('traffic:'));
    let at = 0;
    const lines = after.split('\n');
    for (const line of kept) {
      at = lines.indexOf(line, at);
      expect(at, line).toBeGreaterThanOrEqual(0);
    }
  });

  it('removes a key or a list item with an empty value', async () => {
    const { dir, file, original } = copy();
    const { ctx } = captureContext(dir);
    expect(await run({ assignments: ['web', 'resources.memory=', 'traffic.requestTimeout='] }, ctx)).toBe(0);
    const after = readFileSync(file, 'utf8');
    expect(after).not.toContain('memory: 512Mi');
    expect(after).toContain('    traffic: { queueTimeout: 10s }   # flow style stays flow\n');
    expect(original.split('\n').length - after.split('\n').length).toBe(1);
  });

  it('refuses a value the validator rejects, prints file:line:col and writes nothing', async () => {
    const { dir, file, original } = copy();
    const { ctx, stderr } = captureContext(dir);
    expect(await run({ assignments: ['web', 'autoscale.min=50'] }, ctx)).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(stderr()).toMatch(/^scaling\.yaml:1[78]:\d+: error: .*min/m);
    expect(stderr()).toContain('scaling.yaml was not changed');
    const typo = captureContext(dir);
    expect(await run({ assignments: ['web', 'autoscale.maxx=5'] }, typo.ctx)).toBe(1);
    expect(typo.stderr()).toContain('did you mean "max"?');
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('names what is wrong with the command line', async () => {
    const { dir } = copy();
    const { ctx } = captureContext(dir);
    await expect(run({ assignments: ['wbe', 'replicas=2'] }, ctx)).rejects.toThrow('no service "wbe" in scaling.yaml (did you mean "web"?); add new services with scalectl init');
    await expect(run({ assignments: ['bot', 'replicas'] }, ctx)).rejects.toThrow('"replicas" is not an assignment: expected <path>=<value>');
    await expect(run({ assignments: ['bot'] }, ctx)).rejects.toThrow('nothing to set for "bot"');
    await expect(run({ assignments: ['bot', 'autoscale..max=2'] }, ctx)).rejects.toThrow('cannot read the path "autoscale..max"');
    await expect(run({ assignments: ['bot', 'replicas.count=2'] }, ctx)).rejects.toThrow('cannot set services.bot.replicas.count: services.bot.replicas is not a mapping');
  });

  it('--dry-run prints the diff and writes nothing; --json reports the changes', async () => {
    const { dir, file, original } = copy();
    const dry = captureContext(dir);
    expect(await run({ assignments: ['bot', 'replicas=3'], dryRun: true }, dry.ctx)).toBe(0);
    expect(dry.stdout()).toBe('@@ scaling.yaml:36\n-    replicas: 1       # long polling: exactly one\n+    replicas: 3       # long polling: exactly one\n');
    expect(readFileSync(file, 'utf8')).toBe(original);
    const json = captureContext(dir, { json: true });
    expect(await run({ assignments: ['bot', 'replicas=2'] }, json.ctx)).toBe(0);
    expect(JSON.parse(json.stdout())).toEqual({ file, written: true, changes: [{ path: 'bot.replicas', before: 1, after: 2 }] });
  });
});

describe('scalectl set, repeated paths', () => {
  it('applies assignments in order: the last one wins', async () => {
    const { dir, file } = copy();
    const { ctx } = captureContext(dir);
    expect(await run({ assignments: ['bot', 'replicas=5', 'replicas=4'] }, ctx)).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('    replicas: 4       # long polling: exactly one\n');
  });

  it('switches a service from a fixed count to autoscaling in one command', async () => {
    const { dir, file } = copy();
    const { ctx } = captureContext(dir);
    expect(await run({ assignments: ['bot', 'replicas=', 'autoscale.min=1', 'autoscale.max=3', 'autoscale.metrics[concurrency].target=10'] }, ctx)).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('  bot:\n    autoscale:\n      min: 1\n      max: 3\n      metrics:\n        - { type: concurrency, target: 10 }\n');
  });
});

describe('scalectl set, first-run rough edges', () => {
  it('a misspelt key is shown at the service\'s key in the file on disk, with the right name', async () => {
    const { dir, file, original } = copy();
    const { ctx, stderr } = captureContext(dir);
    expect(await run({ assignments: ['web', 'autoscale.maxx=3'] }, ctx)).toBe(1);
    // line 16 is `    autoscale:` under `  web:`; the edit's own line never existed on disk
    expect(stderr()).toBe('scaling.yaml:16:5: error: unknown key "maxx" in services.web.autoscale\n  did you mean "max"?\nscaling.yaml was not changed: the new value would make it invalid (see above).\n');
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('writes lists as [Mon, Fri] and mappings as { … }, quoting what flow syntax needs', async () => {
    const { dir, file } = copy();
    const { ctx } = captureContext(dir);
    expect(await run({ assignments: ['web', 'autoscale.schedules[business-hours].recurring.days=[Mon, Fri]', 'autoscale.metrics[rps].target=150'] }, ctx)).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('recurring: { days: [Mon, Fri], start: "08:00", end: "20:00" }');
    expect(text).toContain('- { type: rps, target: 150 }');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  bot:\n', '  bot:\n    x-notes: { owner: web-team }\n'));
    expect(await run({ assignments: ['bot', 'x-notes.tags=["a, b", c]', 'x-notes.links={ docs: x }'] }, ctx)).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('    x-notes: { owner: web-team, tags: ["a, b", c], links: { docs: x } }\n');
  });
});
