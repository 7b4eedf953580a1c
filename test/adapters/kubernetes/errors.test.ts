// Errors as one clear line naming context, namespace and object; stale plans; foreign scalers;
// interruption. Credentials never appear in any message.
import { describe, expect, it } from 'vitest';
import type { Adapter } from '../../../adapters/contract.js';
import { AdapterError, StalePlanError } from '../../../src/errors.js';
import { knativeService, seed, startK8sDouble, workload, type K8sDouble } from '../../k8s-double/index.js';
import { adapterFor, changeOf, readOne, serviceOf, useDouble } from './helpers.js';

let double: K8sDouble;
let adapter: Adapter;
const signal = new AbortController().signal;

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect((error as Error).message).not.toContain(double.token);
    expect((error as Error).message.split('\n')).toHaveLength(1);
    return error as Error;
  }
  throw new Error('expected a failure');
}

useDouble((d, a) => {
  double = d;
  adapter = a;
});

describe('cluster-level failures', () => {
  it('an unreachable API server', async () => {
    const other = await startK8sDouble();
    const lonely = await adapterFor(other);
    await other.close();
    const error = await failure(lonely.read([{ service: 'web', target: 'deployment/web', extensions: {}, desired: { replicas: 1 } }], { signal }));
    expect(AdapterError.isAdapterError(error)).toBe(true);
    expect(error.message).toMatch(/^cannot reach the Kubernetes API at http:\/\/127\.0\.0\.1:\d+ \(context double\) to discover APIs of the cluster: ECONNREFUSED — check that the cluster is up and the context is right$/);
  });

  it('rejected credentials', async () => {
    const kubeconfig = double.kubeconfig({ namespace: 'shop', token: 'not-the-token' });
    const { default: factory } = await import('../../../adapters/kubernetes/index.js');
    const bad = await factory({ provider: { name: 'c', adapter: 'kubernetes', settings: { kubeconfig } }, configDir: '/', env: {}, debug: () => {} });
    const error = await failure(bad.read([{ service: 'web', target: 'deployment/web', extensions: {}, desired: {} }], { signal }));
    expect(error.message).toBe("the API server rejected the credentials of context double (401 Unauthorized) — refresh them with your cluster's login command");
    expect(error.message).not.toContain('not-the-token');
  });

  it('an unknown context names the contexts there are', async () => {
    const named = await adapterFor(double, { context: 'prod-eu' });
    const error = await failure(named.read([{ service: 'web', target: 'deployment/web', extensions: {}, desired: {} }], { signal }));
    expect(error.message).toMatch(/^context "prod-eu" is not in kubeconfig .*kubeconfig \(contexts: double\) — fix providers\.cluster\.context$/);
  });

  it('a missing kubeconfig: a wrong provider setting is to be fixed, KUBECONFIG or the default to be set', async () => {
    const { default: factory } = await import('../../../adapters/kubernetes/index.js');
    const read = (adapter: Adapter) => failure(adapter.read([{ service: 'web', target: 'deployment/web', extensions: {}, desired: {} }], { signal }));
    const dir = '/tmp/scalectl-no-such-dir';
    const named = await factory({ provider: { name: 'prod', adapter: 'kubernetes', settings: { kubeconfig: './kubeconfig' } }, configDir: dir, env: {}, debug: () => {} });
    const fromSetting = await read(named);
    expect(fromSetting.message).toMatch(/^cannot read kubeconfig \/tmp\/scalectl-no-such-dir\/kubeconfig: .*ENOENT.* — the file named by providers\.prod\.kubeconfig does not exist: fix the path$/);
    expect(fromSetting.message).not.toContain('or KUBECONFIG');
    const fromEnv = await factory({ provider: { name: 'prod', adapter: 'kubernetes', settings: {} }, configDir: dir, env: { KUBECONFIG: `${dir}/env-config` }, debug: () => {} });
    expect((await read(fromEnv)).message).toMatch(/^cannot read kubeconfig \/tmp\/scalectl-no-such-dir\/env-config: .* — set providers\.prod\.kubeconfig or KUBECONFIG$/);
    const fromHome = await factory({ provider: { name: 'prod', adapter: 'kubernetes', settings: {} }, configDir: dir, env: { HOME: dir }, debug: () => {} });
    expect((await read(fromHome)).message).toMatch(/^cannot read kubeconfig \/tmp\/scalectl-no-such-dir\/\.kube\/config: .* — set providers\.prod\.kubeconfig or KUBECONFIG$/);
  });
});

