// The built CLI against servers that behave like real ones: the plan names another owner of
// spec.replicas, and an old cluster's plan names its version.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startK8sDouble, workload, type K8sDouble } from '../../k8s-double/index.js';
import { scalectl } from '../../support/cli.js';

const SCALING = 'version: 1\nproviders:\n  cluster: { adapter: kubernetes, kubeconfig: ./kubeconfig, namespace: shop }\ndefaults: { provider: cluster }\nservices:\n  web: { target: deployment/web, replicas: 4 }\n';

let double: K8sDouble | undefined;
let dir: string | undefined;
afterEach(async () => {
  await double?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function setUp(options: Parameters<typeof startK8sDouble>[0] = {}): Promise<K8sDouble> {
  double = await startK8sDouble(options);
  dir = mkdtempSync(join(tmpdir(), 'scalectl-k8s-real-'));
  double.kubeconfig({ dir, namespace: 'default' });
  writeFileSync(join(dir, 'scaling.yaml'), SCALING);
  return double;
}

describe('plan against servers that behave like real ones', () => {
  it('names a GitOps manager that owns spec.replicas through server-side apply', async () => {
    const d = await setUp();
    const response = await fetch(`${d.url}/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=argocd-controller`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${d.token}`, 'content-type': 'application/apply-patch+yaml' },
      body: JSON.stringify(workload('Deployment', 'web', 'shop', { replicas: 2 })),
    });
    expect(response.status).toBe(201);
    const plan = await scalectl(['plan', '--no-color'], { cwd: dir! });
    expect(plan.stdout + plan.stderr).toContain('deployment/web spec.replicas is also managed by "argocd-controller" (server-side apply');
    const applied = await scalectl(['apply', '--yes', '--no-color'], { cwd: dir! });
    expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
    const owners = d.store.get(d.resource('apps', 'deployments'), 'shop', 'web')!.metadata.managedFields as Array<{ manager: string; subresource?: string }>;
    expect(owners.find((o) => o.subresource === 'scale')?.manager).toBe('scalectl');
  }, 60_000);

  it('an old cluster (1.22) is an error naming its version', async () => {
    await setUp({ minor: 22 });
    const plan = await scalectl(['plan', '--no-color'], { cwd: dir! });
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout + plan.stderr).toContain('runs Kubernetes v1.22.0-scalectl-double, which does not serve autoscaling/v2 (GA in 1.23)');
  }, 60_000);
});
