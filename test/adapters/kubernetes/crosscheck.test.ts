// Cross-check: what scalectl produces for a scaling.yaml equals hand-written manifests taken from
// each project's documentation, both as emitted YAML and as stored by the API double after apply.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Adapter } from '../../../adapters/contract.js';
import { emitManifests } from '../../../adapters/kubernetes/emit.js';
import type { ServiceSpec } from '../../../src/config/model.js';
import { knativeService, seed, startK8sDouble, workload, type K8sDouble } from '../../k8s-double/index.js';
import { adapterFor, cycle, serviceOf } from './helpers.js';

// kubernetes.io, "Horizontal Pod Autoscaling" → walkthrough (php-apache) and "Default Behavior".
const HPA_DOC = parse(`
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: php-apache
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: php-apache
  minReplicas: 1
  maxReplicas: 10
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 50
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 300
      policies:
      - type: Percent
        value: 100
        periodSeconds: 15
    scaleUp:
      stabilizationWindowSeconds: 0
      policies:
      - type: Percent
        value: 100
        periodSeconds: 15
      - type: Pods
        value: 4
        periodSeconds: 15
      selectPolicy: Max
`);
const HPA_SPEC: ServiceSpec = {
  autoscale: {
    min: 1, max: 10, metrics: [{ type: 'cpu', utilization: 50 }],
    behavior: {
      scaleDown: { stabilization: '5m', policies: [{ percent: 100, period: '15s' }] },
      scaleUp: { stabilization: '0s', policies: [{ percent: 100, period: '15s' }, { pods: 4, period: '15s' }], select: 'max' },
    },
  },
};

// keda.sh docs: "ScaledObject specification" (defaults spelled out), scalers "Cron" and "RabbitMQ Queue".
// Two deliberate differences: the cron trigger carries `name` (scalectl reads schedules back by it),
// and the RabbitMQ value is "20" where the doc example has "100.50".
const SCALEDOBJECT_DOC = parse(`
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: worker
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: worker
  pollingInterval: 30
  cooldownPeriod: 300
  minReplicaCount: 0
  maxReplicaCount: 100
  fallback:
    failureThreshold: 3
    replicas: 6
  advanced:
    horizontalPodAutoscalerConfig:
      behavior:
        scaleDown:
          stabilizationWindowSeconds: 300
          policies:
          - type: Percent
            value: 100
            periodSeconds: 15
  triggers:
  - type: rabbitmq
    metadata:
      host: amqp://localhost:5672/vhost
      protocol: auto
      mode: QueueLength
      value: "20"
      activationValue: "10.5"
      queueName: testqueue
  - type: cron
    name: office-hours
    metadata:
      timezone: Asia/Kolkata
      start: 0 6 * * *
      end: 0 20 * * *
      desiredReplicas: "10"
`);
const KEDA_SPEC: ServiceSpec = {
  autoscale: {
    min: 0, max: 100,
    metrics: [{ type: 'queue', source: { kind: 'rabbitmq', host: 'amqp://localhost:5672/vhost', protocol: 'auto', mode: 'QueueLength', queueName: 'testqueue' }, perInstance: 20, activation: 10.5 }],
    behavior: { evaluationInterval: '30s', toZero: { after: '5m' }, scaleDown: { stabilization: '5m', policies: [{ percent: 100, period: '15s' }] } },
    fallback: { after: 3, replicas: 6 },
    schedules: [{ name: 'office-hours', cron: '0 6 * * *', duration: '14h', timezone: 'Asia/Kolkata', min: 10 }],
  },
};

// knative.dev docs: "Configuring metrics" (rps, target 150), "Configuring concurrency"
// (containerConcurrency 50), "Configuring scale bounds" (min-scale / max-scale), "Request timeout".
const KNATIVE_DOC = parse(`
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: helloworld-go
  namespace: default
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/metric: "rps"
        autoscaling.knative.dev/target: "150"
        autoscaling.knative.dev/min-scale: "3"
        autoscaling.knative.dev/max-scale: "5"
    spec:
      containerConcurrency: 50
      timeoutSeconds: 300
`);
const KNATIVE_SPEC: ServiceSpec = {
  autoscale: { min: 3, max: 5, metrics: [{ type: 'rps', target: 150 }, { type: 'concurrency', limit: 50 }] },
  traffic: { requestTimeout: '5m' },
};