describe('per-target failures', () => {
  it('a missing target is an error on that target only', async () => {
    await seed(double, workload('Deployment', 'web', 'shop'));
    const results = await adapter.read([
      { service: 'web', target: 'deployment/web', extensions: {}, desired: { replicas: 1 } },
      { service: 'api', target: 'deployment/nope', extensions: {}, desired: { replicas: 1 } },
    ], { signal });
    expect(results[0].error).toBeUndefined();
    expect(results[1]).toMatchObject({ exists: false, error: 'deployment/nope in namespace shop (context double) not found — check target: and namespace (scalectl scales existing workloads; create it first)' });
    expect(results[1].fingerprint).toContain('deployment/nope@-');
  });

  it('a missing CRD: Knative targets error, KEDA-only fields are unsupported with the way out', async () => {
    double.crds.knative = false;
    double.crds.keda = false;
    const fresh = await adapterFor(double);
    await seed(double, workload('Deployment', 'web', 'shop'));
    const [ksvc, web] = await fresh.read([
      { service: 'fn', target: 'ksvc/fn', extensions: {}, desired: {} },
      { service: 'web', target: 'deployment/web', extensions: {}, desired: { autoscale: { min: 1, max: 3, schedules: [{ name: 'day', cron: '0 8 * * *', duration: '8h', min: 2 }] } } },
    ], { signal });
    expect(ksvc.error).toBe('Knative Serving (serving.knative.dev/v1) is not installed, so ksvc/fn in namespace shop (context double) cannot exist — install Knative Serving or target a deployment');
    const support = fresh.capabilities('deployment/web', web).fields['autoscale.schedules'];
    expect(support).toEqual({ support: 'unsupported', alternative: 'install KEDA (ScaledObject cron trigger)' });
    await fresh.close?.();
  });

  it('forbidden by RBAC', async () => {
    await seed(double, workload('Deployment', 'web', 'shop', { replicas: 1 }));
    double.forbid.push({ method: 'PATCH', resource: 'deployments/scale' });
    const service = serviceOf('web', 'deployment/web', { replicas: 3 });
    const change = changeOf(service, await readOne(adapter, service), adapter);
    const error = await failure(adapter.apply(change, { dryRun: false, signal }));
    expect(error.message).toBe('forbidden to patch deployment/web/scale in namespace shop (context double): RBAC denies it — grant "patch" on it to the user of context double');
    expect((error as AdapterError).retryable).toBe(false);
  });

  it('a value the API server refuses (422) names the field', async () => {
    double.crds.keda = false;
    const fresh = await adapterFor(double);
    await seed(double, workload('Deployment', 'web', 'shop'));
    const service = serviceOf('web', 'deployment/web', { autoscale: { min: 0, max: 3, metrics: [{ type: 'cpu', utilization: 50 }] } });
    const observed = await readOne(fresh, service);
    expect(observed.warnings).toContain('autoscale.min: 0 needs KEDA (or the HPAScaleToZero feature gate): the HPA will refuse minReplicas 0');
    const error = await failure(fresh.apply(changeOf(service, observed, fresh), { dryRun: false, signal }));
    expect(error.message).toBe('the API server refused to write HPA web in namespace shop (context double): HorizontalPodAutoscaler "web" is invalid: spec.minReplicas: Invalid value: 0: must be greater than or equal to 1');
    await fresh.close?.();
  });
});

