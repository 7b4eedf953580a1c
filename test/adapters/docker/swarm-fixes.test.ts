// Regression tests for Swarm defects a review found, on a real single-node swarm: an aborted
// signal before the update (3), tasks that never converge (8).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../../src/errors.js';
import { dockerReady, removeLabelled, sh, TEST_IMAGE, TEST_LABEL } from '../../support/docker.js';
import { converge, dockerAdapter, readTarget } from './helpers.js';

const ready = await dockerReady('Docker Swarm regression tests');
const LABEL = `${TEST_LABEL}=swarm-fixes`;

async function createService(name: string, extra: string[]): Promise<void> {
  await sh('docker', [
    'service', 'create', '-d', '--name', name, '--network', 'host', '--label', LABEL, '--container-label', LABEL,
    '--stop-grace-period', '1s', ...extra, TEST_IMAGE, 'sleep', '3600',
  ]);
}

describe.skipIf(!ready)('docker adapter: Swarm regressions', () => {
  beforeAll(async () => {
    await removeLabelled(LABEL);
  }, 60_000);

  afterAll(async () => {
    await removeLabelled(LABEL);
  }, 60_000);

  it('(3) an aborted signal refuses to update the service, with done listing nothing', async () => {
    await createService('scfx-swarm-abort', ['--replicas', '1']);
    const adapter = await dockerAdapter({ convergeTimeout: '20s' });
    const aborted = new AbortController();
    aborted.abort();
    const error = await converge(adapter, 'service/scfx-swarm-abort', { replicas: 3 }, { signal: aborted.signal }).catch((e: unknown) => e);
    expect(AdapterError.isAdapterError(error)).toBe(true);
    expect((error as AdapterError).message).toBe(
      'service/scfx-swarm-abort: interrupted before updating the service; done: none. Re-run apply to converge.',
    );
    expect((error as AdapterError).done).toEqual([]);
    expect((await readTarget(adapter, 'service/scfx-swarm-abort')).spec.replicas).toBe(1);
  }, 60_000);

  it('(8) tasks that never run make apply fail (retryable), naming the counts and the task error', async () => {
    // No node carries this label: every task stays pending with "no suitable node".
    await createService('scfx-swarm-stuck', ['--replicas', '0', '--constraint', 'node.labels.scalectl-nowhere==1']);
    const adapter = await dockerAdapter({ convergeTimeout: '2s' });
    const error = await converge(adapter, 'service/scfx-swarm-stuck', { replicas: 2 }).catch((e: unknown) => e);
    expect(AdapterError.isAdapterError(error)).toBe(true);
    const failure = error as AdapterError;
    expect(failure.retryable).toBe(true);
    expect(failure.done).toEqual(['scaled scfx-swarm-stuck from 0 to 2 replicas']);
    expect(failure.message).toContain('service/scfx-swarm-stuck: the service was updated, but 0 of 2 tasks run after the provider\'s convergeTimeout (2000 ms)');
    expect(failure.message).toMatch(/task errors: no suitable node/);
  }, 60_000);
});
