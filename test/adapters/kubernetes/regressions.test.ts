// Regression tests for the review of the Kubernetes adapter (workload side): one test per defect,
// each asserting the corrected behaviour against the API server double.
import { describe, expect, it } from 'vitest';
import type { Adapter } from '../../../adapters/contract.js';
import { supportOf } from '../../../src/plan/fields.js';
import { AdapterError } from '../../../src/errors.js';
import { seed, workload, type K8sDouble } from '../../k8s-double/index.js';
import { adapterFor, changeOf, cycle, failure, readOne, serviceOf, useDouble } from './helpers.js';

let double: K8sDouble;
let adapter: Adapter;
const signal = new AbortController().signal;
const HPA = ['autoscaling', 'horizontalpodautoscalers'] as const;
const cpu60 = { type: 'cpu' as const, utilization: 60 };

useDouble((d, a) => {
  double = d;
  adapter = a;
});

describe('fingerprints (items 1 and 8)', () => {
  it('an HPA without metadata.generation (HPAGeneration gate off) is updated, max 5 → 8', async () => {
    await seed(double, workload('Deployment', 'web', 'shop', { replicas: 2 }));
    await cycle(adapter, serviceOf('web', 'deployment/web', { autoscale: { min: 2, max: 5, metrics: [cpu60] } }));
    const def = double.resource(...HPA);
    const stored = double.store.get(def, 'shop', 'web')!;
    const { generation: _generation, ...metadata } = stored.metadata;
    double.store.put(def, { ...stored, metadata });
    const service = serviceOf('web', 'deployment/web', { autoscale: { min: 2, max: 8, metrics: [cpu60] } });
    const observed = await readOne(adapter, service);
    expect(observed.fingerprint).toMatch(/hpa\/web@h[0-9a-f]{12}/);
    const result = await adapter.apply(changeOf(service, observed, adapter), { dryRun: false, signal });
    expect(result.done).toEqual(['updated HPA web (min 2, max 8)']);
    expect(double.store.get(def, 'shop', 'web')!.spec.maxReplicas).toBe(8);
  });

  it('a status-only update (pods getting ready) keeps the fingerprint, so a saved plan stays valid', async () => {
    await seed(double, workload('Deployment', 'web', 'shop', { replicas: 2 }));
    const service = serviceOf('web', 'deployment/web', { replicas: 3 });
    const planned = await readOne(adapter, service);
    const def = double.resource('apps', 'deployments');
    const obj = double.store.get(def, 'shop', 'web')!;
    double.store.put(def, { ...obj, status: { ...obj.status, readyReplicas: 1 }, metadata: { ...obj.metadata, resourceVersion: double.store.nextVersion() } });
    expect((await readOne(adapter, service)).fingerprint).toBe(planned.fingerprint);
    const result = await adapter.apply(changeOf(service, planned, adapter), { dryRun: false, signal });
    expect(result.done).toEqual(['scaled deployment/web 2 → 3']);
  });
});

describe('resources (item 2)', () => {
  it('a file that sets only cpu leaves the live memory request and limit alone', async () => {
    await seed(double, workload('Deployment', 'web', 'shop', { replicas: 2, resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } } }));
    const { second } = await cycle(adapter, serviceOf('web', 'deployment/web', { replicas: 2, resources: { cpu: '500m' } }));
    const container = double.store.get(double.resource('apps', 'deployments'), 'shop', 'web')!.spec.template.spec.containers[0];
    expect(container.resources).toEqual({ requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: '512Mi' } });
    expect(second.changes).toEqual([]);
  });
});