describe('stale plans and foreign scalers', () => {
  it('a change made after the plan is a StalePlanError, never overwritten', async () => {
    await seed(double, workload('Deployment', 'web', 'shop', { replicas: 2 }));
    const service = serviceOf('web', 'deployment/web', { replicas: 5 });
    const change = changeOf(service, await readOne(adapter, service), adapter);
    const response = await fetch(`${double.url}/apis/apps/v1/namespaces/shop/deployments/web/scale`, {
      method: 'PATCH', headers: { authorization: `Bearer ${double.token}`, 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { replicas: 7 } }),
    });
    expect(response.status).toBe(200);
    const error = await failure(adapter.apply(change, { dryRun: false, signal }));
    expect(error).toBeInstanceOf(StalePlanError);
    expect(error.message).toMatch(/^deployment\/web\/scale in namespace shop \(context double\) changed since the plan \(generation 1 → 2\) — run scalectl plan again$/);
    expect(double.store.get(double.resource('apps', 'deployments'), 'shop', 'web')!.spec.replicas).toBe(7);
  });

  it('status-only updates (new resourceVersion, same generation) neither stale the plan nor block apply', async () => {
    await seed(double, workload('Deployment', 'web', 'shop', { replicas: 2 }));
    const service = serviceOf('web', 'deployment/web', { autoscale: { min: 2, max: 5 }, resources: { cpu: '1' } });
    const first = await adapter.apply(changeOf(service, await readOne(adapter, service), adapter), { dryRun: false, signal });
    expect(first.done).toHaveLength(2);
    const planned = await readOne(adapter, { ...service, spec: { ...service.spec, resources: { cpu: '2' } } });
    // Controllers write status: the objects get new resourceVersions, their specs do not change.
    for (const [group, resource] of [['autoscaling', 'horizontalpodautoscalers'], ['apps', 'deployments']]) {
      const def = double.resource(group, resource);
      const obj = double.store.get(def, 'shop', 'web')!;
      double.store.put(def, { ...obj, metadata: { ...obj.metadata, resourceVersion: double.store.nextVersion() } });
    }
    const later = { ...service, spec: { ...service.spec, resources: { cpu: '2' } } };
    expect((await readOne(adapter, later)).fingerprint.split(';')[1]).toBe(planned.fingerprint.split(';')[1]);
    const result = await adapter.apply(changeOf(later, planned, adapter), { dryRun: false, signal });
    expect(result.done).toEqual(['set resources of deployment/web container app (rolls the pods out)']);
  });

  it('an HPA scalectl did not create is left alone unless adopt: true', async () => {
    await seed(double, workload('Deployment', 'web', 'shop', { replicas: 2 }));
    await seed(double, {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web-hpa', namespace: 'shop' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 4 },
    });
    const service = serviceOf('web', 'deployment/web', { autoscale: { min: 2, max: 8, metrics: [{ type: 'cpu', utilization: 60 }] } });
    const observed = await readOne(adapter, service);
    expect(observed.spec.autoscale).toEqual({ min: 1, max: 4, metrics: [{ type: 'cpu', utilization: 80 }] }); // the server's default metric
    expect(observed.warnings).toContain('HorizontalPodAutoscaler web-hpa scales deployment/web but was not created by scalectl: apply leaves it alone unless x-kubernetes.adopt: true');
    const error = await failure(adapter.apply(changeOf(service, observed, adapter), { dryRun: false, signal }));
    expect(error.message).toBe('HPA web-hpa scales deployment/web in namespace shop (context double) but was not created by scalectl — set x-kubernetes.adopt: true to let scalectl manage it, or delete it');
    const adopting = serviceOf('web', 'deployment/web', service.spec, { kubernetes: { adopt: true } });
    const result = await adapter.apply(changeOf(adopting, await readOne(adapter, adopting), adapter), { dryRun: false, signal });
    // The done line names the live HPA that was adopted, not the target.
    expect(result.done).toEqual(['updated HPA web-hpa (min 2, max 8)']);
    const after = await readOne(adapter, adopting);
    expect(after.spec).toEqual(adopting.spec);
    expect(after.details).toMatchObject({ hpa: 'web-hpa', owner: 'scalectl' });
  });

  it('an aborted signal stops before the first step', async () => {
    await seed(double, knativeService('fn', 'shop'));
    const service = serviceOf('fn', 'ksvc/fn', { replicas: 2 });
    const change = changeOf(service, await readOne(adapter, service), adapter);
    const controller = new AbortController();
    controller.abort();
    const error = await failure(adapter.apply(change, { dryRun: false, signal: controller.signal }));
    expect(error.message).toBe('interrupted before: updated ksvc/fn revision template (new revision)');
    expect((error as AdapterError).done).toEqual([]);
  });
});
