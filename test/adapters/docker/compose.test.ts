// Compose interop on a real engine: replicas docker-compose made are read and scaled, and
// docker-compose sees the replicas scalectl made as its own.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter } from '../../../adapters/contract.js';
import { dockerReady, removeLabelled, sh, TEST_IMAGE, TEST_LABEL } from '../../support/docker.js';
import { converge, dockerAdapter, readTarget } from './helpers.js';

const ready = await dockerReady('Docker Compose adapter tests');
const PROJECT = 'shop';
const LABEL = `${TEST_LABEL}=compose`;

const composeFile = (extra = '') => `version: "2.4"
services:
  web:
    image: ${TEST_IMAGE}
    command: ["sleep", "3600"]
    network_mode: none
    labels:
      ${TEST_LABEL}: compose
${extra}`;

// docker-compose ps, as names of running containers.
async function composePs(dir: string, project: string): Promise<string[]> {
  const table = await sh('docker-compose', ['-p', project, 'ps'], { cwd: dir });
  return table
    .split('\n')
    .filter((line) => / Up /.test(line))
    .map((line) => line.split(/\s+/)[0])
    .sort();
}

describe.skipIf(!ready)('docker adapter: compose:<project>/<service>', () => {
  let dir: string;
  let adapter: Adapter;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scalectl-compose-'));
    await writeFile(join(dir, 'docker-compose.yml'), composeFile());
    await removeLabelled(LABEL);
    adapter = await dockerAdapter();
  }, 60_000);

  afterAll(async () => {
    if (!dir) return;
    await sh('docker-compose', ['-p', PROJECT, 'down', '-t', '1'], { cwd: dir }).catch(() => '');
    await removeLabelled(LABEL);
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('reads 2, scales to 5 that docker-compose lists, then back to 1 removing the highest numbers', async () => {
    await sh('docker-compose', ['-p', PROJECT, 'up', '-d', '--scale', 'web=2'], { cwd: dir });
    const before = await readTarget(adapter, `compose:${PROJECT}/web`);
    expect(before).toMatchObject({ exists: true, spec: { replicas: 2 }, instances: { desired: 2, ready: 2 } });

    const out = await converge(adapter, `compose:${PROJECT}/web`, { replicas: 5 });
    expect(out.done).toEqual(['created shop_web_3', 'created shop_web_4', 'created shop_web_5']);
    expect(await composePs(dir, PROJECT)).toEqual(['shop_web_1', 'shop_web_2', 'shop_web_3', 'shop_web_4', 'shop_web_5']);

    const down = await converge(adapter, `compose:${PROJECT}/web`, { replicas: 1 });
    expect(down.done).toEqual(['removed shop_web_5', 'removed shop_web_4', 'removed shop_web_3', 'removed shop_web_2']);
    expect(await composePs(dir, PROJECT)).toEqual(['shop_web_1']);

    const after = await readTarget(adapter, `compose:${PROJECT}/web`);
    expect(after.spec).toEqual({ replicas: 1 });
    // Converged: a second apply has nothing to do, and the fingerprint is stable across reads.
    expect((await converge(adapter, `compose:${PROJECT}/web`, { replicas: 1 })).done).toEqual([]);
    expect((await readTarget(adapter, `compose:${PROJECT}/web`)).fingerprint).toBe(after.fingerprint);
  }, 120_000);

  it('docker-compose keeps scalectl replicas as its own: a later `up --scale` adds after them', async () => {
    await converge(adapter, `compose:${PROJECT}/web`, { replicas: 3 });
    await sh('docker-compose', ['-p', PROJECT, 'up', '-d', '--scale', 'web=4'], { cwd: dir });
    expect(await composePs(dir, PROJECT)).toEqual(['shop_web_1', 'shop_web_2', 'shop_web_3', 'shop_web_4']);
    expect((await readTarget(adapter, `compose:${PROJECT}/web`)).spec.replicas).toBe(4);
  }, 120_000);

  it('replicas: 0 stops every container, keeps the first as template, and scales out again from it', async () => {
    const zero = await converge(adapter, `compose:${PROJECT}/web`, { replicas: 0 });
    expect(zero.done).toContain('stopped shop_web_1 (kept as the template for scaling out again)');
    expect(await composePs(dir, PROJECT)).toEqual([]);
    expect((await readTarget(adapter, `compose:${PROJECT}/web`)).spec.replicas).toBe(0);

    const two = await converge(adapter, `compose:${PROJECT}/web`, { replicas: 2 });
    expect(two.done).toEqual(['started shop_web_1', 'created shop_web_2']);
    expect(await composePs(dir, PROJECT)).toEqual(['shop_web_1', 'shop_web_2']);
  }, 120_000);

  it('applies resources with docker update, to existing and new replicas, and reads them back', async () => {
    await converge(adapter, `compose:${PROJECT}/web`, { replicas: 3, resources: { cpu: '0.5', memory: '64Mi' } });
    const observed = await readTarget(adapter, `compose:${PROJECT}/web`, { resources: { cpu: '0.5', memory: '64Mi' } });
    expect(observed.spec).toEqual({ replicas: 3, resources: { cpu: '0.5', memory: '64Mi' } });
    const limits = await sh('docker', ['inspect', '-f', '{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}}', 'shop_web_1', 'shop_web_3']);
    expect(limits.trim().split('\n')).toEqual(['500000000 67108864', '500000000 67108864']);
  }, 120_000);

  it('refuses a service with container_name, as Compose would', async () => {
    const named = await mkdtemp(join(tmpdir(), 'scalectl-compose-named-'));
    await writeFile(join(named, 'docker-compose.yml'), composeFile().replace('    network_mode: none', '    network_mode: none\n    container_name: shop-solo'));
    try {
      await sh('docker-compose', ['-p', 'shopsolo', 'up', '-d'], { cwd: named });
      const error = await converge(adapter, 'compose:shopsolo/web', { replicas: 2 }).catch((e: unknown) => e);
      expect((error as Error).message).toBe(
        'compose:shopsolo/web sets container_name ("shop-solo"), so Compose cannot run more than one container of it; ' +
          'remove container_name from the Compose file to scale it, or keep replicas at 1.',
      );
      expect((await readTarget(adapter, 'compose:shopsolo/web')).spec.replicas).toBe(1);
    } finally {
      await sh('docker-compose', ['-p', 'shopsolo', 'down', '-t', '1'], { cwd: named }).catch(() => '');
      await rm(named, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses to create replicas of a service with no container and no image', async () => {
    const observed = await readTarget(adapter, 'compose:nosuchproject/web');
    expect(observed).toMatchObject({ exists: false, spec: { replicas: 0 } });
    expect(observed.fingerprint).toMatch(/^containers:0:/);
    const error = await converge(adapter, 'compose:nosuchproject/web', { replicas: 1 }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('compose:nosuchproject/web has no container to copy: scalectl only adds copies of a container Compose made');
  });
});
