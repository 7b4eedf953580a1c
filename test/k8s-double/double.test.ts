// The double's REST semantics, exercised through the real @kubernetes/client-node over HTTP:
// patch content types, resourceVersion preconditions, 404/409/415/422, dry run, defaults, faults.
import * as k8s from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { canonicalQuantity } from './quantity.js';
import { seed, startK8sDouble, workload, type K8sDouble } from './index.js';

let double: K8sDouble;
let apps: k8s.AppsV1Api;
let hpas: k8s.AutoscalingV2Api;
let custom: k8s.CustomObjectsApi;
const ns = 'shop';

async function status(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code: number; body: string };
    return { code: e.code, message: JSON.parse(e.body).message };
  }
  throw new Error('expected the call to fail');
}
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const strategic = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
const apply = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply);

beforeAll(async () => {
  double = await startK8sDouble();
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(double.kubeconfig({ namespace: ns }));
  apps = kc.makeApiClient(k8s.AppsV1Api);
  hpas = kc.makeApiClient(k8s.AutoscalingV2Api);
  custom = kc.makeApiClient(k8s.CustomObjectsApi);
});
afterAll(async () => double?.close());
afterEach(() => {
  double.store.clear();
  double.setFaults(undefined);
});

describe('objects and resourceVersions', () => {
  it('creates, reads, and answers 409 AlreadyExists / 404 NotFound like the API server', async () => {
    const created = await apps.createNamespacedDeployment({ namespace: ns, body: workload('Deployment', 'web', ns) as k8s.V1Deployment });
    expect(created.metadata?.generation).toBe(1);
    expect(created.status?.readyReplicas).toBe(1);
    expect(await status(apps.createNamespacedDeployment({ namespace: ns, body: workload('Deployment', 'web', ns) as k8s.V1Deployment }))).toEqual({ code: 409, message: 'deployments.apps "web" already exists' });
    expect(await status(apps.readNamespacedDeployment({ name: 'nope', namespace: ns }))).toEqual({ code: 404, message: 'deployments.apps "nope" not found' });
  });

  it('a merge patch carrying a stale resourceVersion is a 409 Conflict; a fresh one bumps version and generation', async () => {
    const created = await seed(double, workload('Deployment', 'web', ns, { replicas: 2 }));
    const rv = created.metadata.resourceVersion;
    const scaled = await apps.patchNamespacedDeploymentScale({ name: 'web', namespace: ns, body: { metadata: { resourceVersion: rv }, spec: { replicas: 3 } } }, merge);
    expect(scaled.spec?.replicas).toBe(3);
    expect(Number(scaled.metadata?.resourceVersion)).toBeGreaterThan(Number(rv));
    const stale = await status(apps.patchNamespacedDeploymentScale({ name: 'web', namespace: ns, body: { metadata: { resourceVersion: rv }, spec: { replicas: 9 } } }, merge));
    expect(stale).toEqual({ code: 409, message: 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again' });
    const live = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    expect([live.spec?.replicas, live.metadata?.generation]).toEqual([3, 2]);
  });

  it('generation moves with spec changes only, and an object kept without one stays without', async () => {
    await seed(double, workload('Deployment', 'web', ns, { replicas: 2 }));
    const labelled = await apps.patchNamespacedDeployment({ name: 'web', namespace: ns, body: { metadata: { labels: { team: 'shop' } } } }, merge);
    expect(labelled.metadata?.generation).toBe(1);
    const scaled = await apps.patchNamespacedDeployment({ name: 'web', namespace: ns, body: { spec: { replicas: 3 } } }, merge);
    expect(scaled.metadata?.generation).toBe(2);
    const def = double.resource('apps', 'deployments');
    const { generation: _generation, ...metadata } = double.store.get(def, ns, 'web')!.metadata;
    double.store.put(def, { ...double.store.get(def, ns, 'web')!, metadata });
    const again = await apps.patchNamespacedDeployment({ name: 'web', namespace: ns, body: { spec: { replicas: 4 } } }, merge);
    expect([again.spec?.replicas, again.metadata?.generation]).toEqual([4, undefined]);
  });

  it('JSON Patch is the client default content type, and `test` ops guard it', async () => {
    await seed(double, workload('Deployment', 'web', ns, { replicas: 2 }));
    await apps.patchNamespacedDeployment({ name: 'web', namespace: ns, body: [{ op: 'test', path: '/spec/replicas', value: 2 }, { op: 'replace', path: '/spec/replicas', value: 4 }] });
    expect((await apps.readNamespacedDeployment({ name: 'web', namespace: ns })).spec?.replicas).toBe(4);
    const failed = await status(apps.patchNamespacedDeployment({ name: 'web', namespace: ns, body: [{ op: 'test', path: '/spec/replicas', value: 2 }] }));
    expect(failed).toEqual({ code: 422, message: 'testing value /spec/replicas failed' });
  });

  it('a strategic merge patch merges containers by name; CRDs refuse it with 415', async () => {
    await seed(double, workload('Deployment', 'web', ns));
    const body = { spec: { template: { spec: { containers: [{ name: 'app', resources: { requests: { cpu: '0.5' } } }] } } } };
    const patched = await apps.patchNamespacedDeployment({ name: 'web', namespace: ns, body }, strategic);
    const container = patched.spec!.template.spec!.containers[0];
    expect([container.image, container.resources?.requests?.cpu]).toEqual(['registry.local/app:1', '500m']);
    const so = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'web', namespace: ns }, spec: { scaleTargetRef: { name: 'web' }, triggers: [{ type: 'cpu', metadata: { value: '50' } }] } };
    await custom.createNamespacedCustomObject({ group: 'keda.sh', version: 'v1alpha1', namespace: ns, plural: 'scaledobjects', body: so });
    const refused = await status(custom.patchNamespacedCustomObject({ group: 'keda.sh', version: 'v1alpha1', namespace: ns, plural: 'scaledobjects', name: 'web', body: { spec: { maxReplicaCount: 5 } } }, strategic));
    expect(refused.code).toBe(415);
  });

  it('server-side apply creates, then removes the fields the manager stopped applying', async () => {
    const hpa = (metrics: object[]) => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: ns, labels: { team: 'a' } }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, metrics } });
    const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };
    await hpas.patchNamespacedHorizontalPodAutoscaler({ name: 'web', namespace: ns, body: hpa([cpu]), fieldManager: 'scalectl' }, apply);
    const { labels: _gone, ...noLabels } = hpa([cpu]).metadata;
    const second = await hpas.patchNamespacedHorizontalPodAutoscaler({ name: 'web', namespace: ns, body: { ...hpa([cpu]), metadata: noLabels }, fieldManager: 'scalectl' }, apply);
    expect(second.metadata?.labels).toBeUndefined();
    expect(await status(hpas.patchNamespacedHorizontalPodAutoscaler({ name: 'web', namespace: ns, body: hpa([cpu]) }, apply))).toMatchObject({ code: 422 });
  });
});

