// scalectl autoscale on the mock cloud, as a user runs it (the built CLI), from a real Redis list:
// --once scales out and in, a restart keeps the engine's memory, missing data holds the count and
// exits 1 naming the source, every change is an event, SIGTERM stops the loop cleanly.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scalectl } from '../support/cli.js';
import { queueWorkerYaml } from '../support/scaling.js';
import { freePort, redis, startRedis, type RunningServer } from '../support/servers.js';

const yaml = () =>
  queueWorkerYaml({ source: '{ kind: redis, connection: "env:QUEUE_ADDR", list: jobs }', scaleUp: '{ pods: 2, period: 30m }', more: '  web:\n    target: web\n    replicas: 2\n' });

describe('scalectl autoscale on the mock cloud (real redis-server)', () => {
  let server: RunningServer & { address: string };
  let dir: string;
  let env: Record<string, string>;
  const cli = (...args: string[]) => scalectl(args, { cwd: dir, env });
  const depth = async (n: number) => {
    await redis(server.port, ['DEL', 'jobs']);
    if (n > 0) await redis(server.port, ['RPUSH', 'jobs', ...Array.from({ length: n }, (_, i) => `j${i}`)]);
  };

  beforeAll(async () => {
    server = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'scalectl-autoscale-'));
    env = { QUEUE_ADDR: server.address };
    writeFileSync(join(dir, 'scaling.yaml'), yaml());
    expect((await cli('apply', '--yes', '-q')).exitCode).toBe(0);
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('--once scales out within the rate policy, and a restart remembers the pods already added', async () => {
    await depth(95);
    const first = await cli('autoscale', '--once');
    expect(first.exitCode).toBe(0);
    // Wants 10, the policy allows 2 pods per 30m: 1 → 3.
    expect(first.stdout).toBe('worker: 1 → 3  rate policy: queue 10 → max 10; rate policy 10→3');
    // A new process: the 30m period still holds the 2 pods added, so no more now.
    const second = await cli('autoscale', '--once');
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toBe('worker: holds 3  queue 10 → max 10; rate policy 10→3');
    const state = JSON.parse(readFileSync(join(dir, '.scalectl/autoscale-state.json'), 'utf8'));
    expect(state.services.worker.engine.scaleEvents).toHaveLength(1);
    expect(state.services.worker.engine.scaleEvents[0][1]).toBe(2);
    // The mock cloud holds the count the loop set.
    const show = JSON.parse((await cli('show', 'worker', '--json')).stdout);
    expect(JSON.stringify(show)).toContain('"desired":3');
  }, 60_000);

  it('scales in when the list drains; --dry-run decides without changing anything', async () => {
    await depth(8);
    const dry = await cli('autoscale', '--once', '--dry-run');
    expect(dry.stdout).toBe('worker: 3 → 1 (dry run: not applied)  combine max: queue 1 → max 1');
    const down = await cli('autoscale', '--once');
    expect(down.stdout).toBe('worker: 3 → 1  combine max: queue 1 → max 1');
  }, 60_000);

  it('missing data holds the count, names the source and why, and --once exits 1', async () => {
    const port = await freePort();
    const result = await scalectl(['autoscale', '--once'], { cwd: dir, env: { QUEUE_ADDR: `127.0.0.1:${port}` } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('worker: holds 1  queue n/a → max 1; metrics missing 1→1');
    expect(result.stderr).toContain(`warning: worker: holds 1 — queue: redis list jobs at 127.0.0.1:${port}: connection refused`);
    const unset = await scalectl(['autoscale', '--once', 'worker'], { cwd: dir, env: {} });
    expect(unset.exitCode).toBe(1);
    expect(unset.stderr).toContain('worker: holds 1 — queue: redis source addressFromEnv: the environment variable QUEUE_ADDR is not set');
    // plan --explain says why a metric was not read
    const explain = await scalectl(['plan', 'worker', '--explain'], { cwd: dir, env: { QUEUE_ADDR: `127.0.0.1:${port}` } });
    expect(explain.stdout).toContain(`  queue not read: redis list jobs at 127.0.0.1:${port}: connection refused`);
  }, 60_000);

  it('events lists each change with the values, the rule and who acted; --json and --since filter', async () => {
    const human = await cli('events');
    const lines = human.stdout.split('\n');
    expect(lines).toHaveLength(4);
    // The first apply created worker at its min and web with 2 replicas: apply's count changes are events too.
    expect(lines.shift()).toMatch(/^\S+Z {2}worker {2}0 → 1 {2}apply {2}bounds {2}created 0 → 1$/);
    expect(lines.shift()).toMatch(/^\S+Z {2}web {2}0 → 2 {2}apply {2}replicas {2}scaling\.yaml:\d+$/);
    expect(lines[0]).toMatch(/^\S+Z {2}worker {2}1 → 3 {2}autoscale {2}rate policy {2}queue=95 {2}queue 10 → max 10; rate policy 10→3$/);
    expect(lines[1]).toMatch(/^\S+Z {2}worker {2}3 → 1 {2}autoscale {2}combine max {2}queue=8 {2}queue 1 → max 1$/);
    const json = JSON.parse((await cli('events', 'worker', '--json')).stdout);
    expect(json.events.map((e: { from: number; to: number; actor: string }) => [e.from, e.to, e.actor])).toEqual([[0, 1, 'apply'], [1, 3, 'autoscale'], [3, 1, 'autoscale']]);
    expect(json.events[1].metrics).toEqual([{ metric: 'queue', value: 95, source: `redis list jobs at ${server.address}`, recommended: 10 }]);
    expect(JSON.parse((await cli('events', '--since', '2000-01-01', '--json')).stdout).events).toHaveLength(4);
    expect((await cli('events', 'web', '--since', '1s')).stderr).toBe('no count changes recorded since 1s for web');
    const bad = await cli('events', '--since', 'yesterday');
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('--since takes a duration back from now ("1h", "30m", "2d") or an ISO time');
  }, 60_000);

  it('the loop runs each interval, and SIGTERM finishes and saves before exiting 143', async () => {
    await depth(25);
    const child = cli('autoscale');
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk) => {
        out += chunk;
        if (out.includes('worker: 1 → 3')) resolve();
      });
      child.catch(reject);
    });
    child.kill('SIGTERM');
    const result = await child;
    // 143: terminated by SIGTERM, the CLI's documented exit code (130 after Ctrl-C).
    expect(result.exitCode).toBe(143);
    expect(result.stderr).toContain('scalectl autoscale: worker every 1s; memory in');
    expect(result.stderr).toContain('scalectl autoscale stopped; the windows are saved');
    const state = JSON.parse(readFileSync(join(dir, '.scalectl/autoscale-state.json'), 'utf8'));
    expect(state.services.worker.count).toBe(3);
  }, 60_000);

  it('plan --explain explains the live count from the live metrics', async () => {
    await depth(55);
    const plan = await cli('plan', 'worker', '--explain');
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout).toContain('  metric queue: 55 observed, queue length per instance 10 → wants 6');
    expect(plan.stdout).toContain(`  queue read from redis list jobs at ${server.address}`);
    const json = JSON.parse((await cli('plan', 'worker', '--explain', '--json')).stdout);
    expect(json.explanations[0].loadMeasured).toBe(true);
    expect(json.explanations[0].sources).toEqual([{ metric: 'queue', value: 55, source: `redis list jobs at ${server.address}` }]);
  }, 30_000);
});
