// Regression tests for defects a review found in container-backed replicas, on a real engine:
// a stop grace longer than the HTTP timeout (2), Ctrl-C before scale-in and updates (3),
// limits the file does not mention (4), limits in the fingerprint (5), CPU-quota containers (9).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../../src/errors.js';
import { dockerReady, removeLabelled, sh, TEST_IMAGE, TEST_LABEL } from '../../support/docker.js';
import { converge, dockerAdapter, readTarget } from './helpers.js';

const ready = await dockerReady('Docker managed-container regression tests');
const LABEL = `${TEST_LABEL}=managed-fixes`;
// busybox `sleep` as PID 1 ignores SIGTERM: every stop lasts the whole grace.
const xDocker = { docker: { image: TEST_IMAGE, command: ['sleep', '3600'], labels: { [TEST_LABEL]: 'managed-fixes' } } };

async function names(group: string): Promise<string[]> {
  const out = await sh('docker', ['ps', '-a', '--filter', `label=io.scalectl.replica-of=${group}`, '--format', '{{.Names}} {{.State}}']);
  return out.split('\n').filter(Boolean).sort();
}

async function inspect(format: string, name: string): Promise<string> {
  return (await sh('docker', ['inspect', '-f', format, name])).trim();
}

describe.skipIf(!ready)('docker adapter: managed-container regressions', () => {
  beforeAll(async () => {
    await removeLabelled(LABEL);
  }, 60_000);

  afterAll(async () => {
    await removeLabelled(LABEL);
  }, 60_000);

  it('(2) a stop grace longer than the HTTP timeout still scales in', async () => {
    // created with the default timeout (a loaded engine can take over a second to create one);
    // removed by an adapter whose HTTP timeout is shorter than the stop grace
    await converge(await dockerAdapter(), 'container/scfx2', { replicas: 2 }, { extensions: xDocker });
    const adapter = await dockerAdapter({ stopGrace: '4s', timeout: '2s' });
    const down = await converge(adapter, 'container/scfx2', { replicas: 1 }, { extensions: xDocker });
    expect(down.done).toEqual(['removed scfx2-2']);
    expect(await names('scfx2')).toEqual(['scfx2-1 running']);
  }, 60_000);

  it('(3) an aborted signal stops before scale-in and before resource updates, with done listing nothing', async () => {
    const adapter = await dockerAdapter();
    await converge(adapter, 'container/scfx3', { replicas: 2 }, { extensions: xDocker });
    const aborted = new AbortController();
    aborted.abort();
    const scaleIn = await converge(adapter, 'container/scfx3', { replicas: 0 }, { extensions: xDocker, signal: aborted.signal }).catch((e: unknown) => e);
    expect(AdapterError.isAdapterError(scaleIn)).toBe(true);
    expect((scaleIn as AdapterError).message).toBe('container/scfx3: interrupted; done: none; not attempted: scfx3-2, scfx3-1. Re-run apply to converge.');
    expect((scaleIn as AdapterError).done).toEqual([]);
    const update = await converge(adapter, 'container/scfx3', { replicas: 2, resources: { memory: '32Mi' } }, { extensions: xDocker, signal: aborted.signal }).catch(
      (e: unknown) => e,
    );
    expect((update as AdapterError).message).toBe(
      'container/scfx3: interrupted; done: none; not attempted: update scfx3-1, update scfx3-2. Re-run apply to converge.',
    );
    expect(await names('scfx3')).toEqual(['scfx3-1 running', 'scfx3-2 running']);
    expect(await inspect('{{.HostConfig.Memory}}', 'scfx3-1')).toBe('0');
  }, 60_000);

  it('(4, 5) limits the file does not mention are not read as removed, and limits are in the fingerprint', async () => {
    const adapter = await dockerAdapter();
    await converge(adapter, 'container/scfx4', { replicas: 1 }, { extensions: xDocker });
    const before = await readTarget(adapter, 'container/scfx4', { replicas: 1 }, xDocker);
    await sh('docker', ['update', '--memory', '32m', '--memory-swap', '-1', '--cpus', '0.25', 'scfx4-1']);
    const after = await readTarget(adapter, 'container/scfx4', { replicas: 1 }, xDocker);
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(after.spec).toEqual({ replicas: 1 });
    // Naming one field reads that one only; apply converges and leaves the other alone.
    expect((await readTarget(adapter, 'container/scfx4', { replicas: 1, resources: { cpu: '0.5' } }, xDocker)).spec).toEqual({
      replicas: 1,
      resources: { cpu: '250m' },
    });
    expect((await converge(adapter, 'container/scfx4', { replicas: 1, resources: { cpu: '0.5' } }, { extensions: xDocker })).done).toEqual([
      'updated scfx4-1 (cpu)',
    ]);
    expect((await converge(adapter, 'container/scfx4', { replicas: 1, resources: { cpu: '0.5' } }, { extensions: xDocker })).done).toEqual([]);
    expect(await inspect('{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}}', 'scfx4-1')).toBe('500000000 33554432');
  }, 60_000);

  it('(9) updates the cpu of a container limited by a CPU quota', async () => {
    const adapter = await dockerAdapter();
    await sh('docker', ['create', '--name', 'scfx9', '--network', 'none', '--cpu-quota', '50000', '--label', LABEL, TEST_IMAGE, 'sleep', '3600']);
    // No x-docker: copies of the container named like the target.
    expect((await converge(adapter, 'container/scfx9', { replicas: 1 })).done).toEqual(['created scfx9-1']);
    expect(await inspect('{{.HostConfig.CpuQuota}}', 'scfx9-1')).toBe('50000');
    expect((await converge(adapter, 'container/scfx9', { replicas: 1, resources: { cpu: '1' } })).done).toEqual(['updated scfx9-1 (cpu)']);
    expect(await inspect('{{.HostConfig.CpuQuota}} {{.HostConfig.CpuPeriod}} {{.HostConfig.NanoCpus}}', 'scfx9-1')).toBe('100000 100000 0');
    expect((await readTarget(adapter, 'container/scfx9', { resources: { cpu: '1' } })).spec.resources).toEqual({ cpu: '1' });
  }, 60_000);
});
