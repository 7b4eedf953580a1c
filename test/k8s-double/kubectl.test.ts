// The double checked by an independent client: the real kubectl, discovery included.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { seed, startK8sDouble, workload, type K8sDouble } from './index.js';

const run = promisify(execFile);
let double: K8sDouble;
let kubeconfig: string;
let home: string;

async function kubectl(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), '--request-timeout', '10s', ...args], {
      env: { PATH: process.env.PATH, HOME: home },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

beforeAll(async () => {
  double = await startK8sDouble();
  home = mkdtempSync(join(tmpdir(), 'scalectl-kubectl-home-'));
  kubeconfig = double.kubeconfig({ namespace: 'shop', token: undefined });
  await seed(double, workload('Deployment', 'web', 'shop', { replicas: 2 }));
  await seed(double, workload('StatefulSet', 'db', 'shop', { replicas: 1 }));
  await seed(double, {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'shop' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] },
  });
});
afterAll(async () => double?.close());

describe('kubectl against the double', () => {
  it('lists deployments with the server-side table columns', async () => {
    const result = await kubectl('get', 'deploy');
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(lines[1].split(/\s+/).slice(0, 4)).toEqual(['web', '2/2', '2', '2']);
  });

  it('resolves short names through discovery (sts, hpa, ksvc, so)', async () => {
    expect((await kubectl('get', 'sts', 'db', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('1');
    expect((await kubectl('get', 'ksvc')).stderr).toContain('No resources found in shop namespace');
    expect((await kubectl('get', 'scaledobjects.keda.sh')).stderr).toContain('No resources found');
    expect((await kubectl('api-resources', '--api-group=keda.sh', '-o', 'name')).stdout.trim()).toBe('scaledobjects.keda.sh\ntriggerauthentications.keda.sh');
  });

  it('scales through the /scale subresource, and refuses a wrong --current-replicas', async () => {
    const scaled = await kubectl('scale', 'deploy/web', '--replicas=5');
    expect(scaled.stdout.trim()).toBe('deployment.apps/web scaled');
    expect((await kubectl('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('5');
    expect(double.requests.some((r) => r.method === 'PATCH' && r.path.startsWith('/apis/apps/v1/namespaces/shop/deployments/web/scale?'))).toBe(true);
    const refused = await kubectl('scale', 'deploy/web', '--current-replicas=3', '--replicas=4');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Expected replicas to be 3, was 5');
  });

  it('reports a missing object the way a cluster does', async () => {
    const result = await kubectl('get', 'deploy', 'nope');
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('Error from server (NotFound): deployments.apps "nope" not found');
  });

  it('prints an HPA as YAML with the server-applied defaults', async () => {
    const result = await kubectl('get', 'hpa', 'web', '-o', 'yaml');
    const hpa = parse(result.stdout);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(60);
    expect(hpa.status.currentReplicas).toBe(5);
  });

  it('hides CRDs that are not installed from discovery', async () => {
    double.crds.keda = false;
    try {
      home = mkdtempSync(join(tmpdir(), 'scalectl-kubectl-home-')); // a fresh discovery cache
      const result = await kubectl('get', 'scaledobjects');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`the server doesn't have a resource type "scaledobjects"`);
    } finally {
      double.crds.keda = true;
    }
  });
});
