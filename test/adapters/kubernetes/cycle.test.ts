// Full cycle per target kind: read → plan (diff) → apply → read equals desired, second plan empty.
import { describe, expect, it } from 'vitest';
import type { Adapter } from '../../../adapters/contract.js';
import type { ServiceSpec } from '../../../src/config/model.js';
import { coreService, knativeService, seed, workload, type K8sDouble } from '../../k8s-double/index.js';
import { adapterFor, cycle, readOne, serviceOf, useDouble } from './helpers.js';

let double: K8sDouble;
let adapter: Adapter;

useDouble((d, a) => {
  double = d;
  adapter = a;
});

const hpaSpec: ServiceSpec = {
  autoscale: {
    min: 2,
    max: 20,
    metrics: [{ type: 'cpu', utilization: 60 }, { type: 'memory', averageValue: '512Mi' }, { type: 'rps', target: 150 }],
    behavior: {
      tolerance: 0.05,
      scaleUp: { stabilization: '0s', policies: [{ pods: 4, period: '15s' }, { percent: 100, period: '15s' }], select: 'max' },
      scaleDown: { stabilization: '5m', policies: [{ percent: 50, period: '1m' }] },
    },
  },
  resources: { cpu: '0.5', memory: '512Mi' },
};

describe.each(['deployment', 'statefulset'] as const)('%s targets', (kind) => {
  const apiKind = kind === 'deployment' ? 'Deployment' : 'StatefulSet';

  it('replicas: scales through /scale and a second plan is empty', async () => {
    await seed(double, workload(apiKind, 'web', 'shop', { replicas: 2 }));
    const service = serviceOf('web', `${kind}/web`, { replicas: 5 });
    const { before, change, result, after, second } = await cycle(adapter, service);
    expect(before.spec).toEqual({ replicas: 2 });
    expect(change.changes.map((c) => [c.field, c.before, c.after, c.support])).toEqual([['replicas', 2, 5, 'native']]);
    expect(result.done).toEqual([`scaled ${kind}/web 2 → 5`]);
    expect(after.spec).toEqual({ replicas: 5 });
    expect(after.instances).toEqual({ desired: 5, ready: 5 });
    expect(second.changes).toEqual([]);
    const scalePatch = double.requests.find((r) => r.method === 'PATCH' && r.path.includes(`/${kind}s/web/scale`));
    expect(scalePatch?.contentType).toBe('application/merge-patch+json');
  });

  it('autoscale: creates an owned HPA (behavior, tolerance, Pods metric) and resources; replicas are left to the HPA', async () => {
    await seed(double, workload(apiKind, 'web', 'shop', { replicas: 3 }));
    double.crds.keda = false;
    const fresh = await adapterFor(double);
    try {
      const service = serviceOf('web', `${kind}/web`, hpaSpec);
      const { before, result, after, second } = await cycle(fresh, service);
      expect(before.warnings?.[0]).toContain('HPA Pods metric "http_requests_per_second"');
      expect(result.done).toEqual([
        `set resources of ${kind}/web container app (rolls the pods out)`,
        'created HPA web (min 2, max 20)',
      ]);
      expect(after.spec).toEqual(hpaSpec);
      expect(after.details).toMatchObject({ hpa: 'web', owner: 'scalectl' });
      expect(after.instances).toEqual({ desired: 3, ready: 3 }); // within the HPA's bounds: left alone
      expect(second.changes).toEqual([]);
      expect(double.requests.some((r) => r.path.includes('/scale'))).toBe(false);
      const stored = double.store.get(double.resource('autoscaling', 'horizontalpodautoscalers'), 'shop', 'web')!;
      expect(stored.spec.behavior.scaleUp.tolerance).toBe('50m'); // the server's canonical quantity
      const container = double.store.get(double.resource('apps', `${kind}s`), 'shop', 'web')!.spec.template.spec.containers[0];
      expect(container.resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '512Mi' } });
    } finally {
      await fresh.close?.();
    }
  });
});

