// End to end: an older KEDA whose ScaledObject CRD prunes `fallback`. The built CLI applies it
// against the API double; the next `plan --detailed-exitcode` exits 0 (no change) and says once
// that the server does not keep the field, instead of asking for it on every run in CI.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterProject, type ClusterProject, clusterScaling, type K8sDouble, workload, WORKER_ON_RABBIT } from '../../k8s-double/index.js';

let project: ClusterProject;
let double: K8sDouble;
let dir: string;

const scaling = (replicas: number) => clusterScaling(`${WORKER_ON_RABBIT}      fallback: { replicas: ${replicas} }\n`);
const PASSWORD = 'hunter2-s3cret';

const scalectl = async (...args: string[]) => project.cli(args, { RABBIT_PASSWORD: PASSWORD });

beforeAll(async () => {
  project = await clusterProject({ scaling: scaling(2), objects: [workload('Deployment', 'worker', 'shop', { replicas: 1 })], double: { older: { ScaledObject: ['spec.fallback'] } }, prefix: 'scalectl-k8s-dropped-' });
  ({ double, dir } = project);
});
afterAll(async () => project?.close());

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
