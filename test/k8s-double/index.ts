// The Kubernetes API double: start it, seed objects, point a kubeconfig at it.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startK8sDouble, type DoubleOptions, type K8sDouble } from './server.js';
import type { Obj } from './resources.js';

export { startK8sDouble, type K8sDouble, type DoubleOptions, type RequestRecord } from './server.js';
export { writeKubeconfig, kubeconfigDocument, type KubeconfigOptions } from './kubeconfig.js';
export type { FaultKind, FaultOptions } from './faults.js';
export type { Obj } from './resources.js';

// A valid Deployment or StatefulSet manifest with one container named `app`.
export function workload(kind: 'Deployment' | 'StatefulSet', name: string, namespace: string, extra: { replicas?: number; resources?: Obj } = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas: extra.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      ...(kind === 'StatefulSet' ? { serviceName: name } : {}),
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'registry.local/app:1', ...(extra.resources ? { resources: extra.resources } : {}) }] },
      },
    },
  };
}

// A valid Knative Service manifest.
export function knativeService(name: string, namespace: string, annotations: Record<string, string> = {}): Obj {
  return {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { template: { metadata: { annotations }, spec: { containers: [{ image: 'registry.local/fn:1' }] } } },
  };
}

// A core v1 Service in front of a workload.
export function coreService(name: string, namespace: string): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
  };
}

// Creates an object through the double's HTTP API (validated like any client's), returns it.
export async function seed(double: K8sDouble, obj: Obj): Promise<Obj> {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const def = (await import('./resources.js')).RESOURCES.find((d) => d.group === group && d.version === version && d.kind === obj.kind);
  if (!def) throw new Error(`the double does not serve ${obj.apiVersion} ${obj.kind}`);
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const response = await fetch(`${double.url}${base}/namespaces/${obj.metadata.namespace}/${def.resource}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${double.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(obj),
  });
  const body = (await response.json()) as Obj;
  if (response.status !== 201) throw new Error(`seeding ${obj.kind} ${obj.metadata.name} failed: ${response.status} ${body.message}`);
  return body;
}

// A scaling.yaml whose services run on the API double's cluster (namespace shop, ./kubeconfig):
// `services` is the YAML under `services:`, indented two spaces.
export function clusterScaling(services: string): string {
  return `version: 1
providers:
  cluster: { adapter: kubernetes, kubeconfig: ./kubeconfig, namespace: shop }
defaults: { provider: cluster }
services:
${services}`;
}

// The `worker` Deployment scaled on a RabbitMQ queue whose URL takes its password from
// RABBIT_PASSWORD (a KEDA ScaledObject with a credential), as several tests declare it.
export const WORKER_ON_RABBIT = `  worker:
    target: deployment/worker
    autoscale:
      min: 1
      max: 10
      metrics:
        - type: queue
          source: { kind: rabbitmq, queue: orders, connection: "amqp://app:\${RABBIT_PASSWORD}@rabbit:5672/" }
          perInstance: 20
`;

// The `web` Deployment scaled on CPU, as several tests declare it.
export const WEB_ON_CPU = `  web:
    target: deployment/web
    autoscale:
      min: 2
      max: 6
      metrics: [{ type: cpu, utilization: 60 }]
`;


// A project folder for the built CLI against a fresh API double: scaling.yaml written, ./kubeconfig
// pointing at the double, the objects seeded. `cli` runs `scalectl -f scaling.yaml --no-color …` there
// (stdout and stderr apart, and together as `out`); `close` stops the double and removes the folder.
export interface ClusterProject {
  double: K8sDouble;
  dir: string;
  cli(args: string[], env?: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string; out: string }>;
  close(): Promise<void>;
}

export async function clusterProject(options: { scaling: string; objects: Obj[]; double?: DoubleOptions; prefix?: string }): Promise<ClusterProject> {
  const root = resolve(import.meta.dirname, '../..');
  const bin = join(root, 'bin', 'scalectl.js');
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('run `npm run build` first: the e2e tests run the built CLI');
  const double = await startK8sDouble(options.double);
  const dir = mkdtempSync(join(tmpdir(), options.prefix ?? 'scalectl-k8s-e2e-'));
  try {
    double.kubeconfig({ dir, namespace: 'default' });
    writeFileSync(join(dir, 'scaling.yaml'), options.scaling);
    for (const obj of options.objects) await seed(double, obj);
  } catch (error) {
    await double.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    double,
    dir,
    cli: (args, env = {}) =>
      new Promise((done) => {
        execFile(process.execPath, [bin, '-f', join(dir, 'scaling.yaml'), '--no-color', ...args], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, ...env } }, (error, stdout, stderr) => {
          done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr, out: stdout + stderr });
        });
      }),
    close: async () => {
      await double.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