describe('validation, defaults and dry run', () => {
  it('every stored body is validated: schema errors and server rules answer 422', async () => {
    const bad = workload('Deployment', 'web', ns);
    bad.spec.replicas = 'three';
    await expect(seed(double, bad)).rejects.toThrow('seeding Deployment web failed: 422 Deployment "web" is invalid: data/spec/replicas must be integer');
    const mismatch = workload('Deployment', 'api', ns);
    mismatch.spec.template.metadata.labels = { app: 'other' };
    const answer = await status(apps.createNamespacedDeployment({ namespace: ns, body: mismatch as k8s.V1Deployment }));
    expect(answer.code).toBe(422);
    expect(answer.message).toContain('`selector` does not match template `labels`');
    await seed(double, workload('Deployment', 'web', ns));
    const negative = await status(apps.replaceNamespacedDeploymentScale({ name: 'web', namespace: ns, body: { metadata: { name: 'web' }, spec: { replicas: -1 } } }));
    expect(negative).toEqual({ code: 422, message: 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0' });
  });

  it('applies the HPA defaults of defaults.go and canonical quantities', async () => {
    const body = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: ns }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 4, behavior: { scaleUp: { tolerance: '0.05' } } } };
    const created = await hpas.createNamespacedHorizontalPodAutoscaler({ namespace: ns, body: body as k8s.V2HorizontalPodAutoscaler });
    expect(created.spec?.minReplicas).toBe(1);
    expect(created.spec?.metrics?.[0].resource?.target.averageUtilization).toBe(80);
    expect(created.spec?.behavior?.scaleUp?.policies?.map((p) => `${p.type}:${p.value}/${p.periodSeconds}`)).toEqual(['Pods:4/15', 'Percent:100/15']);
    expect(created.spec?.behavior?.scaleDown?.selectPolicy).toBe('Max');
    expect(created.spec?.behavior?.scaleUp?.tolerance).toBe('50m');
    expect(['0.5', '1024Mi', '1536Mi', '2000m', '1e3', '0'].map(canonicalQuantity)).toEqual(['500m', '1Gi', '1536Mi', '2', '1k', '0']);
  });

  it('prunes what an older CRD version does not know (double.older), Strict refuses it, and an upgrade keeps it', async () => {
    const body = (name: string) => ({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name, namespace: ns }, spec: { scaleTargetRef: { name: 'web' }, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } }], fallback: { failureThreshold: 3, replicas: 2 } } });
    const so = { group: 'keda.sh', version: 'v1alpha1', namespace: ns, plural: 'scaledobjects' };
    double.older.ScaledObject = ['spec.fallback'];
    try {
      const pruned = await custom.createNamespacedCustomObject({ ...so, body: body('old') }) as { spec: Record<string, unknown> };
      expect(pruned.spec.fallback).toBeUndefined();
      expect(await status(custom.createNamespacedCustomObject({ ...so, body: body('strict'), fieldValidation: 'Strict' }))).toEqual({ code: 400, message: 'strict decoding error: unknown field "spec.fallback"' });
    } finally {
      delete double.older.ScaledObject;
    }
    const kept = await custom.createNamespacedCustomObject({ ...so, body: body('new') }) as { spec: Record<string, unknown> };
    expect(kept.spec.fallback).toEqual({ failureThreshold: 3, replicas: 2 });
  });

  it('dryRun=All validates and answers, but stores nothing; other values are a 400', async () => {
    await seed(double, workload('Deployment', 'web', ns, { replicas: 2 }));
    const before = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    const dry = await apps.patchNamespacedDeploymentScale({ name: 'web', namespace: ns, body: { spec: { replicas: 7 } }, dryRun: 'All' }, merge);
    expect(dry.spec?.replicas).toBe(7);
    const after = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    expect([after.spec?.replicas, after.metadata?.resourceVersion]).toEqual([2, before.metadata?.resourceVersion]);
    expect((await status(apps.patchNamespacedDeploymentScale({ name: 'web', namespace: ns, body: { spec: { replicas: 7 } }, dryRun: 'Some' }, merge))).code).toBe(400);
  });
});

