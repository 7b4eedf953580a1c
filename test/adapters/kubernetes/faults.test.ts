// 20% injected faults (5xx, timeouts, lost writes, spurious 409s): the lead's apply engine retries
// what the adapter marks retryable, and every service converges or names exactly what failed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter } from '../../../adapters/contract.js';
import type { ServiceSpec } from '../../../src/config/model.js';
import { runApply } from '../../../src/apply/engine.js';
import { seed, startK8sDouble, workload, type K8sDouble } from '../../k8s-double/index.js';
import { adapterFor, changeOf, readOne, serviceOf } from './helpers.js';

let double: K8sDouble;
let adapter: Adapter;

beforeAll(async () => {
  double = await startK8sDouble({ holdMs: 2_000 });
  adapter = await adapterFor(double, { timeout: '250ms' });
});
afterAll(async () => {
  await adapter?.close?.();
  await double?.close();
});

function specFor(index: number): ServiceSpec {
  switch (index % 4) {
    case 0: return { replicas: 3 + (index % 5) };
    case 1: return { autoscale: { min: 2, max: 10, metrics: [{ type: 'cpu', utilization: 60 }], behavior: { scaleDown: { stabilization: '2m' } } } };
    case 2: return { replicas: 2, resources: { cpu: '250m', memory: '128Mi' } };
    default: return { autoscale: { min: 1, max: 5, schedules: [{ name: 'day', cron: '0 8 * * 1-5', duration: '10h', timezone: 'Europe/Moscow', min: 3 }] } };
  }
}

describe('apply under 20% faults', () => {
  it('retries what is retryable and converges (or names what failed)', async () => {
    const services = Array.from({ length: 40 }, (_, i) => serviceOf(`svc-${i}`, `deployment/svc-${i}`, specFor(i)));
    for (const s of services) await seed(double, workload('Deployment', s.target.split('/')[1], 'shop', { replicas: 1 }));
    const observed = await adapter.read(services.map((s) => ({ service: s.name, target: s.target, extensions: s.extensions, desired: s.spec })), { signal: new AbortController().signal });
    const items = services.map((s, i) => ({ service: s.name, adapter, request: changeOf(s, observed[i], adapter) }));
    expect(items.every((item) => item.request.changes.length > 0)).toBe(true);

    const plan = double.setFaults({ rate: 0.2, seed: 7, kinds: ['500', '503', 'timeout', 'lost', '409'] })!;
    const retries: string[] = [];
    const results = await runApply(items, {
      concurrency: 8, dryRun: false, signal: new AbortController().signal, attempts: 8, backoffMs: 5,
      onEvent: (event) => { if (event.type === 'retry') retries.push(event.error); },
    });
    double.setFaults(undefined);

    const kinds = new Set(plan.injected.map((f) => f.kind));
    expect(plan.injected.length).toBeGreaterThan(10);
    expect([...kinds].sort()).toEqual(['409', '500', '503', 'lost', 'timeout']);
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.some((message) => message.startsWith('timed out after 250 ms trying to'))).toBe(true);
    for (const result of results) {
      if (result.status !== 'applied') {
        // Whatever failed says which object and why, in one line.
        expect(result.error).toMatch(/svc-\d+|HPA|ScaledObject/);
        expect(result.error).not.toContain('\n');
      }
    }
    expect(results.filter((r) => r.status !== 'applied')).toEqual([]);
    for (const s of services) {
      const after = await readOne(adapter, s);
      expect(changeOf(s, after, adapter).changes, `${s.name} ${after.error ?? ''} ${JSON.stringify(results.find((r) => r.service === s.name))}`).toEqual([]);
    }
  }, 60_000);
});
