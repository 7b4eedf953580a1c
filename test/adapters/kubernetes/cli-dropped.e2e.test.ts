// End to end: an older KEDA whose ScaledObject CRD prunes `fallback`. The built CLI applies it
// against the API double; the next `plan --detailed-exitcode` exits 0 (no change) and says once
// that the server does not keep the field, instead of asking for it on every run in CI.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterScaling, seed, startK8sDouble, workload, type K8sDouble } from '../../k8s-double/index.js';

const root = resolve(import.meta.dirname, '../../..');
const bin = join(root, 'bin', 'scalectl.js');
let double: K8sDouble;
let dir: string;

const scaling = (replicas: number) => clusterScaling(`  worker:
    target: deployment/worker
    autoscale:
      min: 1
      max: 10
      metrics:
        - type: queue
          source: { kind: rabbitmq, queue: orders, connection: "amqp://app:\${RABBIT_PASSWORD}@rabbit:5672/" }
          perInstance: 20
      fallback: { replicas: ${replicas} }
`);
const PASSWORD = 'hunter2-s3cret';

function scalectl(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, '-f', join(dir, 'scaling.yaml'), '--no-color', ...args], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, RABBIT_PASSWORD: PASSWORD } }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

beforeAll(async () => {
  expect(existsSync(join(root, 'dist', 'cli.js')), 'run `npm run build` first: the e2e tests run the built CLI').toBe(true);
  double = await startK8sDouble({ older: { ScaledObject: ['spec.fallback'] } });
  dir = mkdtempSync(join(tmpdir(), 'scalectl-k8s-dropped-'));
  double.kubeconfig({ dir, namespace: 'default' });
  writeFileSync(join(dir, 'scaling.yaml'), scaling(2));
  await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
});
afterAll(async () => {
  await double?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a field the cluster does not keep, through the CLI', () => {
  it('apply → plan --detailed-exitcode exits 0 with one warning; a changed value is a change again', async () => {
    const applied = await scalectl('apply', '--yes');
    expect(applied.code, applied.out).toBe(0);
    expect(applied.out).toContain('ScaledObject worker: the API server dropped spec.fallback.failureThreshold, spec.fallback.replicas');
    const so = () => double.store.get(double.resource('keda.sh', 'scaledobjects'), 'shop', 'worker')!;
    expect(so().metadata.annotations['scalectl.dev/dropped']).toBe('{"spec.fallback.failureThreshold":3,"spec.fallback.replicas":2}');

    const again = await scalectl('plan', '--detailed-exitcode');
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain('Plan: 0 to change');
    expect(again.out.split('the API server does not keep spec.fallback.failureThreshold (wrote 3), spec.fallback.replicas (wrote 2)')).toHaveLength(2);
    expect(again.out + applied.out).not.toContain(PASSWORD);

    writeFileSync(join(dir, 'scaling.yaml'), scaling(4));
    const changed = await scalectl('plan', '--detailed-exitcode');
    expect(changed.code, changed.out).toBe(2);
    expect(changed.out).toMatch(/fallback\.replicas[^\n]*2[^\n]*4/);
    expect((await scalectl('apply', '--yes')).code).toBe(0);
    expect((await scalectl('plan', '--detailed-exitcode')).code).toBe(0);
    expect(so().metadata.annotations['scalectl.dev/dropped']).toBe('{"spec.fallback.failureThreshold":3,"spec.fallback.replicas":4}');
  }, 60_000);
});