describe('fault injection', () => {
  it('fails the chosen share of calls with the chosen kinds, reproducibly', async () => {
    await seed(double, workload('Deployment', 'web', ns));
    const plan = double.setFaults({ rate: 0.5, kinds: ['500', '503'], seed: 3 })!;
    const codes: number[] = [];
    for (let i = 0; i < 40; i++) {
      codes.push(await apps.readNamespacedDeployment({ name: 'web', namespace: ns }).then(() => 200, (e) => e.code));
    }
    const failed = codes.filter((c) => c !== 200);
    expect(failed.length).toBe(plan.injected.length);
    expect(failed.length).toBeGreaterThan(10);
    expect(failed.length).toBeLessThan(30);
    expect(new Set(failed)).toEqual(new Set([500, 503]));
  });

  it('a lost write lands but answers 503', async () => {
    await seed(double, workload('Deployment', 'web', ns, { replicas: 1 }));
    double.setFaults({ rate: 1, kinds: ['lost'], methods: ['PATCH'] });
    const answer = await apps.patchNamespacedDeploymentScale({ name: 'web', namespace: ns, body: { spec: { replicas: 6 } } }, merge).then(() => 200, (e) => e.code);
    double.setFaults(undefined);
    expect(answer).toBe(503);
    expect((await apps.readNamespacedDeployment({ name: 'web', namespace: ns })).spec?.replicas).toBe(6);
  });
});

describe('Secrets and KEDA TriggerAuthentications', () => {
  it('a Secret\'s stringData is stored base64 in data; data that is not base64 and a bad TriggerAuthentication are refused', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(double.kubeconfig({ namespace: ns }));
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const created = await core.createNamespacedSecret({ namespace: ns, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { host: 'amqp://u:p@h/' } } });
    expect(created.data).toEqual({ host: Buffer.from('amqp://u:p@h/').toString('base64') });
    expect(created.stringData).toBeUndefined();
    expect(created.type).toBe('Opaque');
    expect((await core.readNamespacedSecret({ name: 'creds', namespace: ns })).data).toEqual(created.data);
    const bad = await status(core.createNamespacedSecret({ namespace: ns, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad' }, data: { host: 'not base64!' } } }));
    expect(bad.code).toBe(422);
    expect(bad.message).toContain('data/host must match format "byte"');
    const ta = { group: 'keda.sh', version: 'v1alpha1', plural: 'triggerauthentications', namespace: ns };
    await custom.createNamespacedCustomObject({ ...ta, body: { apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: 'creds' }, spec: { secretTargetRef: [{ parameter: 'host', name: 'creds', key: 'host' }] } } });
    const invalid = await status(custom.createNamespacedCustomObject({ ...ta, body: { apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name: 'x' }, spec: { secretTargetRef: [{ parameter: 'host' }] } } }));
    expect(invalid.code).toBe(422);
    expect(invalid.message).toContain('spec/secretTargetRef/0 must have required property key');
  });
});
