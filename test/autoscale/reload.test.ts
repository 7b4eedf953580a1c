// The running `scalectl autoscale` follows edits of scaling.yaml (the built CLI on the mock cloud,
// a `command` metric source reading a file): a valid edit is taken between rounds, an invalid one is
// reported with its file:line:col and the loop goes on with the version it had.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scalectl } from '../support/cli.js';
import { queueWorkerYaml } from '../support/scaling.js';

const yaml = (perInstance: string) => queueWorkerYaml({ source: '{ kind: command, command: "cat depth.txt" }', perInstance });

describe('scalectl autoscale follows scaling.yaml', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-reload-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes a valid edit between rounds and keeps running on an invalid one', async () => {
    writeFileSync(join(dir, 'scaling.yaml'), yaml('10'));
    writeFileSync(join(dir, 'depth.txt'), '25\n');
    expect((await scalectl(['apply', '--yes', '-q'], { cwd: dir })).exitCode).toBe(0);
    const child = scalectl(['autoscale'], { cwd: dir });
    let out = '';
    let err = '';
    const waiters: { text: () => string; needle: string; resolve: () => void }[] = [];
    const settle = () => {
      for (const waiter of [...waiters]) if (waiter.text().includes(waiter.needle)) (waiters.splice(waiters.indexOf(waiter), 1), waiter.resolve());
    };
    child.stdout!.on('data', (chunk) => ((out += chunk), settle()));
    child.stderr!.on('data', (chunk) => ((err += chunk), settle()));
    const seen = (stream: 'out' | 'err', needle: string) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ text: () => (stream === 'out' ? out : err), needle, resolve });
        settle();
        child.catch(reject);
      });

    await seen('out', 'worker: 1 → 3');
    // 25 jobs at 5 per instance: 5
    writeFileSync(join(dir, 'scaling.yaml'), yaml('5'));
    await seen('err', 'scalectl autoscale reloaded scaling.yaml: worker every 1s');
    await seen('out', 'worker: 3 → 5');
    // an invalid version: reported where it is wrong, and the loop keeps the one it has (5 per instance)
    writeFileSync(join(dir, 'scaling.yaml'), yaml('five'));
    await seen('err', 'changed, but the new version cannot be used; still driving the services as before');
    expect(err).toMatch(/scaling\.yaml:10:24: error: /);
    writeFileSync(join(dir, 'depth.txt'), '45\n');
    await seen('out', '→ 9'); // 45 jobs at 5 per instance (at 10 it would be 5), within the rate policy
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(143);
    expect(err).toContain('scalectl autoscale stopped; the windows are saved');
  }, 90_000);
});
