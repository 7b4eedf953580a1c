// Test helpers: the adapter wired to a running double through a generated kubeconfig, and one
// plan → apply step built with the lead's pure diff (src/plan/plan.ts diffSpecs).
import { dirname } from 'node:path';
import type { Adapter, ChangeRequest, ObservedTarget } from '../../../adapters/contract.js';
import createKubernetesAdapter from '../../../adapters/kubernetes/index.js';
import type { ServiceConfig, ServiceSpec } from '../../../src/config/model.js';
import { diffSpecs } from '../../../src/plan/plan.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startK8sDouble, type K8sDouble } from '../../k8s-double/index.js';

// A kubernetes adapter pointing at the double (namespace `shop` unless told otherwise).
export async function adapterFor(double: K8sDouble, settings: Record<string, unknown> = {}, debug: string[] = []): Promise<Adapter> {
  const kubeconfig = double.kubeconfig({ namespace: 'shop' });
  return createKubernetesAdapter({
    provider: { name: 'cluster', adapter: 'kubernetes', settings: { kubeconfig, ...settings } },
    configDir: dirname(kubeconfig),
    env: {},
    debug: (line) => debug.push(line),
  });
}

// One service as the config loader would produce it.
export function serviceOf(name: string, target: string, spec: ServiceSpec, extensions: Record<string, unknown> = {}): ServiceConfig {
  return { name, provider: 'cluster', target, spec, extensions };
}

// Reads one service's live state.
export async function readOne(adapter: Adapter, service: ServiceConfig): Promise<ObservedTarget> {
  const [observed] = await adapter.read([{ service: service.name, target: service.target, extensions: service.extensions, desired: service.spec }], { signal: new AbortController().signal });
  return observed;
}

// The change request a plan would hand to apply (every change, whatever its support).
export function changeOf(service: ServiceConfig, observed: ObservedTarget, adapter: Adapter): ChangeRequest {
  const changes = diffSpecs(service, observed.spec, adapter.capabilities(service.target, observed), {});
  return { service: service.name, target: service.target, extensions: service.extensions, desired: service.spec, changes, fingerprint: observed.fingerprint };
}

// read → diff → apply → read: returns the second read and what apply reported.
export async function cycle(adapter: Adapter, service: ServiceConfig, options: { dryRun?: boolean } = {}) {
  const before = await readOne(adapter, service);
  const change = changeOf(service, before, adapter);
  const result = await adapter.apply(change, { dryRun: options.dryRun ?? false, signal: new AbortController().signal });
  const after = await readOne(adapter, service);
  return { before, change, result, after, second: changeOf(service, after, adapter) };
}

// The error a promise rejects with (the test fails when it resolves).
export async function failure<T extends Error = Error>(promise: Promise<unknown>): Promise<T> {
  try {
    await promise;
  } catch (error) {
    return error as T;
  }
  throw new Error('expected a failure');
}

// One double and one adapter for a test file, reset after each test (objects, recorded
// requests, RBAC denials, CRDs back on); `bind` receives them once they exist.
export function useDouble(bind: (double: K8sDouble, adapter: Adapter) => void): void {
  let double: K8sDouble | undefined;
  let adapter: Adapter | undefined;
  beforeAll(async () => {
    double = await startK8sDouble();
    adapter = await adapterFor(double);
    bind(double, adapter);
  });
  afterAll(async () => {
    await adapter?.close?.();
    await double?.close();
  });
  afterEach(() => {
    if (!double) return;
    double.store.clear();
    double.requests.length = 0;
    double.forbid.length = 0;
    double.crds.keda = true;
    double.crds.knative = true;
    for (const kind of Object.keys(double.older)) delete double.older[kind];
  });
}
