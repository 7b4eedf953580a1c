// scalectl-managed containers (container/<name>) on a real engine: 0 → 3 → 0 with resources,
// copies of a named container, dry run, Ctrl-C, and the unreachable-engine message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter } from '../../../adapters/contract.js';
import { AdapterError } from '../../../src/errors.js';
import { dockerReady, removeLabelled, sh, TEST_IMAGE, TEST_LABEL } from '../../support/docker.js';
import { converge, dockerAdapter, readTarget } from './helpers.js';

const ready = await dockerReady('Docker managed-container adapter tests');
const LABEL = `${TEST_LABEL}=managed`;
// The service's extensions as the CLI passes them: `x-docker: {…}` keyed as `docker`.
const xDocker = { docker: { image: TEST_IMAGE, command: ['sleep', '3600'], env: { MODE: 'worker' }, labels: { [TEST_LABEL]: 'managed' } } };

async function names(group: string): Promise<string[]> {
  const out = await sh('docker', ['ps', '-a', '--filter', `label=io.scalectl.replica-of=${group}`, '--format', '{{.Names}} {{.State}}']);
  return out.split('\n').filter(Boolean).sort();
}

describe('docker adapter: engine unreachable', () => {
  it('fails read with one message naming the socket and how to start the engine', async () => {
    const adapter = await dockerAdapter({ host: 'unix:///tmp/scalectl-no-engine.sock' });
    const error = await readTarget(adapter, 'container/worker').catch((e: unknown) => e);
    expect(AdapterError.isAdapterError(error)).toBe(true);
    // Advice a user can follow anywhere: nothing that exists only in this repository.
    expect((error as AdapterError).message).toBe(
      'cannot reach the Docker Engine at unix:///tmp/scalectl-no-engine.sock (provider setting `host`): no socket there (ENOENT). ' +
        'To fix: start Docker (Docker Desktop, or `sudo systemctl start docker` on Linux), then check with `docker info`. ' +
        "If `docker info` works, your engine listens elsewhere: `docker context inspect --format '{{.Endpoints.docker.Host}}'` prints its address; " +
        "put it in DOCKER_HOST or the provider's `host` setting.",
    );
    expect((error as AdapterError).message).not.toContain('.ci/');
    expect((error as AdapterError).retryable).toBe(true);
  });

  it('names a malformed host setting', async () => {
    const error = await dockerAdapter({ host: 'ssh://box' }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('the Docker host "ssh://box" (provider setting `host`) is not a unix socket or tcp:// address');
  });
});

describe.skipIf(!ready)('docker adapter: container/<name> (managed replicas)', () => {
  let adapter: Adapter;

  beforeAll(async () => {
    await removeLabelled(LABEL);
    adapter = await dockerAdapter();
  }, 60_000);

  afterAll(async () => {
    await removeLabelled(LABEL);
  }, 60_000);

  it('scales 0 → 3 → 0 from the x-docker template, with resources applied and read back', async () => {
    const target = 'container/scw';
    const empty = await readTarget(adapter, target, {}, xDocker);
    expect(empty).toMatchObject({ exists: true, spec: { replicas: 0 } });

    const resources = { cpu: '0.5', memory: '48Mi' };
    const up = await converge(adapter, target, { replicas: 3, resources }, { extensions: xDocker });
    expect(up.done).toEqual(['created scw-1', 'created scw-2', 'created scw-3']);
    expect(await names('scw')).toEqual(['scw-1 running', 'scw-2 running', 'scw-3 running']);
    expect((await readTarget(adapter, target, { resources }, xDocker)).spec).toEqual({ replicas: 3, resources });
    const env = await sh('docker', ['inspect', '-f', '{{json .Config.Env}} {{.HostConfig.NetworkMode}} {{.HostConfig.Memory}}', 'scw-2']);
    expect(env).toContain('"MODE=worker"');
    expect(env.trim()).toMatch(/ none 50331648$/);

    const bigger = { cpu: '1', memory: '64Mi' };
    const update = await converge(adapter, target, { replicas: 3, resources: bigger }, { extensions: xDocker });
    expect(update.done).toEqual(['updated scw-1 (cpu, memory)', 'updated scw-2 (cpu, memory)', 'updated scw-3 (cpu, memory)']);
    expect((await readTarget(adapter, target, { resources: bigger }, xDocker)).spec.resources).toEqual(bigger);

    const down = await converge(adapter, target, { replicas: 0 }, { extensions: xDocker });
    expect(down.done).toEqual(['removed scw-3', 'removed scw-2', 'removed scw-1']);
    expect(await names('scw')).toEqual([]);
    expect((await readTarget(adapter, target, {}, xDocker)).spec).toEqual({ replicas: 0 });
  }, 120_000);

  it('copies a named container when x-docker gives `from`', async () => {
    await sh('docker', ['run', '-d', '--name', 'scalectl-model', '--network', 'none', '--label', LABEL, '-e', 'FROM_MODEL=1', TEST_IMAGE, 'sleep', '3600']);
    const out = await converge(adapter, 'container/scm', { replicas: 2 }, { extensions: { docker: { from: 'scalectl-model' } } });
    expect(out.done).toEqual(['created scm-1', 'created scm-2']);
    const env = await sh('docker', ['inspect', '-f', '{{json .Config.Env}}', 'scm-2']);
    expect(env).toContain('"FROM_MODEL=1"');
    await converge(adapter, 'container/scm', { replicas: 0 }, { extensions: { docker: { from: 'scalectl-model' } } });
    expect(await names('scm')).toEqual([]);
  }, 60_000);

  it('refuses without a template, naming both ways to give one', async () => {
    const error = await converge(adapter, 'container/sc-nothing', { replicas: 1 }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'container/sc-nothing has no template: give the image (and command, env, labels) in the service\'s `x-docker: { image: … }`, ' +
        'or a container to copy with `x-docker: { from: <container> }` (no container named "sc-nothing" exists).',
    );
  });

  it('dry run lists what it would do and changes nothing', async () => {
    const out = await converge(adapter, 'container/scd', { replicas: 2 }, { extensions: xDocker, dryRun: true });
    expect(out.done).toEqual(['would create scd-1', 'would create scd-2']);
    expect(await names('scd')).toEqual([]);
  });

  it('on abort stops starting new containers and reports exactly the ones it made; re-running converges', async () => {
    const controller = new AbortController();
    const progress: string[] = [];
    const error = await converge(adapter, 'container/sca', { replicas: 40 }, {
      extensions: xDocker,
      signal: controller.signal,
      progress: (line) => {
        progress.push(line);
        if (progress.length === 2) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(AdapterError.isAdapterError(error)).toBe(true);
    const done = (error as AdapterError).done;
    expect((error as Error).message).toMatch(/^container\/sca: interrupted; done: created sca-/);
    const made = (await names('sca')).map((line) => line.split(' ')[0]);
    expect(done.map((line) => line.replace('created ', '')).sort()).toEqual(made);
    expect(made.length).toBeLessThan(40);

    const again = await converge(adapter, 'container/sca', { replicas: 40 }, { extensions: xDocker });
    expect(again.done).toHaveLength(40 - made.length);
    expect(await names('sca')).toHaveLength(40);
    await converge(adapter, 'container/sca', { replicas: 0 }, { extensions: xDocker });
    expect(await names('sca')).toEqual([]);
  }, 120_000);
});
