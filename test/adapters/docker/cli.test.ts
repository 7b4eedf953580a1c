// End to end through the built CLI (`node bin/scalectl.js`) with `adapter: docker` on a real engine:
// Compose interop, a stale saved plan for Swarm, managed containers, and an unreachable engine.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scalectl } from '../../support/cli.js';
import { dockerReady, removeLabelled, sh, TEST_IMAGE, TEST_LABEL } from '../../support/docker.js';

const ready = await dockerReady('Docker end-to-end tests');
const LABEL = `${TEST_LABEL}=cli`;

const header = `version: 1
providers:
  local: { adapter: docker, stopGrace: 1s }
defaults:
  provider: local
services:
`;

function folder(services: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-docker-e2e-'));
  writeFileSync(join(dir, 'scaling.yaml'), header + services);
  return dir;
}

const setReplicas = (dir: string, from: number, to: number) => {
  const file = join(dir, 'scaling.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(`replicas: ${from}\n`, `replicas: ${to}\n`));
};

async function composeRunning(dir: string, project: string): Promise<string[]> {
  const table = await sh('docker-compose', ['-p', project, 'ps'], { cwd: dir });
  return table.split('\n').filter((line) => / Up /.test(line)).map((line) => line.split(/\s+/)[0]).sort();
}

describe.skipIf(!ready)('scalectl with adapter: docker', () => {
  const dirs: string[] = [];
  beforeAll(async () => removeLabelled(LABEL), 60_000);
  afterAll(async () => {
    for (const dir of dirs) {
      await sh('docker-compose', ['-p', 'shopcli', 'down', '-t', '1'], { cwd: dir }).catch(() => '');
      rmSync(dir, { recursive: true, force: true });
    }
    await removeLabelled(LABEL);
  }, 60_000);

  it('Compose: show sees 2, apply 5 (docker-compose lists them), apply 1, then the plan is empty', async () => {
    const dir = folder('  web:\n    target: compose:shopcli/web\n    replicas: 5\n');
    dirs.push(dir);
    writeFileSync(join(dir, 'docker-compose.yml'), `version: "2.4"
services:
  web:
    image: ${TEST_IMAGE}
    command: ["sleep", "3600"]
    network_mode: none
    labels: { ${TEST_LABEL}: cli }
`);
    await sh('docker-compose', ['-p', 'shopcli', 'up', '-d', '--scale', 'web=2'], { cwd: dir });
    const show = await scalectl(['show', '--json'], { cwd: dir });
    expect(show.exitCode).toBe(0);
    expect(JSON.parse(show.stdout).services[0].instances).toEqual({ desired: 2, ready: 2 });

    const apply = await scalectl(['apply', '--yes'], { cwd: dir });
    expect(apply.exitCode).toBe(0);
    expect(apply.stderr).toContain('✓ web: created shopcli_web_3; created shopcli_web_4; created shopcli_web_5');
    expect(await composeRunning(dir, 'shopcli')).toEqual(['shopcli_web_1', 'shopcli_web_2', 'shopcli_web_3', 'shopcli_web_4', 'shopcli_web_5']);

    setReplicas(dir, 5, 1);
    const down = await scalectl(['apply', '--yes'], { cwd: dir });
    expect(down.exitCode).toBe(0);
    expect(down.stderr).toContain('✓ web: removed shopcli_web_5; removed shopcli_web_4; removed shopcli_web_3; removed shopcli_web_2');
    expect(await composeRunning(dir, 'shopcli')).toEqual(['shopcli_web_1']);

    const plan = await scalectl(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout.trim()).toBe('No changes. Plan: 0 to change, 1 unchanged, 0 errors.');
  }, 120_000);

  it('Swarm: a saved plan made before an out-of-band change is refused; a fresh plan sees the change', async () => {
    await sh('docker', ['service', 'create', '-d', '--name', 'scalectl-cli-api', '--network', 'host', '--label', LABEL,
      '--stop-grace-period', '1s', '--replicas', '1', TEST_IMAGE, 'sleep', '3600']);
    const dir = folder('  api:\n    target: service/scalectl-cli-api\n    replicas: 3\n');
    dirs.push(dir);
    expect((await scalectl(['plan', '--out', 'plan.json'], { cwd: dir })).exitCode).toBe(0);
    await sh('docker', ['service', 'scale', '-d', 'scalectl-cli-api=2']);

    const stale = await scalectl(['apply', 'plan.json'], { cwd: dir });
    expect(stale.exitCode).toBe(1);
    expect(stale.stderr).toContain('error: the plan plan.json is stale');
    expect((await sh('docker', ['service', 'inspect', 'scalectl-cli-api', '--format', '{{.Spec.Mode.Replicated.Replicas}}'])).trim()).toBe('2');

    const fresh = await scalectl(['plan'], { cwd: dir });
    expect(fresh.stdout).toContain('~ api.replicas: 2 → 3');
    expect((await scalectl(['apply', '--yes'], { cwd: dir })).exitCode).toBe(0);
    expect((await sh('docker', ['service', 'inspect', 'scalectl-cli-api', '--format', '{{.Spec.Mode.Replicated.Replicas}}'])).trim()).toBe('3');
  }, 120_000);

  it('managed containers: 0 → 3 with resources, shown in sync, then 0', async () => {
    const dir = folder(`  worker:
    target: container/scalectl-cli-worker
    replicas: 3
    resources: { cpu: "0.5", memory: 64Mi }
    x-docker:
      image: ${TEST_IMAGE}
      command: [sleep, "3600"]
      labels: { ${TEST_LABEL}: cli }
`);
    dirs.push(dir);
    expect((await scalectl(['apply', '--yes', '-q'], { cwd: dir })).exitCode).toBe(0);
    const show = await scalectl(['show'], { cwd: dir });
    expect(show.stdout).toMatch(/worker +local \(docker\) +container\/scalectl-cli-worker +fixed +3\/3 +- +in sync/);
    setReplicas(dir, 3, 0);
    expect((await scalectl(['apply', '--yes', '-q'], { cwd: dir })).exitCode).toBe(0);
    expect(await sh('docker', ['ps', '-aq', '--filter', 'label=io.scalectl.replica-of=scalectl-cli-worker'])).toBe('');
  }, 120_000);

  it('autoscale on Docker is emulated by scalectl autoscale; request metrics are a plan error naming the alternative', async () => {
    const dir = folder('  api:\n    target: container/scalectl-cli-auto\n    autoscale: { min: 1, max: 4, metrics: [{ type: concurrency, target: 50 }] }\n');
    dirs.push(dir);
    const plan = await scalectl(['plan'], { cwd: dir });
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout).toContain(
      'error: api.autoscale.metrics[concurrency].target is not supported by the docker adapter for container/scalectl-cli-auto: ' +
        'measure requests with Prometheus and scale on an external metric (kind: prometheus), or use the mock cloud or Kubernetes',
    );
    expect(plan.stdout).not.toContain('api.autoscale.max is not supported');
  });
});

describe('scalectl with adapter: docker, no engine', () => {
  it('names the socket and how to start the engine', async () => {
    const dir = folder('  api:\n    target: service/api\n    replicas: 1\n');
    try {
      const show = await scalectl(['show'], { cwd: dir, env: { DOCKER_HOST: 'unix:///tmp/scalectl-no-engine.sock' } });
      expect(show.exitCode).toBe(1);
      const output = `${show.stdout}\n${show.stderr}`;
      expect(output).toContain('cannot reach the Docker Engine at unix:///tmp/scalectl-no-engine.sock (DOCKER_HOST): no socket there (ENOENT). To fix: start Docker');
      expect(output).toContain('put it in DOCKER_HOST');
      expect(output).not.toContain('.ci/docker-setup.sh'); // exists only in this repository
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