describe('switching between fixed replicas and autoscaling', () => {
  it('replaces an owned HPA by fixed replicas, then back', async () => {
    await seed(double, workload('Deployment', 'api', 'shop', { replicas: 2 }));
    const auto = serviceOf('api', 'deployment/api', { autoscale: { min: 2, max: 6, metrics: [{ type: 'cpu', utilization: 70 }] } });
    const toAuto = await cycle(adapter, auto);
    expect(toAuto.second.changes).toEqual([]);
    expect(toAuto.after.instances).toEqual({ desired: 2, ready: 2 }); // the HPA lifts 2 replicas up to its minimum
    const fixed = serviceOf('api', 'deployment/api', { replicas: 4 });
    const toFixed = await cycle(adapter, fixed);
    expect(toFixed.result.done).toEqual(['deleted HPA api (fixed replicas)', 'scaled deployment/api 2 → 4']);
    expect(toFixed.after.spec).toEqual({ replicas: 4 });
    expect(toFixed.second.changes).toEqual([]);
  });
});

describe('sticky routing', () => {
  it('sets sessionAffinity ClientIP on the named Service', async () => {
    await seed(double, workload('Deployment', 'chat', 'shop', { replicas: 2 }));
    await seed(double, coreService('chat-svc', 'shop'));
    const service = serviceOf('chat', 'deployment/chat', { replicas: 2, routing: { affinity: 'sticky' } }, { kubernetes: { service: 'chat-svc' } });
    const { before, result, after, second } = await cycle(adapter, service);
    expect(before.spec.routing).toEqual({ affinity: 'none' });
    expect(result.done).toEqual(['set Service chat-svc sessionAffinity ClientIP']);
    expect(after.spec).toEqual(service.spec);
    expect(second.changes).toEqual([]);
  });
});

describe('Knative Service targets', () => {
  it('maps concurrency target/limit, min/max, requestTimeout and scale-down delay onto the revision template', async () => {
    await seed(double, knativeService('fn', 'shop'));
    const spec: ServiceSpec = {
      autoscale: {
        min: 1,
        max: 10,
        initial: 2,
        metrics: [{ type: 'concurrency', target: 70, limit: 100, utilization: 80 }],
        behavior: { scaleDown: { delay: '30s' } },
      },
      traffic: { requestTimeout: '2m' },
      resources: { cpu: '250m', memory: '256Mi' },
    };
    const service = serviceOf('fn', 'ksvc/fn', spec);
    const { result, after, second } = await cycle(adapter, service);
    expect(result.done).toEqual(['updated ksvc/fn revision template (new revision)']);
    expect(after.spec).toEqual(spec);
    expect(second.changes).toEqual([]);
    const stored = double.store.get(double.resource('serving.knative.dev', 'services'), 'shop', 'fn')!;
    expect(stored.spec.template.spec.containers[0].image).toBe('registry.local/fn:1');
    expect(stored.status.latestReadyRevisionName).toBe('fn-00002');
  });

  it('maps rps and fixed replicas (min-scale = max-scale)', async () => {
    await seed(double, knativeService('fn', 'shop', { 'autoscaling.knative.dev/target': '50' }));
    const rps = serviceOf('fn', 'ksvc/fn', { autoscale: { min: 0, max: 5, metrics: [{ type: 'rps', target: 200 }] } });
    const first = await cycle(adapter, rps);
    expect(first.before.spec).toEqual({ autoscale: { min: 0, max: 0, metrics: [{ type: 'concurrency', target: 50 }] } });
    expect(first.after.spec).toEqual(rps.spec);
    const fixed = serviceOf('fn', 'ksvc/fn', { replicas: 3 });
    const second = await cycle(adapter, fixed);
    expect(second.after.spec).toEqual({ replicas: 3 });
    expect(second.second.changes).toEqual([]);
  });
});

describe('dry run', () => {
  it('uses server-side dry run and changes nothing', async () => {
    await seed(double, workload('Deployment', 'web', 'shop', { replicas: 2 }));
    const seeded = double.requests.length;
    const service = serviceOf('web', 'deployment/web', { autoscale: { min: 2, max: 4 }, resources: { cpu: '1' } });
    const { result, after } = await cycle(adapter, service, { dryRun: true });
    expect(result.done).toEqual([
      'set resources of deployment/web container app (rolls the pods out) (server dry run)',
      'created HPA web (min 2, max 4) (server dry run)',
    ]);
    expect(after.spec).toEqual({ replicas: 2 });
    const writes = double.requests.slice(seeded).filter((r) => r.method !== 'GET');
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.every((r) => r.path.includes('dryRun=All'))).toBe(true);
    expect((await readOne(adapter, service)).fingerprint).toBe(after.fingerprint);
  });
});
