// Regression tests for the review of the Kubernetes adapter (Knative, KEDA sources, emit): one
// test per defect, each asserting the corrected behaviour.
import { describe, expect, it } from 'vitest';
import type { Adapter } from '../../../adapters/contract.js';
import { manifestsFor } from '../../../adapters/kubernetes/emit.js';
import { supportOf } from '../../../src/plan/fields.js';
import { knativeService, seed, workload, type K8sDouble } from '../../k8s-double/index.js';
import { cycle, readOne, serviceOf, useDouble } from './helpers.js';

let double: K8sDouble;
let adapter: Adapter;
const KSVC = ['serving.knative.dev', 'services'] as const;

useDouble((d, a) => {
  double = d;
  adapter = a;
});

describe('Knative Services', () => {
  it('a second scaling metric on a ksvc is unsupported; a concurrency limit may accompany one (item 5)', async () => {
    await seed(double, knativeService('fn', 'shop'));
    const two = serviceOf('fn', 'ksvc/fn', { autoscale: { min: 1, max: 5, metrics: [{ type: 'concurrency', target: 70, limit: 100 }, { type: 'rps', target: 150 }] } });
    const caps = adapter.capabilities(two.target, await readOne(adapter, two));
    expect(supportOf(caps, 'autoscale.metrics[rps].target')).toEqual({ support: 'unsupported', alternative: 'Knative scales on one metric: keep one (a concurrency limit may accompany it)' });
    expect(supportOf(caps, 'autoscale.metrics[concurrency].target').support).toBe('native');
    const withLimit = serviceOf('fn', 'ksvc/fn', { autoscale: { min: 1, max: 5, metrics: [{ type: 'rps', target: 150 }, { type: 'concurrency', limit: 50 }] } });
    const observed = await readOne(adapter, withLimit);
    expect(observed.details?.unsupported).toBeUndefined();
  });

  it('replicas: 0 on a ksvc is unsupported with the way out, never written as max-scale 0 (item 6)', async () => {
    await seed(double, knativeService('fn', 'shop'));
    const service = serviceOf('fn', 'ksvc/fn', { replicas: 0 });
    const support = supportOf(adapter.capabilities(service.target, await readOne(adapter, service)), 'replicas');
    expect(support.support).toBe('unsupported');
    expect(support.alternative).toContain('delete the route');
    const two = serviceOf('fn', 'ksvc/fn', { replicas: 2 });
    expect(supportOf(adapter.capabilities(two.target, await readOne(adapter, two)), 'replicas').support).toBe('native');
  });

  it('memory averageValue becomes the Mi target of the HPA class; memory utilization and cpu averageValue are unsupported (item 7)', async () => {
    await seed(double, knativeService('fn', 'shop'));
    const { second } = await cycle(adapter, serviceOf('fn', 'ksvc/fn', { autoscale: { min: 1, max: 5, metrics: [{ type: 'memory', averageValue: '1Gi' }] } }));
    const annotations = double.store.get(double.resource(...KSVC), 'shop', 'fn')!.spec.template.metadata.annotations;
    expect(annotations).toMatchObject({ 'autoscaling.knative.dev/class': 'hpa.autoscaling.knative.dev', 'autoscaling.knative.dev/metric': 'memory', 'autoscaling.knative.dev/target': '1024' });
    expect(second.changes).toEqual([]);
    const caps = adapter.capabilities('ksvc/fn');
    expect(supportOf(caps, 'autoscale.metrics[memory].utilization').support).toBe('unsupported');
    expect(supportOf(caps, 'autoscale.metrics[cpu].averageValue').support).toBe('unsupported');
    expect(supportOf(caps, 'autoscale.metrics[cpu].utilization').support).toBe('native');
  });
});

describe('KEDA trigger metadata (item 10)', () => {
  it('the example rabbitmq source becomes queueName / hostFromEnv / mode and reads back as written', async () => {
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    const service = serviceOf('worker', 'deployment/worker', { autoscale: { min: 0, max: 8, metrics: [{ type: 'queue', source: { kind: 'rabbitmq', queue: 'orders', connection: 'env:AMQP_URL' }, perInstance: 20 }], behavior: { toZero: { after: '5m' } } } });
    const { after, second } = await cycle(adapter, service);
    const triggers = double.store.get(double.resource('keda.sh', 'scaledobjects'), 'shop', 'worker')!.spec.triggers;
    expect(triggers).toEqual([{ type: 'rabbitmq', metadata: { mode: 'QueueLength', queueName: 'orders', hostFromEnv: 'AMQP_URL', value: '20' } }]);
    expect(after.spec).toEqual(service.spec);
    expect(second.changes).toEqual([]);
  });

  it('a source key scalectl cannot translate, or an unknown scaler without targetKey, is unsupported in the plan', async () => {
    await seed(double, workload('Deployment', 'worker', 'shop', { replicas: 1 }));
    for (const source of [{ kind: 'rabbitmq', queue: 'orders', colour: 'blue' }, { kind: 'sqs', queue: 'q' }, { kind: 'prometheus', query: 'up', connection: 'env:PROM' }]) {
      const service = serviceOf('worker', 'deployment/worker', { autoscale: { min: 0, max: 8, metrics: [{ type: 'queue', source, perInstance: 5 }] } });
      const support = supportOf(adapter.capabilities(service.target, await readOne(adapter, service)), 'autoscale.metrics[queue].source');
      expect(support.support, JSON.stringify(source)).toBe('unsupported');
      expect(support.alternative).toContain('set source.targetKey');
    }
    const known = serviceOf('worker', 'deployment/worker', { autoscale: { min: 0, max: 8, metrics: [{ type: 'queue', source: { kind: 'sqs', queue: 'q', targetKey: 'queueLength' }, perInstance: 5 }] } });
    expect(supportOf(adapter.capabilities(known.target, await readOne(adapter, known)), 'autoscale.metrics[queue].source').support).toBe('native');
  });
});

describe('plan --emit (item 12)', () => {
  it('leaves metadata.namespace out when neither x-kubernetes.namespace nor settings.namespace is set', () => {
    const docs = manifestsFor({ service: 'web', target: 'deployment/web', desired: { replicas: 2, resources: { cpu: '1' }, routing: { affinity: 'sticky' } }, extensions: {} }, { context: 'prod-eu' });
    const scaler = manifestsFor({ service: 'web', target: 'deployment/web', desired: { autoscale: { min: 1, max: 3 } }, extensions: {} }, {});
    for (const [file, doc] of [...docs, ...scaler]) expect(doc.metadata.namespace, file).toBeUndefined();
    const [[, named]] = manifestsFor({ service: 'web', target: 'deployment/web', desired: { autoscale: { min: 1, max: 3 } }, extensions: {} }, { namespace: 'shop' });
    expect(named.metadata.namespace).toBe('shop');
  });
});