const dir = mkdtempSync(join(tmpdir(), 'scalectl-emit-'));
async function emitted(service: string, target: string, spec: ServiceSpec, settings: Record<string, unknown> = {}) {
  const paths = await emitManifests([{ service, target, desired: spec, extensions: {} }], { namespace: 'default', ...settings }, dir);
  return paths.map((p) => ({ file: p.slice(dir.length + 1), doc: parse(readFileSync(p, 'utf8')) }));
}

describe('emitted manifests equal the documented ones', () => {
  it('HPA (kubernetes.io walkthrough + default behavior)', async () => {
    const [hpa] = await emitted('php-apache', 'deployment/php-apache', HPA_SPEC, { keda: false });
    expect(hpa.file).toBe('php-apache-hpa.yaml');
    expect(hpa.doc.spec).toEqual(HPA_DOC.spec);
    expect(hpa.doc.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'scalectl', 'scalectl.dev/service': 'php-apache' });
  });

  it('KEDA ScaledObject (spec reference, cron and rabbitmq scalers)', async () => {
    const [so] = await emitted('worker', 'deployment/worker', KEDA_SPEC);
    expect(so.file).toBe('worker-scaledobject.yaml');
    expect(so.doc.spec).toEqual(SCALEDOBJECT_DOC.spec);
  });

  it('Knative annotations and revision fields', async () => {
    const [ksvc] = await emitted('hello', 'ksvc/helloworld-go', KNATIVE_SPEC);
    expect(ksvc.doc.spec.template.metadata.annotations).toEqual(KNATIVE_DOC.spec.template.metadata.annotations);
    expect(ksvc.doc.spec.template.spec).toEqual(KNATIVE_DOC.spec.template.spec);
  });
});

describe('applied objects equal the documented ones (and pass the schemas)', () => {
  let double: K8sDouble;
  let adapter: Adapter;
  beforeAll(async () => {
    double = await startK8sDouble();
    adapter = await adapterFor(double);
  });
  afterAll(async () => {
    await adapter?.close?.();
    await double?.close();
  });

  it('HPA', async () => {
    await seed(double, workload('Deployment', 'php-apache', 'shop'));
    const { second } = await cycle(adapter, serviceOf('php-apache', 'deployment/php-apache', HPA_SPEC));
    expect(second.changes).toEqual([]);
    const stored = double.store.get(double.resource('autoscaling', 'horizontalpodautoscalers'), 'shop', 'php-apache')!;
    // The API server fills scaleDown.selectPolicy (defaults.go); everything else is as documented.
    const withDefaults = structuredClone(HPA_DOC.spec);
    withDefaults.behavior.scaleDown.selectPolicy = 'Max';
    expect(stored.spec).toEqual(withDefaults);
  });

  it('ScaledObject, read back to the same scaling.yaml', async () => {
    await seed(double, workload('Deployment', 'worker', 'shop'));
    const { result, after, second } = await cycle(adapter, serviceOf('worker', 'deployment/worker', KEDA_SPEC));
    expect(result.done).toEqual(['created ScaledObject worker (min 0, max 100)']);
    expect(after.spec).toEqual(KEDA_SPEC);
    expect(second.changes).toEqual([]);
    const stored = double.store.get(double.resource('keda.sh', 'scaledobjects'), 'shop', 'worker')!;
    expect(stored.spec).toEqual(SCALEDOBJECT_DOC.spec);
  });

  it('Knative Service', async () => {
    await seed(double, knativeService('helloworld-go', 'shop'));
    const { second } = await cycle(adapter, serviceOf('hello', 'ksvc/helloworld-go', KNATIVE_SPEC));
    expect(second.changes).toEqual([]);
    const stored = double.store.get(double.resource('serving.knative.dev', 'services'), 'shop', 'helloworld-go')!;
    expect(stored.spec.template.metadata.annotations).toEqual(KNATIVE_DOC.spec.template.metadata.annotations);
    expect(stored.spec.template.spec).toMatchObject(KNATIVE_DOC.spec.template.spec);
  });
});
