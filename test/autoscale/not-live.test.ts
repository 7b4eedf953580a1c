// A metric no source can measure live (concurrency on the mock cloud: no requests reach it) holds
// the count within its bounds and is said once; it is not a failed read, so `autoscale --once`
// still exits 0 — a project straight from `scalectl init --yes` included. A failed read still exits 1.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scalectl } from '../support/cli.js';

describe('scalectl autoscale: metrics not measured live', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalectl-not-live-'));
    dirs.push(dir);
    return dir;
  };

  it('a project from init --yes: autoscale --once holds the count, says why once, exits 0', async () => {
    const dir = folder();
    expect((await scalectl(['init', '--yes', '--service', 'web', '--no-check'], { cwd: dir })).exitCode).toBe(0);
    expect((await scalectl(['apply', '--yes', '-q'], { cwd: dir })).exitCode).toBe(0);
    const once = await scalectl(['autoscale', '--once'], { cwd: dir });
    expect(once.exitCode).toBe(0);
    expect(once.stdout).toMatch(/^web: holds 1 /);
    expect(once.stderr).toContain('web: concurrency: no requests reach the mock cloud, so concurrency is not measured live');
    expect(once.stderr).not.toContain('warning');
    const json = JSON.parse((await scalectl(['autoscale', '--once', '--json'], { cwd: dir })).stdout);
    expect(json.evaluations[0]).toMatchObject({ service: 'web', missing: [], notLive: [expect.stringMatching(/^concurrency: no requests reach the mock cloud/)] });
  }, 60_000);

  it('a source that fails to answer is still a failed read (exit 1) next to one not measured live', async () => {
    const dir = folder();
    writeFileSync(
      join(dir, 'scaling.yaml'),
      'version: 1\nservices:\n  worker:\n    autoscale:\n      min: 1\n      max: 5\n      metrics:\n        - { type: concurrency, target: 10 }\n        - type: queue\n          perInstance: 10\n          source: { kind: command, command: "exit 3" }\n',
    );
    expect((await scalectl(['apply', '--yes', '-q'], { cwd: dir })).exitCode).toBe(0);
    const once = await scalectl(['autoscale', '--once'], { cwd: dir });
    expect(once.exitCode).toBe(1);
    expect(once.stderr).toContain('warning: worker: holds 1 — queue: command "exit 3" exited with 3');
    expect(once.stderr).toContain('worker: concurrency: no requests reach the mock cloud');
  }, 60_000);
});
