// Fields the API server accepts but does not keep (an older CRD / API version prunes them, or a
// feature gate is off): apply remembers what it wrote in the annotation scalectl.dev/dropped, and
// later plans count it, so they converge instead of asking for the same change forever.
import { describe, expect, it } from 'vitest';
import type { Adapter } from '../../../adapters/contract.js';
import { DROPPED_ANNOTATION, rememberedOf } from '../../../adapters/kubernetes/dropped.js';
import type { ServiceSpec } from '../../../src/config/model.js';
import { seed, workload, type K8sDouble, type Obj } from '../../k8s-double/index.js';
import { changeOf, cycle, readOne, serviceOf, useDouble } from './helpers.js';

let double: K8sDouble;
let adapter: Adapter;
const signal = new AbortController().signal;

useDouble((d, a) => {
  double = d;
  adapter = a;
});

const SO = ['keda.sh', 'scaledobjects'] as const;
const HPA = ['autoscaling', 'horizontalpodautoscalers'] as const;
const PASSWORD = 'hunter2-s3cret';
const queueMetric = { type: 'queue' as const, source: { kind: 'rabbitmq', queue: 'orders', connection: `amqp://app:${PASSWORD}@rabbit:5672/` }, perInstance: 20 };
const worker = (autoscale: Partial<NonNullable<ServiceSpec['autoscale']>> = {}) =>
  serviceOf('worker', 'deployment/worker', { autoscale: { min: 1, max: 5, metrics: [queueMetric], fallback: { replicas: 2 }, ...autoscale } });
