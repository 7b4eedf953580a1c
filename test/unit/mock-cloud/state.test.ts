import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { acquireLock, type Holder } from '../../../adapters/mock-cloud/lock.js';
import { readState, updateState, writeStateAtomic, type MockState } from '../../../adapters/mock-cloud/state.js';
import { parseFaults } from '../../../adapters/mock-cloud/faults.js';

const run = promisify(execFile);
const fresh = () => join(mkdtempSync(join(tmpdir(), 'scalectl-state-')), 'mock-cloud.json');

describe('mock cloud state', () => {
  it('reads a missing file as an empty cloud', () => {
    expect(readState(fresh())).toEqual({ formatVersion: 1, revision: 0, providers: {} });
  });

  it('writes atomically: no temporary files left, and the result is whole JSON', () => {
    const file = fresh();
    const state: MockState = { formatVersion: 1, revision: 3, providers: { sim: {} } };
    writeStateAtomic(file, state);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(state);
    expect(readdirSync(join(file, '..'))).toEqual(['mock-cloud.json']);
  });

  it('refuses a file that is not a state file', () => {
    const file = fresh();
    writeFileSync(file, '{"formatVersion": 9}');
    expect(() => readState(file)).toThrow(/is not a mock cloud state file/);
  });

  it('serialises concurrent updates in one process without losing one', async () => {
    const file = fresh();
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        updateState(file, (state) => {
          const services = (state.providers.sim ??= {});
          services[`s${i}`] = { spec: { replicas: i }, count: i, revision: 1, createdAt: '', updatedAt: '' };
        }),
      ),
    );
    const state = readState(file);
    expect(state.revision).toBe(25);
    expect(Object.keys(state.providers.sim)).toHaveLength(25);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('serialises updates from 20 processes: a counter incremented by each ends at 20', async () => {
    const file = fresh();
    // The children run the real module, compiled once with esbuild (Node 20 cannot import .ts).
    const compiled = join(file, '..', 'state.mjs');
    await build({ entryPoints: [new URL('../../../adapters/mock-cloud/state.ts', import.meta.url).pathname], bundle: true, format: 'esm', platform: 'node', outfile: compiled, logLevel: 'silent' });
    const script = `
      const { updateState } = await import(${JSON.stringify(compiled)});
      await updateState(${JSON.stringify(file)}, (s) => {
        const sim = (s.providers.sim ??= {});
        const c = sim.counter ?? { spec: {}, count: 0, revision: 0, createdAt: '', updatedAt: '' };
        c.count += 1; sim.counter = c;
      });`;
    await Promise.all(Array.from({ length: 20 }, () => run(process.execPath, ['--input-type=module', '-e', script])));
    const state = readState(file);
    expect(state.providers.sim.counter.count).toBe(20);
    expect(state.revision).toBe(20);
  });

  it('breaks the lock of a dead owner (the old pid-file lock too)', async () => {
    const file = fresh();
    const dead = await deadPid();
    mkdirSync(`${file}.lock`);
    writeFileSync(`${file}.lock/owner-${dead}.1.abc`, '2026-01-01T00:00:00.000Z');
    await updateState(file, (state) => void (state.providers.sim = {}));
    expect(readState(file).providers).toEqual({ sim: {} });
    expect(existsSync(`${file}.lock`)).toBe(false);
    const legacy = fresh();
    writeFileSync(`${legacy}.lock`, String(dead));
    await updateState(legacy, (state) => void (state.providers.sim = {}));
    expect(readState(legacy).providers).toEqual({ sim: {} });
  });

  it('loses no update while holders die holding the lock and dead-PID locks are planted', async () => {
    const file = fresh();
    const compiled = join(file, '..', 'state.mjs');
    await build({ entryPoints: [new URL('../../../adapters/mock-cloud/state.ts', import.meta.url).pathname], bundle: true, format: 'esm', platform: 'node', outfile: compiled, logLevel: 'silent' });
    // A stale lock from a process that is gone, before anyone starts.
    mkdirSync(`${file}.lock`);
    writeFileSync(`${file}.lock/owner-${await deadPid()}.1.planted`, '');
    const increments = 25;
    const incrementer = `
      const { updateState } = await import(${JSON.stringify(compiled)});
      for (let i = 0; i < ${increments}; i++) {
        await updateState(${JSON.stringify(file)}, (s) => {
          const sim = (s.providers.sim ??= {});
          const c = sim.counter ?? { spec: {}, count: 0, revision: 0, createdAt: '', updatedAt: '' };
          c.count += 1; sim.counter = c;
        });
      }`;
    // Each of these takes the lock and is killed holding it: a real dead-PID lock, mid-run.
    const dier = `
      const { updateState } = await import(${JSON.stringify(compiled)});
      await updateState(${JSON.stringify(file)}, () => process.kill(process.pid, 'SIGKILL'));`;
    const runs = [
      ...Array.from({ length: 12 }, () => run(process.execPath, ['--input-type=module', '-e', incrementer])),
      ...Array.from({ length: 8 }, () => run(process.execPath, ['--input-type=module', '-e', dier]).catch((error: { signal?: string }) => error.signal)),
    ];
    const outcomes = await Promise.all(runs);
    expect(outcomes.slice(12)).toEqual(Array(8).fill('SIGKILL'));
    const state = readState(file);
    expect(state.providers.sim.counter.count).toBe(12 * increments);
    expect(state.revision).toBe(12 * increments);
    expect(readdirSync(join(file, '..')).filter((n) => n.includes('.new-') || n.endsWith('.tmp'))).toEqual([]);
  });

  it('waits for a live holder and never breaks its lock', async () => {
    const file = fresh();
    const release = await acquireLock(`${file}.lock`);
    const waits: Holder[] = [];
    let done = false;
    const update = updateState(file, (state) => void (state.providers.sim = {}), undefined, (holder) => waits.push(holder)).then(() => (done = true));
    while (waits.length === 0) await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(false);
    expect(waits).toHaveLength(1);
    expect(waits[0].pid).toBe(process.pid);
    expect(waits[0].since).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    release();
    await update;
    expect(readState(file).providers).toEqual({ sim: {} });
  });
});

// The pid of a process that has exited (not reused while the test runs: pids cycle slowly).
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('fault injection', () => {
  it('parses the variable and is repeatable with a seed', () => {
    const a = parseFaults('error=0.5,latency=200ms,fail=admin|api,seed=7');
    const b = parseFaults('error=0.5,seed=7');
    expect(a.errorRate).toBe(0.5);
    expect(a.latencyMs).toBe(200);
    expect([...a.failTargets]).toEqual(['admin', 'api']);
    expect([a.random(), a.random()]).toEqual([b.random(), b.random()]);
  });

  it('names what it cannot read', () => {
    expect(() => parseFaults('error=2')).toThrow('SCALECTL_MOCK_FAULTS: cannot read "error=2" (expected error=0..1, latency=200ms, fail=name|name, seed=N)');
  });
});
