// One source block, two readers: scalectl autoscale reads exactly the metadata a KEDA ScaledObject
// gets for it, and the ScaledObject read back gives the same block.
import { describe, expect, it } from 'vitest';
import { autoscaleFromScaledObject, renderScaledObject } from '../../adapters/kubernetes/keda.js';
import { parseTargetRef } from '../../adapters/kubernetes/target.js';
import type { Autoscale } from '../../src/config/model.js';
import { queueSource } from './helpers.js';

const autoscale: Autoscale = {
  min: 1,
  max: 10,
  metrics: [
    { type: 'queue', perInstance: 20, source: { kind: 'redis', connection: 'env:JOBS_REDIS', list: 'jobs' } },
    { type: 'queue', perInstance: 5, source: { kind: 'redis-streams', address: '127.0.0.1:6379', stream: 'events', group: 'workers' } },
    { type: 'queue', perInstance: 50, source: { kind: 'rabbitmq', connection: 'env:ORDERS_AMQP', queue: 'orders', excludeUnacknowledged: 'true' } },
    { type: 'external', value: 200, source: { kind: 'prometheus', serverAddress: 'http://127.0.0.1:9090', query: 'sum(rate(x[1m]))' } },
    { type: 'external', averageValue: 3, source: { kind: 'metrics-api', url: 'http://127.0.0.1:8080/stats', valueLocation: 'queue.depth' } },
  ],
};

describe('source keys are KEDA trigger metadata', () => {
  it('renders each source into the trigger KEDA expects, measuring what scalectl measures', () => {
    const so = renderScaledObject(parseTargetRef('deployment/worker'), 'worker', 'shop', autoscale);
    expect(so.spec.triggers).toEqual([
      { type: 'redis', metadata: { addressFromEnv: 'JOBS_REDIS', listName: 'jobs', listLength: '20' } },
      { type: 'redis-streams', metadata: { address: '127.0.0.1:6379', stream: 'events', consumerGroup: 'workers', lagCount: '5' } },
      { type: 'rabbitmq', metadata: { mode: 'QueueLength', hostFromEnv: 'ORDERS_AMQP', queueName: 'orders', excludeUnacknowledged: 'true', value: '50' } },
      { type: 'prometheus', metricType: 'Value', metadata: { serverAddress: 'http://127.0.0.1:9090', query: 'sum(rate(x[1m]))', threshold: '200' } },
      { type: 'metrics-api', metadata: { url: 'http://127.0.0.1:8080/stats', valueLocation: 'queue.depth', targetValue: '3' } },
    ]);
    // Read back, the ScaledObject gives the file's blocks again.
    expect(autoscaleFromScaledObject(so, autoscale).metrics).toEqual(autoscale.metrics);
  });

  it('scalectl autoscale opens the same blocks (and would read them from the same environment)', () => {
    const env = { JOBS_REDIS: '127.0.0.1:6379', ORDERS_AMQP: 'http://guest:guest@127.0.0.1:15672/' };
    const described = autoscale.metrics!.map((m) => queueSource((m as { source: Record<string, unknown> }).source, env).describe);
    expect(described).toEqual([
      'redis list jobs at 127.0.0.1:6379',
      'redis stream events group workers lag at 127.0.0.1:6379',
      'rabbitmq queue orders (ready messages) at 127.0.0.1:15672',
      'prometheus query "sum(rate(x[1m]))" at http://127.0.0.1:9090',
      'http://127.0.0.1:8080/stats (queue.depth)',
    ]);
  });
});
