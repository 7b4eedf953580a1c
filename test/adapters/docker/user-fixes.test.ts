// Regression tests for defects a user found, on a real engine: managed replicas stopped out of
// band (1) and unchecked x-docker settings (2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planReplicaSteps } from '../../../adapters/docker/converge.js';
import type { Replica } from '../../../adapters/docker/replicas.js';
import { dockerReady, removeLabelled, sh, TEST_IMAGE, TEST_LABEL } from '../../support/docker.js';
import { converge, dockerAdapter, readTarget } from './helpers.js';

const ready = await dockerReady('Docker user-reported regression tests');
const LABEL = `${TEST_LABEL}=user-fixes`;
const NETWORK = 'scuf-net';
const xDocker = { docker: { image: TEST_IMAGE, command: ['sleep', '3600'], labels: { [TEST_LABEL]: 'user-fixes' } } };

async function names(group: string): Promise<string[]> {
  const out = await sh('docker', ['ps', '-a', '--filter', `label=io.scalectl.replica-of=${group}`, '--format', '{{.Names}} {{.State}}']);
  return out.split('\n').filter(Boolean).sort();
}

const replica = (number: number, live = true): Replica => ({ id: `id${number}`, name: `w-${number}`, number, state: live ? 'running' : 'exited', live });

describe('planReplicaSteps for managed containers (stopped ones are replicas)', () => {
  it('scale-in removes stopped replicas first, then the highest numbers; 0 removes all', () => {
    const three = [replica(1), replica(2), replica(3, false)];
    expect(planReplicaSteps(three, 1, false, true)).toMatchObject({ remove: [{ number: 3 }, { number: 2 }], start: [], create: { count: 0 } });
    expect(planReplicaSteps(three, 2, false, true)).toMatchObject({ remove: [{ number: 3 }], start: [], create: { count: 0 } });
    expect(planReplicaSteps([replica(1, false)], 0, false, true).remove.map((r) => r.number)).toEqual([1]);
  });

  it('scale-out starts the stopped replicas before creating new ones', () => {
    expect(planReplicaSteps([replica(1), replica(2, false)], 3, false, true)).toMatchObject({ start: [{ number: 2 }], create: { first: 3, count: 1 }, remove: [] });
    // More stopped than needed: the highest stopped one goes, the others start.
    expect(planReplicaSteps([replica(1), replica(2, false), replica(3, false)], 2, false, true)).toMatchObject({ start: [{ number: 2 }], remove: [{ number: 3 }] });
  });
});

