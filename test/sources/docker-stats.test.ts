// Docker Engine stats on the real engine: cpu and memory utilisation of each running replica
// relative to its own limits, averaged as the HPA does, as the total the engine takes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, resolveAddress } from '../../adapters/docker/client.js';
import { dockerStatsSource } from '../../adapters/sources/docker-stats.js';
import { dockerReady, removeLabelled, sh, TEST_IMAGE, TEST_LABEL } from '../support/docker.js';
import { failure } from './helpers.js';

const ready = await dockerReady('Docker stats source');
const LABEL = `${TEST_LABEL}=stats`;
const GROUP = 'scalectl-stats-worker';

describe.skipIf(!ready)('docker stats source (real engine)', () => {
  beforeAll(async () => {
    await removeLabelled(LABEL);
    // Two replicas burning their 0.2-CPU limit, 64 MiB memory limit each; one more without limits.
    for (const n of [1, 2]) {
      await sh('docker', ['run', '-d', '--name', `${GROUP}-${n}`, '--label', LABEL, '--label', `io.scalectl.replica-of=${GROUP}`, '--label', `io.scalectl.number=${n}`,
        '--network', 'none', '--cpus', '0.2', '--memory', '64m', TEST_IMAGE, 'sh', '-c', 'while :; do :; done']);
    }
    await sh('docker', ['run', '-d', '--name', `${GROUP}-free-1`, '--label', LABEL, '--label', `io.scalectl.replica-of=${GROUP}-free`, '--network', 'none', TEST_IMAGE, 'sleep', '3600']);
  }, 60_000);
  afterAll(async () => removeLabelled(LABEL), 60_000);

  it('cpu: each replica near its limit, summed over the replicas (HPA average × count)', async () => {
    const docker = await connect(resolveAddress(undefined, process.env), 30_000);
    const cpu = dockerStatsSource(docker, `container/${GROUP}`, { kind: 'container', name: GROUP }, 'cpu');
    expect(cpu.describe).toBe(`docker stats (cpu) of container/${GROUP}`);
    const total = await cpu.read();
    // Two busy replicas capped at their limit: between one replica's worth and two (plus sampling noise).
    expect(total).toBeGreaterThan(60);
    expect(total).toBeLessThan(230);
    const memory = await dockerStatsSource(docker, `container/${GROUP}`, { kind: 'container', name: GROUP }, 'memory').read();
    // A shell loop uses a sliver of 64 MiB.
    expect(memory).toBeGreaterThan(0);
    expect(memory).toBeLessThan(50);
  }, 60_000);

  it('a replica without limits has no base for utilisation; no replica at all is missing data', async () => {
    const docker = await connect(resolveAddress(undefined, process.env), 30_000);
    expect(await failure(dockerStatsSource(docker, `container/${GROUP}-free`, { kind: 'container', name: `${GROUP}-free` }, 'cpu'))).toBe(
      `SourceError: docker stats (cpu) of container/${GROUP}-free: ${GROUP}-free-1 has no CPU limit (set resources.cpu so utilisation has a base)`,
    );
    expect(await failure(dockerStatsSource(docker, 'container/nothing-here', { kind: 'container', name: 'nothing-here' }, 'memory'))).toBe(
      'SourceError: docker stats (memory) of container/nothing-here: no running replica to measure',
    );
  }, 60_000);
});
