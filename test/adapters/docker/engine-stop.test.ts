// The engine dies (SIGKILL to its PID) in the middle of a scale-out: apply fails with an
// AdapterError whose `done` names exactly the replicas that exist, and re-running apply converges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter } from '../../../adapters/contract.js';
import { AdapterError } from '../../../src/errors.js';
import { dockerReady, sh, TEST_IMAGE } from '../../support/docker.js';
import { converge, dockerAdapter, readTarget } from './helpers.js';
import { type SecondEngine, startSecondEngine } from './second-engine.js';

const ready = await dockerReady('Docker engine-stop test');
// Replicas that exit on SIGTERM, so the engine's own shutdown is quick and leaves nothing running.
// The service's extensions as the CLI passes them: `x-docker: {…}` keyed as `docker`.
const xDocker = { docker: { image: TEST_IMAGE, command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'] } };
const WANTED = 60;

describe.skipIf(!ready)('docker adapter: engine stopped mid-apply', () => {
  let engine: SecondEngine;
  let adapter: Adapter;

  beforeAll(async () => {
    engine = await startSecondEngine();
    adapter = await dockerAdapter({ host: engine.host, timeout: '20s' });
  }, 90_000);

  afterAll(async () => {
    await engine?.dispose();
  }, 90_000);

  async function existing(): Promise<string[]> {
    const out = await sh('docker', ['-H', engine.host, 'ps', '-a', '--filter', 'label=io.scalectl.replica-of=scs', '--format', '{{.Names}}']);
    return out.split('\n').filter(Boolean).sort();
  }

  it('reports exactly which replicas were created, then converges on a re-run', async () => {
    let stopping: Promise<void> | undefined;
    const error = await converge(adapter, 'container/scs', { replicas: WANTED }, {
      extensions: xDocker,
      progress: (line) => {
        if (line.startsWith('created') && !stopping) stopping = engine.crash();
      },
    }).catch((e: unknown) => e);
    await stopping;

    expect(AdapterError.isAdapterError(error)).toBe(true);
    const failure = error as AdapterError;
    // Depending on the moment, the engine refuses the connection or answers that it is shutting down.
    expect(failure.message).toMatch(/^container\/scs: (cannot reach the Docker Engine at unix:\/\/\/tmp\/scd-|could not (create|start) scs-)/);
    expect(failure.message).toMatch(/\n {2}done: created scs-1\b/);
    expect(failure.message).toContain('Re-run apply to converge.');
    expect(failure.retryable).toBe(true);
    const reported = failure.done.map((line) => /^created (\S+)/.exec(line)?.[1]);
    expect(reported.every(Boolean)).toBe(true);
    const unknown = /outcome unknown[^:]*: ([^;]+)/.exec(failure.message)?.[1].split(', ') ?? [];

    await engine.start();
    const made = await existing();
    // Every reported replica exists; every existing one was reported (or flagged as unknown).
    expect(made.filter((name) => !reported.includes(name) && !unknown.includes(name))).toEqual([]);
    expect(reported.filter((name) => !made.includes(name!))).toEqual([]);
    expect(made.length).toBeGreaterThan(0);
    expect(made.length).toBeLessThan(WANTED);
    expect(failure.message).toMatch(/(failed|not attempted): scs-/);

    const rerun = await converge(adapter, 'container/scs', { replicas: WANTED }, { extensions: xDocker });
    expect(rerun.observed.spec.replicas).toBe(0); // the engine restart stopped the survivors
    expect(rerun.done.filter((line) => line.startsWith('started'))).toHaveLength(made.length);
    expect((await readTarget(adapter, 'container/scs', {}, xDocker)).spec.replicas).toBe(WANTED);
    expect(await existing()).toHaveLength(WANTED);

    await converge(adapter, 'container/scs', { replicas: 0 }, { extensions: xDocker });
    expect(await existing()).toEqual([]);
  }, 180_000);
});
