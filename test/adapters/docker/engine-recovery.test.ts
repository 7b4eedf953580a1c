// After the Docker Engine dies mid-apply and comes back, re-running apply must converge. The
// shared engine is not killed here: the test builds the state a death leaves — a managed replica
// created but never started, which the engine now refuses to start (after a real restart:
// "task … already exists"; here: its network is gone) — and checks that apply repairs it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerReady, removeLabelled, sh, TEST_IMAGE, TEST_LABEL } from '../../support/docker.js';
import { converge, dockerAdapter } from './helpers.js';

const ready = await dockerReady('Docker engine-recovery tests');
const LABEL = `${TEST_LABEL}=engine-recovery`;
const NETWORK = `scalectl-test-recovery-${process.pid}`;
const xDocker = { docker: { image: TEST_IMAGE, command: ['sleep', '3600'], labels: { [TEST_LABEL]: 'engine-recovery' } } };

async function states(group: string): Promise<string[]> {
  const out = await sh('docker', ['ps', '-a', '--filter', `label=io.scalectl.replica-of=${group}`, '--format', '{{.Names}} {{.State}}']);
  return out.split('\n').filter(Boolean).sort();
}

// A replica left in "created" that the engine will not start any more.
async function plantUnstartable(group: string, number: number): Promise<void> {
  await sh('docker', ['network', 'create', NETWORK]);
  await sh('docker', ['create', '--name', `${group}-${number}`, '--network', NETWORK, '--label', LABEL, '--label', `io.scalectl.replica-of=${group}`, '--label', `io.scalectl.number=${number}`, TEST_IMAGE, 'sleep', '3600']);
  await sh('docker', ['network', 'rm', NETWORK]);
}

describe.skipIf(!ready)('docker adapter: recovering from an engine that died mid-apply', () => {
  beforeAll(async () => {
    await removeLabelled(LABEL);
  }, 60_000);
  afterAll(async () => {
    await removeLabelled(LABEL);
    await sh('docker', ['network', 'rm', NETWORK]).catch(() => undefined);
  }, 60_000);

  it('a managed replica that will not start is removed and created again, and a second apply has nothing to do', async () => {
    const adapter = await dockerAdapter();
    await converge(adapter, 'container/screc', { replicas: 2 }, { extensions: xDocker });
    await plantUnstartable('screc', 3);
    await expect(sh('docker', ['start', 'screc-3'])).rejects.toThrow(/network .* not found/);
    const repaired = await converge(adapter, 'container/screc', { replicas: 3 }, { extensions: xDocker });
    expect(repaired.done).toHaveLength(1);
    expect(repaired.done[0]).toMatch(/^recreated screc-3 \(it would not start: .*network .* not found.*\)$/);
    expect(await states('screc')).toEqual(['screc-1 running', 'screc-2 running', 'screc-3 running']);
    expect(await sh('docker', ['inspect', '-f', '{{.HostConfig.NetworkMode}}', 'screc-3'])).toBe('none\n');
    const again = await converge(adapter, 'container/screc', { replicas: 3 }, { extensions: xDocker });
    expect(again.done).toEqual([]);
  }, 90_000);
});