describe('HPA → ScaledObject (item 3)', () => {
  const withCron = { autoscale: { min: 2, max: 5, metrics: [cpu60], schedules: [{ name: 'peak', cron: '*/30 9 * * *', duration: '10m', min: 4 }] } };

  it('a schedule KEDA cannot express is unsupported in the plan, and apply refuses before deleting the HPA', async () => {
    await seed(double, workload('Deployment', 'web', 'shop', { replicas: 2 }));
    await cycle(adapter, serviceOf('web', 'deployment/web', { autoscale: { min: 2, max: 5, metrics: [cpu60] } }));
    const service = serviceOf('web', 'deployment/web', withCron);
    const observed = await readOne(adapter, service);
    const peak = supportOf(adapter.capabilities(service.target, observed), 'autoscale.schedules[peak].cron');
    expect(peak.support).toBe('unsupported');
    expect(peak.alternative).toContain('a 5-field cron with a fixed minute and hour');
    const error = await failure<AdapterError>(adapter.apply(changeOf(service, observed, adapter), { dryRun: false, signal }));
    expect(error).toBeInstanceOf(AdapterError);
    expect(error.message).toBe('service web: schedule "peak" cannot be a KEDA cron trigger: use recurring days/start/end or a 5-field cron with a duration under 24h');
    expect(error.done).toEqual([]);
    expect(double.store.get(double.resource(...HPA), 'shop', 'web')).toBeDefined();
  });

  it('a schedule min below autoscale.min is a plan warning (a cron trigger only raises the minimum)', async () => {
    await seed(double, workload('Deployment', 'web', 'shop', { replicas: 2 }));
    const observed = await readOne(adapter, serviceOf('web', 'deployment/web', { autoscale: { min: 3, max: 5, schedules: [{ name: 'night', recurring: { days: ['Sat'], start: '01:00', end: '05:00' }, min: 1 }] } }));
    expect(observed.warnings).toContain('schedule night: min 1 is below autoscale.min 3 — a KEDA cron trigger only raises the minimum, so this window changes nothing');
  });

  it('a dry run of the switch deletes the HPA (dry run) and says the ScaledObject create was skipped', async () => {
    await seed(double, workload('Deployment', 'web', 'shop', { replicas: 2 }));
    await cycle(adapter, serviceOf('web', 'deployment/web', { autoscale: { min: 2, max: 5, metrics: [cpu60] } }));
    const service = serviceOf('web', 'deployment/web', { autoscale: { min: 2, max: 5, metrics: [cpu60], schedules: [{ name: 'day', cron: '0 8 * * 1-5', duration: '10h', min: 4 }] } });
    const result = await adapter.apply(changeOf(service, await readOne(adapter, service), adapter), { dryRun: true, signal });
    expect(result.done).toEqual([
      'deleted HPA web (a ScaledObject takes over) (server dry run)',
      'create ScaledObject web (min 2, max 5) skipped: the dry-run delete left the HPA in place (server dry run)',
    ]);
    expect(double.store.get(double.resource(...HPA), 'shop', 'web')).toBeDefined();
    expect(double.store.get(double.resource('keda.sh', 'scaledobjects'), 'shop', 'web')).toBeUndefined();
  });
});

describe('autoscale → replicas (item 9)', () => {
  it('after the HPA is removed the /scale write starts from what is live, even if the HPA moved replicas', async () => {
    await seed(double, workload('Deployment', 'web', 'shop', { replicas: 2 }));
    await cycle(adapter, serviceOf('web', 'deployment/web', { autoscale: { min: 2, max: 5, metrics: [cpu60] } }));
    const service = serviceOf('web', 'deployment/web', { replicas: 3 });
    const change = changeOf(service, await readOne(adapter, service), adapter);
    // The HPA scales the workload between plan and apply.
    const response = await fetch(`${double.url}/apis/apps/v1/namespaces/shop/deployments/web/scale`, {
      method: 'PATCH', headers: { authorization: `Bearer ${double.token}`, 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { replicas: 4 } }),
    });
    expect(response.status).toBe(200);
    const result = await adapter.apply(change, { dryRun: false, signal });
    expect(result.done).toEqual(['deleted HPA web (fixed replicas)', 'scaled deployment/web 4 → 3']);
    expect(double.store.get(double.resource('apps', 'deployments'), 'shop', 'web')!.spec.replicas).toBe(3);
    expect(double.store.get(double.resource(...HPA), 'shop', 'web')).toBeUndefined();
  });
});