const storedSo = () => double.store.get(double.resource(...SO), 'shop', 'worker')!;
const remembered = (obj: Obj) => obj.metadata.annotations?.[DROPPED_ANNOTATION];
const writes = () => double.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.split('?')[0]}`);

describe('a ScaledObject field an older KEDA CRD prunes (spec.fallback, KEDA before 2.1)', () => {
  it('apply reports it and remembers it; the next plan shows no change and says once why', async () => {
    double.older.ScaledObject = ['spec.fallback'];
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    const { result, after, second } = await cycle(adapter, worker());
    expect(result.done).toContain('ScaledObject worker: the API server dropped spec.fallback.failureThreshold, spec.fallback.replicas — the server does not know the field (an older API or CRD version): upgrade it to use this setting');
    const so = storedSo();
    expect(so.spec.fallback).toBeUndefined();
    expect(JSON.parse(remembered(so))).toEqual({ 'spec.fallback.failureThreshold': 3, 'spec.fallback.replicas': 2 });
    // Never a credential in the annotations: the trigger's password went to a Secret.
    expect(JSON.stringify(so.metadata.annotations)).not.toContain(PASSWORD);
    expect(second.changes).toEqual([]);
    const lines = (after.warnings ?? []).filter((w) => w.includes('does not keep'));
    expect(lines).toEqual([
      'ScaledObject worker: the API server does not keep spec.fallback.failureThreshold (wrote 3), spec.fallback.replicas (wrote 2) — the server does not know the field (an older API or CRD version): upgrade it to use this setting. scalectl counts what it wrote (annotation scalectl.dev/dropped), so plans show no change for it (once the server keeps it, remove that annotation and apply to write it)',
    ]);
    // And plans stay quiet: a third read is the same.
    expect(changeOf(worker(), await readOne(adapter, worker()), adapter).changes).toEqual([]);
  });

  it('another change keeps the memory in the same replace (no follow-up patch)', async () => {
    double.older.ScaledObject = ['spec.fallback'];
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    await cycle(adapter, worker());
    double.requests.length = 0;
    const { change, second } = await cycle(adapter, worker({ max: 8 }));
    expect(change.changes.map((c) => c.field)).toEqual(['autoscale.max']);
    expect(writes()).toEqual(['PUT /apis/keda.sh/v1alpha1/namespaces/shop/scaledobjects/worker']);
    expect(JSON.parse(remembered(storedSo()))).toEqual({ 'spec.fallback.failureThreshold': 3, 'spec.fallback.replicas': 2 });
    expect(second.changes).toEqual([]);
  });

  it('a changed value in scaling.yaml is a change, and the memory follows it', async () => {
    double.older.ScaledObject = ['spec.fallback'];
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    await cycle(adapter, worker());
    const { change, second } = await cycle(adapter, worker({ fallback: { replicas: 4 } }));
    expect(change.changes.map((c) => [c.field, c.before, c.after])).toEqual([['autoscale.fallback.replicas', 2, 4]]);
    expect(JSON.parse(remembered(storedSo()))).toEqual({ 'spec.fallback.failureThreshold': 3, 'spec.fallback.replicas': 4 });
    expect(second.changes).toEqual([]);
  });

  it('a value removed from scaling.yaml is a change, and its entry leaves the annotation', async () => {
    double.older.ScaledObject = ['spec.fallback'];
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    await cycle(adapter, worker());
    const { change, after, second } = await cycle(adapter, worker({ fallback: undefined }));
    expect(change.changes.map((c) => [c.field, c.before])).toEqual([['autoscale.fallback.replicas', 2]]);
    expect(remembered(storedSo())).toBeUndefined();
    expect((after.warnings ?? []).some((w) => w.includes('does not keep'))).toBe(false);
    expect(second.changes).toEqual([]);
  });

  it('an upgraded server keeps the field: the live value wins, and the next apply clears the memory', async () => {
    double.older.ScaledObject = ['spec.fallback'];
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    await cycle(adapter, worker());
    delete double.older.ScaledObject; // KEDA upgraded: its CRD now knows fallback
    const { result, after, second } = await cycle(adapter, worker({ max: 8 }));
    expect(result.done).toEqual(['updated ScaledObject worker (min 1, max 8)']);
    const so = storedSo();
    expect(so.spec.fallback).toEqual({ failureThreshold: 3, replicas: 2 });
    expect(remembered(so)).toBeUndefined();
    expect((after.warnings ?? []).some((w) => w.includes('does not keep'))).toBe(false);
    expect(second.changes).toEqual([]);
  });

  it('after an upgrade, removing the annotation makes the next plan write the field', async () => {
    double.older.ScaledObject = ['spec.fallback'];
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    await cycle(adapter, worker());
    delete double.older.ScaledObject;
    expect(changeOf(worker(), await readOne(adapter, worker()), adapter).changes).toEqual([]); // still remembered
    // kubectl annotate scaledobject worker scalectl.dev/dropped-
    const def = double.resource(...SO);
    const so = storedSo();
    const { [DROPPED_ANNOTATION]: _gone, ...annotations } = so.metadata.annotations;
    double.store.put(def, { ...so, metadata: { ...so.metadata, annotations, resourceVersion: double.store.nextVersion() } });
    const { change, second } = await cycle(adapter, worker());
    expect(change.changes.map((c) => [c.field, c.after])).toEqual([['autoscale.fallback.replicas', 2]]);
    expect(storedSo().spec.fallback).toEqual({ failureThreshold: 3, replicas: 2 });
    expect(remembered(storedSo())).toBeUndefined();
    expect(second.changes).toEqual([]);
  });

  it('a value someone stored since (live) wins over the remembered one', async () => {
    double.older.ScaledObject = ['spec.fallback'];
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    await cycle(adapter, worker());
    const def = double.resource(...SO);
    const so = storedSo();
    double.store.put(def, { ...so, spec: { ...so.spec, fallback: { failureThreshold: 3, replicas: 7 } }, metadata: { ...so.metadata, resourceVersion: double.store.nextVersion() } });
    const observed = await readOne(adapter, worker());
    expect(observed.spec.autoscale?.fallback).toEqual({ replicas: 7 });
    expect(changeOf(worker(), observed, adapter).changes.map((c) => [c.field, c.before, c.after])).toEqual([['autoscale.fallback.replicas', 7, 2]]);
  });

  it('an annotation patch RBAC refuses leaves the write standing and says what it means', async () => {
    double.older.ScaledObject = ['spec.fallback'];
    double.forbid.push({ method: 'PATCH', resource: 'scaledobjects' });
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    const { result, second } = await cycle(adapter, worker());
    expect(result.done).toContain('ScaledObject worker: could not record the dropped fields in annotation scalectl.dev/dropped (HTTP 403) — the next plan asks for them again');
    expect(storedSo().spec.maxReplicaCount).toBe(5);
    expect(second.changes.map((c) => c.field)).toEqual(['autoscale.fallback.replicas']);
  });

  it('a dry run reports the drop but writes no annotation', async () => {
    double.older.ScaledObject = ['spec.fallback'];
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    await cycle(adapter, worker());
    double.requests.length = 0;
    const observed = await readOne(adapter, worker({ max: 9 }));
    const result = await adapter.apply(changeOf(worker({ max: 9 }), observed, adapter), { dryRun: true, signal });
    expect(result.done.some((d) => d.includes('dropped spec.fallback'))).toBe(true);
    expect(double.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
    expect(storedSo().spec.maxReplicaCount).toBe(5);
  });
});

describe('an HPA field an older API prunes', () => {
  it('behavior dropped whole: remembered, and the plan converges', async () => {
    double.older.HorizontalPodAutoscaler = ['spec.behavior'];
    await seed(double, workload('Deployment', 'web', 'shop', { replicas: 2 }));
    const service = serviceOf('web', 'deployment/web', { autoscale: { min: 2, max: 5, metrics: [{ type: 'cpu', utilization: 60 }], behavior: { scaleDown: { stabilization: '5m' } } } });
    const { result, after, second } = await cycle(adapter, service);
    expect(result.done[0]).toBe('created HPA web (min 2, max 5)');
    expect(result.done[1]).toMatch(/^HPA web: the API server dropped spec\.behavior\.scaleDown\.stabilizationWindowSeconds/);
    const hpa = double.store.get(double.resource(...HPA), 'shop', 'web')!;
    expect(hpa.spec.behavior).toBeUndefined();
    expect(JSON.parse(remembered(hpa))['spec.behavior.scaleDown.stabilizationWindowSeconds']).toBe(300);
    expect(after.warnings?.filter((w) => w.startsWith('HPA web: the API server does not keep spec.behavior.scaleDown.stabilizationWindowSeconds (wrote 300)'))).toHaveLength(1);
    expect(second.changes).toEqual([]);
  });
});

describe('tolerance, through the same memory', () => {
  it('an HPA written by an older scalectl (only scalectl.dev/tolerance) still converges, and the next apply moves it to the map', async () => {
    await seed(double, workload('Deployment', 'web', 'shop', { replicas: 2 }));
    const service = (max: number) => serviceOf('web', 'deployment/web', { autoscale: { min: 2, max, metrics: [{ type: 'cpu', utilization: 60 }], behavior: { tolerance: 0.05 } } });
    await cycle(adapter, service(5));
    // What an older scalectl left on a server without HPAConfigurableTolerance.
    const def = double.resource(...HPA);
    const stored = double.store.get(def, 'shop', 'web')!;
    const behavior = structuredClone(stored.spec.behavior);
    for (const rules of Object.values(behavior) as { tolerance?: string }[]) delete rules.tolerance;
    double.store.put(def, { ...stored, spec: { ...stored.spec, behavior }, metadata: { ...stored.metadata, annotations: { 'scalectl.dev/tolerance': '0.05' }, resourceVersion: double.store.nextVersion() } });
    const observed = await readOne(adapter, service(5));
    expect(observed.warnings).toContain('HPA web: the API server dropped behavior tolerance 0.05 (it needs Kubernetes ≥ 1.33 with the HPAConfigurableTolerance feature gate) — the cluster-wide tolerance (0.1) applies');
    expect(changeOf(service(5), observed, adapter).changes).toEqual([]);
    // This server keeps tolerance: the next apply writes it, and nothing is remembered.
    const { second } = await cycle(adapter, service(6));
    const after = double.store.get(def, 'shop', 'web')!;
    expect(after.spec.behavior.scaleUp.tolerance).toBe('50m');
    expect(remembered(after)).toBeUndefined();
    expect(second.changes).toEqual([]);
  });

  it('a tolerance removed from scaling.yaml is not put back by a stale tolerance annotation', async () => {
    await seed(double, workload('Deployment', 'web', 'shop', { replicas: 2 }));
    const cpu = [{ type: 'cpu' as const, utilization: 60 }];
    await cycle(adapter, serviceOf('web', 'deployment/web', { autoscale: { min: 2, max: 5, metrics: cpu, behavior: { tolerance: 0.05 } } }));
    const { second } = await cycle(adapter, serviceOf('web', 'deployment/web', { autoscale: { min: 2, max: 5, metrics: cpu } }));
    expect(double.store.get(double.resource(...HPA), 'shop', 'web')!.metadata.annotations?.['scalectl.dev/tolerance']).toBeUndefined();
    expect(second.changes).toEqual([]);
  });
});

describe('what is remembered', () => {
  it('never a value carrying a credential, whatever field the server drops', () => {
    const sent = {
      spec: {
        fallback: { replicas: 2 },
        triggers: [{ type: 'rabbitmq', metadata: { host: `amqp://app:${PASSWORD}@rabbit:5672/`, queueName: 'orders' } }],
        extra: { password: 'plain' },
      },
    };
    const kept = rememberedOf(sent, ['spec.fallback.replicas', 'spec.triggers', 'spec.extra.password']);
    expect(kept).toEqual({ 'spec.fallback.replicas': 2 });
    expect(JSON.stringify(kept)).not.toContain(PASSWORD);
  });
});
