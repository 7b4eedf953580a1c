// A live apply never stores a credential in clear where it does not belong: a KEDA trigger's
// password goes into a Secret scalectl owns (read by a TriggerAuthentication), the ScaledObject and
// the HPA's metric-sources annotation keep digests only, and plans still converge.
import { describe, expect, it } from 'vitest';
import type { Adapter } from '../../../adapters/contract.js';
import type { ServiceSpec } from '../../../src/config/model.js';
import { seed, workload, type K8sDouble, type Obj } from '../../k8s-double/index.js';
import { adapterFor, changeOf, cycle, failure, readOne, serviceOf, useDouble } from './helpers.js';

let double: K8sDouble;
let adapter: Adapter;

useDouble((d, a) => {
  double = d;
  adapter = a;
});

const PASSWORD = 'hunter2-s3cret';
const OTHER = 'correct-horse-9';
const queue = (password: string): ServiceSpec => ({
  autoscale: { min: 1, max: 10, metrics: [{ type: 'queue', source: { kind: 'rabbitmq', queue: 'orders', connection: `amqp://app:${password}@rabbit:5672/` }, perInstance: 20 }] },
});

// What the double stores, read over its API like any client would.
async function stored(path: string): Promise<{ status: number; body: Obj }> {
  const response = await fetch(`${double.url}${path}`, { headers: { authorization: `Bearer ${double.token}` } });
  return { status: response.status, body: (await response.json()) as Obj };
}
const scaledObject = () => stored('/apis/keda.sh/v1alpha1/namespaces/shop/scaledobjects/worker');
const secret = () => stored('/api/v1/namespaces/shop/secrets/worker-rabbitmq-keda');
const triggerAuth = () => stored('/apis/keda.sh/v1alpha1/namespaces/shop/triggerauthentications/worker-rabbitmq-keda');
const decoded = (data: Record<string, string>) => Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));

describe('live apply keeps KEDA trigger credentials in a Secret', () => {
  it('creates the Secret and TriggerAuthentication; the ScaledObject refers to them and holds no password', async () => {
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    const service = serviceOf('worker', 'deployment/worker', queue(PASSWORD));
    const { result, after, second } = await cycle(adapter, service);
    expect(result.done).toEqual([
      'created Secret worker-rabbitmq-keda (credential of a KEDA trigger of worker)',
      'created TriggerAuthentication worker-rabbitmq-keda (reads Secret worker-rabbitmq-keda)',
      'created ScaledObject worker (min 1, max 10)',
    ]);
    const so = (await scaledObject()).body;
    expect(JSON.stringify(so)).not.toContain(PASSWORD);
    expect(so.spec.triggers[0]).toEqual({ type: 'rabbitmq', metadata: { mode: 'QueueLength', queueName: 'orders', value: '20' }, authenticationRef: { name: 'worker-rabbitmq-keda' } });
    expect(so.metadata.annotations['scalectl.dev/trigger-credentials']).toMatch(/^\{"0":\{"host":"amqp:\/\/app:sealed-[0-9a-f]{12}@rabbit:5672\/"\}\}$/);
    const held = (await secret()).body;
    expect(held.metadata.labels['app.kubernetes.io/managed-by']).toBe('scalectl');
    expect(held.type).toBe('Opaque');
    expect(decoded(held.data)).toEqual({ host: `amqp://app:${PASSWORD}@rabbit:5672/` });
    const auth = (await triggerAuth()).body;
    expect(auth.metadata.labels['app.kubernetes.io/managed-by']).toBe('scalectl');
    expect(auth.spec).toEqual({ secretTargetRef: [{ parameter: 'host', name: 'worker-rabbitmq-keda', key: 'host' }] });
    // What scalectl reads back is the file's own spec, and the next plan is empty.
    expect(after.spec).toEqual(service.spec);
    expect(second.changes).toEqual([]);
  });

  it('plan → apply → plan: a changed password is a change (never printed), the Secret follows, then it converges', async () => {
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    await cycle(adapter, serviceOf('worker', 'deployment/worker', queue(PASSWORD)));
    const changed = serviceOf('worker', 'deployment/worker', queue(OTHER));
    const { change, result, second } = await cycle(adapter, changed);
    const redacted = { kind: 'rabbitmq', queue: 'orders', connection: 'amqp://app:***@rabbit:5672/' };
    expect(change.changes.map((c) => [c.field, c.before, c.after])).toEqual([['autoscale.metrics[queue].source', redacted, redacted]]);
    expect(change.changes[0].note).toContain('a secret changed');
    expect(JSON.stringify(change.changes)).not.toContain(OTHER);
    expect(JSON.stringify(change.changes)).not.toContain(PASSWORD);
    expect(result.done).toEqual([
      'updated Secret worker-rabbitmq-keda (credential of a KEDA trigger of worker)',
      'updated ScaledObject worker (min 1, max 10)',
    ]);
    expect(decoded((await secret()).body.data)).toEqual({ host: `amqp://app:${OTHER}@rabbit:5672/` });
    expect(JSON.stringify((await scaledObject()).body)).not.toContain(OTHER);
    expect(second.changes).toEqual([]);
  });

  it('fixed replicas again: the ScaledObject, its TriggerAuthentication and Secret are deleted', async () => {
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    await cycle(adapter, serviceOf('worker', 'deployment/worker', queue(PASSWORD)));
    const { result, second } = await cycle(adapter, serviceOf('worker', 'deployment/worker', { replicas: 3 }));
    expect(result.done).toEqual(expect.arrayContaining([
      'deleted TriggerAuthentication worker-rabbitmq-keda (its ScaledObject is gone)',
      'deleted Secret worker-rabbitmq-keda (its ScaledObject is gone)',
    ]));
    expect((await secret()).status).toBe(404);
    expect((await triggerAuth()).status).toBe(404);
    expect((await scaledObject()).status).toBe(404);
    expect(second.changes).toEqual([]);
  });

  it('refuses to overwrite a Secret of the same name that scalectl did not create', async () => {
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    await seed(double, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'worker-rabbitmq-keda', namespace: 'shop' }, stringData: { host: 'theirs' } });
    const service = serviceOf('worker', 'deployment/worker', queue(PASSWORD));
    const error = await failure(adapter.apply(changeOf(service, await readOne(adapter, service), adapter), { dryRun: false, signal: new AbortController().signal }));
    expect(error.message).toContain('Secret worker-rabbitmq-keda in namespace shop exists but was not created by scalectl');
    expect(error.message).not.toContain(PASSWORD);
    expect(decoded((await secret()).body.data)).toEqual({ host: 'theirs' });
    expect((await scaledObject()).status).toBe(404);
  });
});

