// `scalectl apply` records every count it moves in the event log (the built CLI, mock cloud): a
// service created at its min, a raised min, a fixed count changed — each once, actor apply.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scalectl } from '../support/cli.js';
import { queueWorkerYaml } from '../support/scaling.js';

describe('scalectl apply → scalectl events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-apply-events-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) => scalectl(args, { cwd: dir });
  const events = async () => (JSON.parse((await cli('events', '--json')).stdout) as { events: { service: string; from: number; to: number; actor: string; rule: string; reason: string }[] }).events.map((e) => `${e.service} ${e.from}→${e.to} ${e.actor} ${e.rule}: ${e.reason}`);

  it('records a service created at min, a raised min and a changed fixed count', async () => {
    writeFileSync(join(dir, 'scaling.yaml'), queueWorkerYaml({ source: '{ kind: command, command: "echo 0" }', more: '  web:\n    target: web\n    replicas: 2\n' }).replace('min: 1', 'min: 3'));
    expect((await cli('apply', '--yes', '-q')).exitCode).toBe(0);
    expect(await events()).toEqual(['worker 0→3 apply bounds: created 0 → 3', 'web 0→2 apply replicas: scaling.yaml:18']);

    expect((await cli('set', 'worker', 'autoscale.min=4')).exitCode).toBe(0);
    expect((await cli('set', 'web', 'replicas=3')).exitCode).toBe(0);
    expect((await cli('apply', '--yes', '-q')).exitCode).toBe(0);
    const after = await events();
    expect(after).toHaveLength(4);
    expect(after[2]).toBe('worker 3→4 apply bounds: autoscale.min changed: 3 → 4');
    expect(after[3]).toMatch(/^web 2→3 apply replicas: /);
    // nothing moved: nothing recorded
    expect((await cli('apply', '--yes', '-q')).exitCode).toBe(0);
    expect(await events()).toHaveLength(4);
  }, 60_000);
});
