// End to end: the built CLI (bin/scalectl.js) plans, applies and shows a scaling.yaml whose
// provider is kubernetes, against the API double through a generated kubeconfig.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterProject, type ClusterProject, clusterScaling, type K8sDouble, knativeService, WEB_ON_CPU, workload } from '../../k8s-double/index.js';

let project: ClusterProject;
let double: K8sDouble;
let dir: string;

const SCALING = clusterScaling(`${WEB_ON_CPU}  db:
    target: statefulset/db
    replicas: 3
  fn:
    target: ksvc/fn
    autoscale:
      min: 1
      max: 4
      metrics: [{ type: concurrency, target: 50, limit: 80 }]
`);

const scalectl = async (...args: string[]) => project.cli(args);

beforeAll(async () => {
  project = await clusterProject({ scaling: SCALING, objects: [workload('Deployment', 'web', 'shop', { replicas: 1 }), workload('StatefulSet', 'db', 'shop', { replicas: 1 }), knativeService('fn', 'shop')], prefix: 'scalectl-k8s-e2e-' });
  ({ double, dir } = project);
});
afterAll(async () => project?.close());

describe('scalectl against a Kubernetes cluster (the API double)', () => {
  it('plan → apply → show → a second plan is empty', async () => {
    const first = await scalectl('plan', '--detailed-exitcode');
    expect(first.stderr).not.toContain(double.token);
    expect(first.code, first.stderr).toBe(2);
    expect(first.stdout).toContain('Plan: 3 to change');

    const applied = await scalectl('apply', '--yes');
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    const hpa = double.store.get(double.resource('autoscaling', 'horizontalpodautoscalers'), 'shop', 'web')!;
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([2, 6]);
    expect(double.store.get(double.resource('apps', 'statefulsets'), 'shop', 'db')!.spec.replicas).toBe(3);
    expect(double.store.get(double.resource('serving.knative.dev', 'services'), 'shop', 'fn')!.spec.template.spec.containerConcurrency).toBe(80);

    const shown = await scalectl('show');
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^web\s+cluster \(kubernetes\)\s+deployment\/web\s+autoscale \(cpu\)\s+2\/2\s+2\.\.6\s+in sync$/m);
    expect(shown.stdout).toMatch(/^db\s+cluster \(kubernetes\)\s+statefulset\/db\s+fixed\s+3\/3\s+-\s+in sync$/m);

    const verbose = await scalectl('-v', 'show');
    expect(verbose.stderr).toContain('kubernetes: context double, server http://127.0.0.1:');
    expect(verbose.stdout + verbose.stderr).not.toContain(double.token);

    const second = await scalectl('plan', '--detailed-exitcode');
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toContain('Plan: 0 to change');
  }, 60_000);

  it('plan --emit writes the manifests without touching the cluster', async () => {
    const before = double.requests.length;
    const out = join(dir, 'manifests');
    const emitted = await scalectl('plan', '--emit', out);
    expect(emitted.code, emitted.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['db-statefulset-patch.yaml', 'fn-ksvc-patch.yaml', 'web-hpa.yaml']);
    expect(double.requests.length).toBe(before);
  }, 60_000);
});
