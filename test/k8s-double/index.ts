// The Kubernetes API double: start it, seed objects, point a kubeconfig at it.
import type { K8sDouble } from './server.js';
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

// The `web` Deployment scaled on CPU, as several tests declare it.
export const WEB_ON_CPU = `  web:
    target: deployment/web
    autoscale:
      min: 2
      max: 6
      metrics: [{ type: cpu, utilization: 60 }]
`;

