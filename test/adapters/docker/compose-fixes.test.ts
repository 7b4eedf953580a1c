// Regression tests for Compose defects a review found, on a real engine with docker-compose:
// no first container from x-docker (1), obsolete replicas (6), the service's own stop grace (7),
// hostname/domainname of copies (10).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter } from '../../../adapters/contract.js';
import { AdapterError } from '../../../src/errors.js';
import { dockerReady, removeLabelled, sh, TEST_IMAGE, TEST_LABEL } from '../../support/docker.js';
import { converge, dockerAdapter, readTarget } from './helpers.js';

const ready = await dockerReady('Docker Compose regression tests');
const LABEL = `${TEST_LABEL}=compose-fixes`;

// A one-service Compose file (network_mode: none) with the given extra service keys.
const composeFile = (command: string[], extra: string[] = []) =>
  [
    'version: "2.4"',
    'services:',
    '  web:',
    `    image: ${TEST_IMAGE}`,
    `    command: ${JSON.stringify(command)}`,
    '    network_mode: none',
    ...extra.map((line) => `    ${line}`),
    '    labels:',
    `      ${TEST_LABEL}: compose-fixes`,
    '',
  ].join('\n');

async function inspect(format: string, ...names: string[]): Promise<string[]> {
  return (await sh('docker', ['inspect', '-f', format, ...names])).trim().split('\n');
}

async function names(project: string): Promise<string[]> {
  const out = await sh('docker', ['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Names}}']);
  return out.split('\n').filter(Boolean).sort();
}

describe.skipIf(!ready)('docker adapter: Compose regressions', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scalectl-compose-fixes-'));
    await removeLabelled(LABEL);
  }, 60_000);

  afterAll(async () => {
    await removeLabelled(LABEL);
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  // Writes the Compose file of `project` and runs docker-compose with `args` in its folder.
  async function compose(project: string, file: string, args: string[]): Promise<void> {
    const folder = join(dir, project);
    await sh('mkdir', ['-p', folder]);
    await writeFile(join(folder, 'docker-compose.yml'), file);
    await sh('docker-compose', ['-p', project, ...args], { cwd: folder });
  }

  // The service name is unique to this test: compose.test.ts runs a `web` service at the same time, and
  // a service of that name under another project would add a note to the message.
  it('(1) refuses to create a Compose service\'s first container from x-docker, and says so in read', async () => {
    const adapter = await dockerAdapter();
    const extensions = { docker: { image: TEST_IMAGE, command: 'sleep 3600', labels: { [TEST_LABEL]: 'compose-fixes' } } };
    const observed = await readTarget(adapter, 'compose:scfx1/fx1web', { replicas: 2 }, extensions);
    expect(observed.exists).toBe(false);
    expect(observed.warnings?.[0]).toContain('compose:scfx1/fx1web has no container to copy: scalectl only adds copies of a container Compose made');
    const error = await converge(adapter, 'compose:scfx1/fx1web', { replicas: 2 }, { extensions }).catch((e: unknown) => e);
    expect(AdapterError.isAdapterError(error)).toBe(true);
    expect((error as Error).message).toBe(
      'compose:scfx1/fx1web has no container to copy: scalectl only adds copies of a container Compose made. Bring the service up once ' +
        '(`docker compose -p scfx1 up -d fx1web` or `docker-compose -p scfx1 up -d fx1web`), or use a `container/<name>` target with ' +
        '`x-docker: { image: … }` for replicas scalectl manages itself.',
    );
    expect(await names('scfx1')).toEqual([]);
  }, 60_000);

  it('(6) removes replicas with a stale config-hash first, and copies the newest one', async () => {
    const adapter = await dockerAdapter();
    await compose('scfx6', composeFile(['sleep', '3600']), ['up', '-d', '--scale', 'web=2']);
    // The Compose file changes; a third replica gets the new config, the first two keep the old one.
    await compose('scfx6', composeFile(['sleep', '3601']), ['up', '-d', '--no-recreate', '--scale', 'web=3']);
    const [oldHash, , newHash] = await inspect('{{index .Config.Labels "com.docker.compose.config-hash"}}', 'scfx6_web_1', 'scfx6_web_2', 'scfx6_web_3');
    expect(oldHash).not.toBe(newHash);

    const down = await converge(adapter, 'compose:scfx6/web', { replicas: 2 });
    expect(down.done).toEqual(['removed scfx6_web_2']);
    const up = await converge(adapter, 'compose:scfx6/web', { replicas: 3 });
    expect(up.done).toEqual(['created scfx6_web_4']);
    expect(await inspect('{{index .Config.Labels "com.docker.compose.config-hash"}} {{json .Config.Cmd}}', 'scfx6_web_4')).toEqual([
      `${newHash} ["sleep","3601"]`,
    ]);
    // Down to 1: the last obsolete replica goes before any current one.
    expect((await converge(adapter, 'compose:scfx6/web', { replicas: 1 })).done).toEqual(['removed scfx6_web_1', 'removed scfx6_web_4']);
    expect(await names('scfx6')).toEqual(['scfx6_web_3']);
  }, 120_000);

  it('(7) without traffic.requestTimeout or provider stopGrace, scale-in keeps the service\'s stop_grace_period', async () => {
    // No provider stopGrace: the container's own StopTimeout (1 s) applies, not the engine's 10 s.
    const adapter = await dockerAdapter({ stopGrace: undefined });
    // Takes 4 s to exit after SIGTERM: killed (137) after a 1 s grace, a clean 0 after a 10 s one.
    const slowExit = ['sh', '-c', "trap 'sleep 4; exit 0' TERM; sleep 3600 & wait"];
    await compose('scfx7', composeFile(slowExit, ['stop_grace_period: 1s']), ['up', '-d']);
    const zero = await converge(adapter, 'compose:scfx7/web', { replicas: 0 });
    expect(zero.done).toEqual(['stopped scfx7_web_1 (kept as the template for scaling out again)']);
    expect(await inspect('{{.State.Status}} {{.State.ExitCode}}', 'scfx7_web_1')).toEqual(['exited 137']);
  }, 60_000);

  it('(10) copies keep the service\'s hostname and domainname', async () => {
    const adapter = await dockerAdapter();
    await compose('scfx10', composeFile(['sleep', '3600'], ['hostname: webhost', 'domainname: example.test']), ['up', '-d']);
    expect((await converge(adapter, 'compose:scfx10/web', { replicas: 2 })).done).toEqual(['created scfx10_web_2']);
    expect(await inspect('{{.Config.Hostname}} {{.Config.Domainname}}', 'scfx10_web_1', 'scfx10_web_2')).toEqual([
      'webhost example.test',
      'webhost example.test',
    ]);
    // A service without a hostname: the copy gets its own id as hostname, not the source's.
    await compose('scfx10b', composeFile(['sleep', '3600']), ['up', '-d']);
    await converge(adapter, 'compose:scfx10b/web', { replicas: 2 });
    const [first, second] = await inspect('{{.Config.Hostname}} {{.Id}}', 'scfx10b_web_1', 'scfx10b_web_2');
    expect(second.split(' ')[1].startsWith(second.split(' ')[0])).toBe(true);
    expect(second.split(' ')[0]).not.toBe(first.split(' ')[0]);
  }, 60_000);
});
