// A Compose stack started under another project name (`-p other`): plan errors naming the project
// the containers run under, and init takes the project from the containers' labels. Real engine,
// real docker-compose.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover } from '../../../src/init/discover.js';
import { labelledProject, withComposeProjects } from '../../../src/init/compose-projects.js';
import { dockerReady, removeLabelled, sh, SOCKET, TEST_IMAGE, TEST_LABEL } from '../../support/docker.js';
import { scalectl } from '../../support/cli.js';
import { converge, dockerAdapter, readTarget } from './helpers.js';

const ready = await dockerReady('Docker Compose project tests');
const LABEL = `${TEST_LABEL}=compose-projects`;
// Unique names: the shared engine may run other stacks with a service called "web".
const folder = `scfolder${process.pid}`;
const started = `scother${process.pid}`;
const service = `pw${process.pid}`;

describe('the project from the labels (pure)', () => {
  const file = { file: '/src/shop/compose.yaml', project: 'shop', services: [{ name: 'web' }] };
  const labels = (project: string, dir: string, svc = 'web') => ({ Labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': svc, 'com.docker.compose.project.working_dir': dir } });

  it('keeps the folder name when containers run under it', () => {
    expect(labelledProject(file, '/src/shop', [labels('shop', '/src/shop'), labels('other', '/src/shop')])).toBeUndefined();
  });

  it('takes the project of containers started from this folder, never one of another folder', () => {
    expect(labelledProject(file, '/src/shop', [labels('blog', '/src/blog'), labels('other', '/src/shop')])).toBe('other');
    expect(labelledProject(file, '/src/shop', [labels('other', '/elsewhere')])).toBeUndefined();
    expect(labelledProject(file, '/src/shop', [labels('a', '/src/shop'), labels('b', '/src/shop')])).toBeUndefined();
    expect(labelledProject(file, '/src/shop', [labels('other', '/src/shop', 'db')])).toBeUndefined();
  });
});

describe.skipIf(!ready)('docker adapter: a Compose stack under another project name', () => {
  let root: string;
  let dir: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'scalectl-compose-projects-'));
    dir = join(root, folder);
    await mkdir(dir);
    await writeFile(join(dir, 'docker-compose.yml'), [
      'version: "2.4"',
      'services:',
      `  ${service}:`,
      `    image: ${TEST_IMAGE}`,
      '    command: ["sleep", "3600"]',
      '    network_mode: none',
      '    labels:',
      `      ${TEST_LABEL}: compose-projects`,
      '',
    ].join('\n'));
    await removeLabelled(LABEL);
    await sh('docker-compose', ['-p', started, 'up', '-d'], { cwd: dir });
  }, 120_000);

  afterAll(async () => {
    await removeLabelled(LABEL);
    await sh('docker', ['network', 'rm', `${started}_default`]).catch(() => undefined);
    if (root) await rm(root, { recursive: true, force: true });
  }, 60_000);

  it('plan errors and names the project when the stack was started from scaling.yaml\'s folder', async () => {
    const adapter = await dockerAdapter({}, dir);
    const observed = await readTarget(adapter, `compose:${folder}/${service}`, { replicas: 2 });
    expect(observed.exists).toBe(false);
    expect(observed.error).toBe(
      `compose:${folder}/${service}: Compose project "${folder}" has no container of service ${service}, but project "${started}" (${started}_${service}_1) started from this folder has — ` +
        'the stack runs under another project name (`-p`, COMPOSE_PROJECT_NAME or `name:`). ' +
        `Set target: compose:${started}/${service}, or bring project ${folder} up first.`,
    );
    expect((await readTarget(adapter, `compose:${started}/${service}`, { replicas: 2 })).error).toBeUndefined();
  }, 60_000);

  it('a stack of another folder with a service of that name is a warning, not an error', async () => {
    const adapter = await dockerAdapter({}, root);
    const observed = await readTarget(adapter, `compose:${folder}/${service}`, { replicas: 2 });
    expect(observed.error).toBeUndefined();
    expect(observed.warnings).toContain(`compose:${folder}/${service}: service ${service} runs under Compose project "${started}" (${started}_${service}_1), not "${folder}": if that is this stack, set target: compose:${started}/${service}`);
  }, 60_000);

  it('init takes the project name from the containers\' labels', async () => {
    const found = discover({ dir, env: {}, socketPaths: [SOCKET] });
    expect(found.compose[0].project).toBe(folder);
    const lines: string[] = [];
    const withLabels = await withComposeProjects(found, (line) => lines.push(line));
    expect(withLabels.compose[0].project).toBe(started);
    expect(lines).toEqual([`Compose project "${started}": its containers run under that name (the folder would name it "${folder}").`]);
    const init = await scalectl(['init', '--yes', '--provider', 'docker', '--no-check', '--dry-run'], { cwd: dir, env: { DOCKER_HOST: `unix://${SOCKET}` } });
    expect(init.stdout).toContain(`target: compose:${started}/${service}`);
    expect(init.stderr).toContain(`Compose project "${started}"`);
  }, 60_000);

  it('scale-in reports each replica when its stop begins, not only once the grace is over', async () => {
    const adapter = await dockerAdapter({ stopGrace: '1s' }, dir);
    const target = `compose:${started}/${service}`;
    await converge(adapter, target, { replicas: 3 });
    const progress: string[] = [];
    const down = await converge(adapter, target, { replicas: 1 }, { progress: (line) => progress.push(line) });
    const name = (n: number) => `${started}_${service}_${n}`;
    expect(down.done).toEqual([`removed ${name(3)}`, `removed ${name(2)}`]);
    for (const n of [2, 3]) {
      const began = progress.indexOf(`stopping ${name(n)} (SIGTERM, then SIGKILL after 1 s if still running)`);
      expect(began).toBeGreaterThanOrEqual(0);
      expect(progress.indexOf(`removed ${name(n)}`)).toBeGreaterThan(began);
    }
    // Both stops are sent before either ends: the user sees every replica start stopping at once.
    expect(progress.slice(0, 2).every((line) => line.startsWith('stopping '))).toBe(true);
  }, 60_000);
});
