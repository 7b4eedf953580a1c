// End to end: a queue trigger whose connection URL takes its password from the environment. The
// built CLI plans and applies it against the API double; the password lands in a Secret only,
// never in the ScaledObject or in anything printed, and plan → apply → plan converges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterProject, type ClusterProject, clusterScaling, type K8sDouble, workload, WORKER_ON_RABBIT } from '../../k8s-double/index.js';

let project: ClusterProject;
let double: K8sDouble;

const SCALING = clusterScaling(WORKER_ON_RABBIT);

const scalectl = async (password: string, ...args: string[]) => project.cli(args, { RABBIT_PASSWORD: password });

beforeAll(async () => {
  project = await clusterProject({ scaling: SCALING, objects: [workload('Deployment', 'worker', 'shop', { replicas: 1 })], prefix: 'scalectl-k8s-creds-' });
  ({ double } = project);
});
afterAll(async () => project?.close());

describe('a trigger password from the environment, applied to a cluster', () => {
  it('lands in a Secret only; plan → apply → plan converges; a new password is one change', async () => {
    const [first, second] = ['hunter2-s3cret', 'correct-horse-9'];
    const secretOf = () => double.store.get(double.resource('', 'secrets'), 'shop', 'worker-rabbitmq-keda');
    const scaledObject = () => double.store.get(double.resource('keda.sh', 'scaledobjects'), 'shop', 'worker');

    const plan = await scalectl(first, 'plan', '--detailed-exitcode');
    expect(plan.code, plan.out).toBe(2);
    const applied = await scalectl(first, 'apply', '--yes');
    expect(applied.code, applied.out).toBe(0);
    expect(applied.out).toContain('created Secret worker-rabbitmq-keda');
    expect(plan.out + applied.out).not.toContain(first);
    expect(JSON.stringify(scaledObject())).not.toContain(first);
    expect(scaledObject()!.spec.triggers[0].authenticationRef).toEqual({ name: 'worker-rabbitmq-keda' });
    expect(Buffer.from(secretOf()!.data.host, 'base64').toString()).toBe(`amqp://app:${first}@rabbit:5672/`);
    const again = await scalectl(first, 'plan', '--detailed-exitcode');
    expect(again.code, again.out).toBe(0);

    const changed = await scalectl(second, 'plan', '--json');
    expect(changed.out).not.toContain(second);
    expect(changed.out).not.toContain(first);
    expect(changed.out).toContain('a secret changed');
    const reapplied = await scalectl(second, 'apply', '--yes');
    expect(reapplied.code, reapplied.out).toBe(0);
    expect(reapplied.out).not.toContain(second);
    expect(Buffer.from(secretOf()!.data.host, 'base64').toString()).toBe(`amqp://app:${second}@rabbit:5672/`);
    const settled = await scalectl(second, 'plan', '--detailed-exitcode');
    expect(settled.code, settled.out).toBe(0);
  }, 60_000);
});
