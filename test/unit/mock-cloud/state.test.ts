import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
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

  it('breaks the lock of a dead owner', async () => {
    const file = fresh();
    writeFileSync(`${file}.lock`, '999999999');
    await updateState(file, (state) => void (state.providers.sim = {}));
    expect(readState(file).providers).toEqual({ sim: {} });
  });
});

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