describe('HPA External metrics (item 11)', () => {
  it('two external metrics of the same source kind get distinct metric names and read back as written', async () => {
    double.crds.keda = false;
    const fresh = await adapterFor(double);
    try {
      await seed(double, workload('Deployment', 'web', 'shop', { replicas: 2 }));
      const { second } = await cycle(fresh, serviceOf('web', 'deployment/web', { autoscale: { min: 1, max: 5, metrics: [
        { type: 'external', source: { kind: 'prometheus', query: 'a' }, averageValue: 10 },
        { type: 'external', source: { kind: 'prometheus', query: 'b' }, averageValue: 20 }] } }));
      const metrics = double.store.get(double.resource(...HPA), 'shop', 'web')!.spec.metrics;
      const names = metrics.map((m: { external: { metric: { name: string } } }) => m.external.metric.name);
      expect(names[0]).toBe('prometheus');
      expect(names[1]).toMatch(/^prometheus-[0-9a-f]{6}$/);
      expect(second.changes).toEqual([]);
    } finally {
      await fresh.close?.();
    }
  });
});

describe('replacing an owned HPA (item 16)', () => {
  it('keeps the annotations, finalizers and ownerReferences others put on it', async () => {
    await seed(double, workload('Deployment', 'web', 'shop', { replicas: 2 }));
    await cycle(adapter, serviceOf('web', 'deployment/web', { autoscale: { min: 2, max: 5, metrics: [cpu60] } }));
    const def = double.resource(...HPA);
    const stored = double.store.get(def, 'shop', 'web')!;
    const extra = {
      annotations: { 'argocd.argoproj.io/tracking-id': 'shop:autoscaling/HorizontalPodAutoscaler:shop/web' },
      finalizers: ['example.com/audit'],
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '1234' }],
    };
    double.store.put(def, { ...stored, metadata: { ...stored.metadata, ...extra, resourceVersion: double.store.nextVersion() } });
    const { result } = await cycle(adapter, serviceOf('web', 'deployment/web', { autoscale: { min: 2, max: 7, metrics: [cpu60] } }));
    expect(result.done).toEqual(['updated HPA web (min 2, max 7)']);
    const after = double.store.get(def, 'shop', 'web')!;
    expect(after.spec.maxReplicas).toBe(7);
    expect(after.metadata).toMatchObject(extra);
  });
});

describe('tolerance on clusters without HPAConfigurableTolerance (item 14)', () => {
  it('a tolerance the server dropped is a warning, not a change every plan asks for again', async () => {
    await seed(double, workload('Deployment', 'web', 'shop', { replicas: 2 }));
    const service = serviceOf('web', 'deployment/web', { autoscale: { min: 2, max: 5, metrics: [cpu60], behavior: { tolerance: 0.05 } } });
    await cycle(adapter, service);
    // What an API server without the feature gate keeps: no tolerance in the behavior.
    const def = double.resource(...HPA);
    const stored = double.store.get(def, 'shop', 'web')!;
    const behavior = structuredClone(stored.spec.behavior);
    for (const rules of Object.values(behavior) as { tolerance?: string }[]) delete rules.tolerance;
    double.store.put(def, { ...stored, spec: { ...stored.spec, behavior }, metadata: { ...stored.metadata, resourceVersion: double.store.nextVersion() } });
    const observed = await readOne(adapter, service);
    expect(observed.warnings).toContain('HPA web: the API server dropped behavior tolerance 0.05 (it needs Kubernetes ≥ 1.33 with the HPAConfigurableTolerance feature gate) — the cluster-wide tolerance (0.1) applies');
    expect(changeOf(service, observed, adapter).changes).toEqual([]);
  });
});
