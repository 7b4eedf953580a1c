// What init finds around a project, without a network or a daemon.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeProjectName, discover, readKubeconfig } from '../../src/init/discover.js';
import { composeProject } from './fixture.js';

describe('discover', () => {
  it('reads Compose services with their build folders, and source folders', () => {
    const dir = composeProject();
    mkdirSync(join(dir, 'services/api'), { recursive: true });
    writeFileSync(join(dir, 'services/api/pyproject.toml'), '[project]\nname = "api"\n');
    mkdirSync(join(dir, 'node_modules/x'), { recursive: true });
    writeFileSync(join(dir, 'node_modules/x/package.json'), '{}');
    const found = discover({ dir, env: { HOME: '/nonexistent' }, socketPaths: [] });
    expect(found.existing).toBeUndefined();
    expect(found.compose).toEqual([{ file: join(dir, 'compose.yaml'), project: 'shop', services: [{ name: 'web', source: './web' }, { name: 'bot', source: './bot' }] }]);
    expect(found.sources).toEqual(['./bot', './services/api', './web']);
    expect(found.kube).toBeUndefined();
    expect(found.docker).toBeUndefined();
  });

  it('names the Compose project like Compose does, and honours COMPOSE_PROJECT_NAME and name:', () => {
    expect(composeProjectName('My Shop.v2')).toBe('myshopv2');
    const dir = composeProject();
    expect(discover({ dir, env: { COMPOSE_PROJECT_NAME: 'Other' }, socketPaths: [] }).compose[0].project).toBe('other');
    writeFileSync(join(dir, 'compose.yaml'), 'name: store\nservices:\n  web: { image: nginx, deploy: { replicas: 3 } }\n');
    expect(discover({ dir, env: {}, socketPaths: [] }).compose[0]).toMatchObject({ project: 'store', services: [{ name: 'web', replicas: 3 }] });
  });

  it('lists kubeconfig contexts from every KUBECONFIG file, the first current-context winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalectl-kube-'));
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    writeFileSync(a, 'apiVersion: v1\nkind: Config\ncurrent-context: prod\ncontexts:\n  - name: prod\n    context: { cluster: c1, namespace: shop }\n');
    writeFileSync(b, 'current-context: dev\ncontexts:\n  - name: dev\n    context: { cluster: c2 }\n  - name: prod\n    context: { cluster: other }\n');
    expect(readKubeconfig({ KUBECONFIG: `${a}:${b}:${join(dir, 'missing')}` })).toEqual({
      files: [a, b],
      current: 'prod',
      contexts: [{ name: 'prod', cluster: 'c1', namespace: 'shop' }, { name: 'dev', cluster: 'c2' }],
    });
    mkdirSync(join(dir, 'home/.kube'), { recursive: true });
    writeFileSync(join(dir, 'home/.kube/config'), 'contexts:\n  - name: local\n');
    expect(readKubeconfig({ HOME: join(dir, 'home') })?.contexts).toEqual([{ name: 'local' }]);
    writeFileSync(join(dir, 'broken'), 'contexts: [');
    expect(readKubeconfig({ KUBECONFIG: join(dir, 'broken') })).toBeUndefined();
  });

  it('finds a Docker daemon by DOCKER_HOST or a Unix socket that exists, and an existing scaling.yaml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalectl-sock-'));
    const socket = join(dir, 'docker.sock');
    const server = createServer().listen(socket);
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      writeFileSync(join(dir, 'not-a-socket'), '');
      expect(discover({ dir, env: {}, socketPaths: [join(dir, 'not-a-socket'), socket] }).docker).toBe(socket);
      expect(discover({ dir, env: { DOCKER_HOST: 'tcp://127.0.0.1:2375' }, socketPaths: [socket] }).docker).toBe('tcp://127.0.0.1:2375');
      writeFileSync(join(dir, 'scaling.yml'), 'version: 1\n');
      expect(discover({ dir, env: {}, socketPaths: [] }).existing).toBe(join(dir, 'scaling.yml'));
    } finally {
      server.close();
    }
  });
});
