// scalectl events on Kubernetes: the HPA changes the count there, so the command reads the HPA's
// conditions and the Events on the target and its HPA from the cluster (the API double).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterScaling, seed, startK8sDouble, WEB_ON_CPU, workload, type K8sDouble } from '../k8s-double/index.js';
import { scalectl } from '../support/cli.js';

const SCALING = clusterScaling(WEB_ON_CPU);

const event = (name: string, kind: string, object: string, reason: string, message: string, at: string) => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name, namespace: 'shop' },
  involvedObject: { kind, name: object, namespace: 'shop', apiVersion: kind === 'Deployment' ? 'apps/v1' : 'autoscaling/v2' },
  reason,
  message,
  type: 'Normal',
  source: { component: kind === 'Deployment' ? 'deployment-controller' : 'horizontal-pod-autoscaler' },
  firstTimestamp: at,
  lastTimestamp: at,
  count: 1,
});

describe('scalectl events on Kubernetes (API double)', () => {
  let double: K8sDouble;
  let dir: string;
  beforeAll(async () => {
    double = await startK8sDouble();
    dir = mkdtempSync(join(tmpdir(), 'scalectl-k8s-events-'));
    double.kubeconfig({ dir, namespace: 'default' });
    writeFileSync(join(dir, 'scaling.yaml'), SCALING);
    await seed(double, workload('Deployment', 'web', 'shop', { replicas: 1 }));
    expect((await scalectl(['apply', '--yes', '-q'], { cwd: dir })).exitCode).toBe(0);
    // What the HPA controller and the deployment controller record when the HPA scales 2 → 4.
    await seed(double, event('web.1', 'HorizontalPodAutoscaler', 'web', 'SuccessfulRescale', 'New size: 4; reason: cpu resource utilization (percentage of request) above target', '2026-11-28T06:00:00Z'));
    await seed(double, event('web.2', 'Deployment', 'web', 'ScalingReplicaSet', 'Scaled up replica set web-5d9c to 4 from 2', '2026-11-28T06:00:01Z'));
    await seed(double, event('other.1', 'Deployment', 'other', 'ScalingReplicaSet', 'Scaled up replica set other-1 to 9 from 1', '2026-11-28T06:00:02Z'));
  });
  afterAll(async () => {
    await double?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists the HPA conditions and the Events of the target and its HPA, not other objects', async () => {
    const result = await scalectl(['events', '--json'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    const events = JSON.parse(result.stdout).events as Array<{ service: string; actor: string; rule: string; reason: string; from: number | null; to: number | null }>;
    const rules = events.map((e) => e.rule);
    expect(rules).toEqual(expect.arrayContaining([
      'hpa/web AbleToScale=True',
      'hpa/web ScalingActive=True',
      'HorizontalPodAutoscaler/web SuccessfulRescale',
      'Deployment/web ScalingReplicaSet',
    ]));
    expect(rules.some((r) => r.startsWith('Deployment/other'))).toBe(false);
    const rescale = events.find((e) => e.rule === 'HorizontalPodAutoscaler/web SuccessfulRescale')!;
    expect(rescale).toMatchObject({ service: 'web', actor: 'hpa', to: 4, reason: 'New size: 4; reason: cpu resource utilization (percentage of request) above target' });
    expect(events.find((e) => e.rule === 'Deployment/web ScalingReplicaSet')).toMatchObject({ actor: 'kubernetes', to: 4 });
    // The apply that created the HPA raised the count through the HPA, not through replicas: no local event.
    expect(events.filter((e) => e.actor === 'apply')).toEqual([]);
  });

  it('prints them for people and filters by --since', async () => {
    const human = await scalectl(['events', 'web', '--since', '2026-11-28T06:00:01Z'], { cwd: dir });
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/^2026-11-28T06:00:01(\.000)?Z {2}web {2}\? → 4 {2}kubernetes {2}Deployment\/web ScalingReplicaSet {2}Scaled up replica set web-5d9c to 4 from 2$/m);
    expect(human.stdout).not.toContain('SuccessfulRescale');
  });
});