describe.skipIf(!ready)('docker adapter: user-reported regressions', () => {
  beforeAll(async () => {
    await removeLabelled(LABEL);
    await sh('docker', ['network', 'rm', NETWORK]).catch(() => '');
    await sh('docker', ['network', 'create', '--internal', '--label', LABEL, NETWORK]);
  }, 60_000);

  afterAll(async () => {
    await removeLabelled(LABEL);
    await sh('docker', ['network', 'rm', NETWORK]).catch(() => '');
  }, 60_000);

  it('(1) a replica stopped out of band is removed first on scale-in, and a stopped leftover at 0 is not "in sync"', async () => {
    const adapter = await dockerAdapter();
    await converge(adapter, 'container/scuf1', { replicas: 3 }, { extensions: xDocker });
    await sh('docker', ['stop', '-t', '0', 'scuf1-3']);
    const observed = await readTarget(adapter, 'container/scuf1', { replicas: 1 }, xDocker);
    expect(observed.spec.replicas).toBe(3);
    expect(observed.instances).toEqual({ desired: 3, ready: 2 });
    expect(observed.warnings?.[0]).toMatch(/^container\/scuf1: scuf1-3 \(exited\) stopped outside scalectl/);
    const down = await converge(adapter, 'container/scuf1', { replicas: 1 }, { extensions: xDocker });
    expect(down.done.sort()).toEqual(['removed scuf1-2', 'removed scuf1-3']);
    expect(await names('scuf1')).toEqual(['scuf1-1 running']);

    // The user's second step: a replica stopped, then replicas: 0.
    await sh('docker', ['stop', '-t', '0', 'scuf1-1']);
    const leftover = await readTarget(adapter, 'container/scuf1', { replicas: 0 }, xDocker);
    expect(leftover.spec.replicas).toBe(1);
    expect(leftover.instances).toEqual({ desired: 1, ready: 0 });
    const zero = await converge(adapter, 'container/scuf1', { replicas: 0 }, { extensions: xDocker });
    expect(zero.done).toEqual(['removed scuf1-1']);
    expect(await names('scuf1')).toEqual([]);
    expect((await readTarget(adapter, 'container/scuf1', { replicas: 0 }, xDocker)).spec.replicas).toBe(0);
  }, 90_000);

  it('(1) scale-out starts a stopped replica before creating new ones; below the desired count read shows the live count', async () => {
    const adapter = await dockerAdapter();
    await converge(adapter, 'container/scuf2', { replicas: 2 }, { extensions: xDocker });
    await sh('docker', ['stop', '-t', '0', 'scuf2-2']);
    expect((await readTarget(adapter, 'container/scuf2', { replicas: 3 }, xDocker)).spec.replicas).toBe(1);
    const up = await converge(adapter, 'container/scuf2', { replicas: 3 }, { extensions: xDocker });
    expect(up.done).toEqual(['started scuf2-2', 'created scuf2-3']);
    expect(await names('scuf2')).toEqual(['scuf2-1 running', 'scuf2-2 running', 'scuf2-3 running']);
    await converge(adapter, 'container/scuf2', { replicas: 0 }, { extensions: xDocker });
  }, 90_000);

  it('(2) an unknown x-docker key is a read error with a did-you-mean', async () => {
    const adapter = await dockerAdapter();
    const { image, ...rest } = xDocker.docker;
    const observed = await readTarget(adapter, 'container/scuf3', { replicas: 1 }, { docker: { ...rest, imag: image } });
    expect(observed.error).toBe(
      'container/scuf3: x-docker.imag is not a setting: did you mean "image"? (x-docker takes image, command, entrypoint, env, labels, network, from)',
    );
    const wrongType = await readTarget(adapter, 'container/scuf3', { replicas: 1 }, { docker: { ...xDocker.docker, command: 7 } });
    expect(wrongType.error).toBe('container/scuf3: x-docker.command must be a string or a list of strings, e.g. [node, worker.js]; got 7');
  }, 30_000);

  it('(2) x-docker.network takes none, host or an existing user-defined network, and says which', async () => {
    const adapter = await dockerAdapter();
    const withNetwork = (network: unknown) => ({ docker: { ...xDocker.docker, network } });
    const bridge = await readTarget(adapter, 'container/scuf4', { replicas: 1 }, withNetwork('bridge'));
    expect(bridge.error).toMatch(
      /^container\/scuf4: x-docker\.network "bridge" is Docker's default bridge, which scalectl never attaches replicas to; expected none \(the default\), host, or the name of an existing user-defined network \(there are: .*scuf-net.*\)$/,
    );
    const typo = await readTarget(adapter, 'container/scuf4', { replicas: 1 }, withNetwork('scuf-nte'));
    expect(typo.error).toMatch(/^container\/scuf4: x-docker\.network "scuf-nte" is not a network on this engine \(did you mean "scuf-net"\?\); expected none/);
    for (const good of ['none', 'host']) expect((await readTarget(adapter, 'container/scuf4', { replicas: 1 }, withNetwork(good))).error).toBeUndefined();
    const joined = await converge(adapter, 'container/scuf4', { replicas: 1 }, { extensions: withNetwork(NETWORK) });
    expect(joined.observed.error).toBeUndefined();
    expect(joined.done).toEqual(['created scuf4-1']);
    expect((await sh('docker', ['inspect', '-f', '{{.HostConfig.NetworkMode}}', 'scuf4-1'])).trim()).toBe(NETWORK);
    await converge(adapter, 'container/scuf4', { replicas: 0 }, { extensions: withNetwork(NETWORK) });
  }, 60_000);
});