describe('other credentials on a live apply', () => {
  it('a secret-looking key (no URL) moves to the Secret and converges through its digest', async () => {
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    const spec = (password: string): ServiceSpec => ({
      autoscale: { min: 1, max: 5, metrics: [{ type: 'queue', source: { kind: 'postgresql', targetKey: 'targetQueryValue', host: 'db', query: 'SELECT count(*) FROM jobs', password }, perInstance: 10 }] },
    });
    const { result, after, second } = await cycle(adapter, serviceOf('worker', 'deployment/worker', spec(PASSWORD)));
    expect(result.done[0]).toBe('created Secret worker-postgresql-keda (credential of a KEDA trigger of worker)');
    const so = (await scaledObject()).body;
    expect(JSON.stringify(so)).not.toContain(PASSWORD);
    expect(so.spec.triggers[0].metadata).toEqual({ host: 'db', query: 'SELECT count(*) FROM jobs', targetQueryValue: '10' });
    const held = (await stored('/api/v1/namespaces/shop/secrets/worker-postgresql-keda')).body;
    expect(decoded(held.data)).toEqual({ password: PASSWORD });
    expect(after.spec).toEqual(spec(PASSWORD));
    expect(second.changes).toEqual([]);
    const changed = await cycle(adapter, serviceOf('worker', 'deployment/worker', spec(OTHER)));
    expect(changed.change.changes.map((c) => c.field)).toEqual(['autoscale.metrics[queue].source']);
    expect(JSON.stringify(changed.change.changes[0].before)).not.toContain(PASSWORD);
    expect(changed.second.changes).toEqual([]);
  });

  it('RBAC denying Secrets stops the apply before the ScaledObject, with one clear line', async () => {
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    double.forbid.push({ method: 'POST', resource: 'secrets' });
    const service = serviceOf('worker', 'deployment/worker', queue(PASSWORD));
    const error = await failure(adapter.apply(changeOf(service, await readOne(adapter, service), adapter), { dryRun: false, signal: new AbortController().signal }));
    expect(error.message).toBe('forbidden to create Secret worker-rabbitmq-keda in namespace shop (context double): RBAC denies it — grant "create" on it to the user of context double');
    expect(error.message).not.toContain(PASSWORD);
    expect((await scaledObject()).status).toBe(404);
  });

  it('a server dry run stores neither the Secret nor the ScaledObject', async () => {
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    const { result } = await cycle(adapter, serviceOf('worker', 'deployment/worker', queue(PASSWORD)), { dryRun: true });
    expect(result.done).toEqual([
      'created Secret worker-rabbitmq-keda (credential of a KEDA trigger of worker) (server dry run)',
      'created TriggerAuthentication worker-rabbitmq-keda (reads Secret worker-rabbitmq-keda) (server dry run)',
      'created ScaledObject worker (min 1, max 10) (server dry run)',
    ]);
    expect((await secret()).status).toBe(404);
    expect((await triggerAuth()).status).toBe(404);
    expect((await scaledObject()).status).toBe(404);
  });
});

describe('the HPA metric-sources annotation carries no password', () => {
  it('stores the source sealed and still converges', async () => {
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    double.crds.keda = false;
    const fresh = await adapterFor(double);
    try {
      const service = serviceOf('worker', 'deployment/worker', queue(PASSWORD));
      const { result, after, second } = await cycle(fresh, service);
      expect(result.done).toEqual(['created HPA worker (min 1, max 10)']);
      const hpa = (await stored('/apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers/worker')).body;
      expect(JSON.stringify(hpa)).not.toContain(PASSWORD);
      const sources = JSON.parse(hpa.metadata.annotations['scalectl.dev/metric-sources']);
      expect(Object.values(sources)).toEqual([{ type: 'queue', source: { kind: 'rabbitmq', queue: 'orders', connection: expect.stringMatching(/^amqp:\/\/app:sealed-[0-9a-f]{12}@rabbit:5672\/$/) } }]);
      expect(after.spec).toEqual(service.spec);
      expect(second.changes).toEqual([]);
      // A changed password is a change, shown redacted.
      const changed = await cycle(fresh, serviceOf('worker', 'deployment/worker', queue(OTHER)));
      const redacted = { kind: 'rabbitmq', queue: 'orders', connection: 'amqp://app:***@rabbit:5672/' };
      expect(changed.change.changes.map((c) => [c.field, c.before, c.after])).toEqual([['autoscale.metrics[queue].source', redacted, redacted]]);
      expect(changed.result.done).toEqual(['updated HPA worker (min 1, max 10)']);
      expect(changed.second.changes).toEqual([]);
    } finally {
      await fresh.close?.();
    }
  });
});
