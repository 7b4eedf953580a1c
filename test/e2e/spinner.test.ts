// Reading providers on a terminal shows a spinner naming the ones still being read (stderr, TTY
// only); piped output never carries it. The provider is a Kubernetes API that accepts
// connections and never answers, so the read ends at the provider's timeout.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKubeconfig } from '../k8s-double/index.js';
import { BIN, NODE, cleanEnv, scalectl } from '../support/cli.js';

let server: Server;
const sockets = new Set<Socket>();
let dir: string;
let port: number;

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  dir = mkdtempSync(join(tmpdir(), 'scalectl-spinner-'));
  writeKubeconfig({ server: `http://127.0.0.1:${port}`, token: 'silent', namespace: 'shop', dir });
  writeFileSync(join(dir, 'scaling.yaml'), [
    'version: 1',
    'providers:',
    '  cluster: { adapter: kubernetes, kubeconfig: ./kubeconfig, timeout: 1500ms }',
    'services:',
    '  web: { provider: cluster, target: deployment/web, replicas: 2 }',
    '',
  ].join('\n'));
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('reading providers', () => {
  it('a terminal shows which providers are being read, then the timeout error', async () => {
    const command = `stty cols 160 rows 40; ${JSON.stringify(NODE)} ${JSON.stringify(BIN)} plan`;
    const result = await execa('script', ['-qec', command, '/dev/null'], { cwd: dir, env: cleanEnv(), extendEnv: false, reject: false });
    expect(result.stdout).toContain('⠋ reading cluster…');
    const screen = result.stdout.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '\n');
    expect(screen).toContain(`timed out after 1500 ms connecting to the Kubernetes API at http://127.0.0.1:${port} (context double): it did not answer discovery — check that the cluster is up, or raise providers.cluster.timeout`);
  }, 20_000);

  it('piped stderr carries no spinner', async () => {
    const result = await scalectl(['plan'], { cwd: dir });
    expect(result.stderr).not.toContain('reading cluster');
    expect(result.stderr).not.toContain('\r');
    expect(result.stdout + result.stderr).toContain('timed out after 1500 ms connecting to the Kubernetes API');
  }, 20_000);
});
