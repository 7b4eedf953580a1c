// Opens the metric source behind one scaling.yaml metric. `source` blocks are translated to KEDA
// trigger metadata first (adapters/kubernetes/sources.ts), so a source reads exactly the keys a
// ScaledObject would get: one vocabulary for `scalectl autoscale` and KEDA.
import type { Metric } from '../../src/config/model.js';
import { toKedaMetadata } from '../kubernetes/sources.js';
import { commandSource } from './command.js';
import { httpSource } from './http.js';
import { prometheusSource } from './prometheus.js';
import { rabbitmqSource } from './rabbitmq.js';
import { redisSource } from './redis.js';
import { SourceError, type MetricSource, type SourceContext } from './types.js';

export { SourceError } from './types.js';
export type { MetricSource, SourceContext } from './types.js';

// Source kinds scalectl reads itself (plus Docker stats for cpu/memory on Docker targets).
export const READABLE_KINDS = ['redis', 'redis-streams', 'rabbitmq', 'prometheus', 'metrics-api', 'command'];

// The source of a queue/external metric; a SourceError when it cannot be read by scalectl.
export function openSource(metric: Metric, context: SourceContext): MetricSource {
  if (metric.type !== 'queue' && metric.type !== 'external') {
    throw new SourceError(`${metric.type} has no source scalectl reads here (cpu/memory come from Docker stats on Docker targets)`);
  }
  const source = metric.source ?? {};
  const kind = String(source.kind ?? '');
  if (kind === 'command') {
    return commandSource(Object.fromEntries(Object.entries(source).map(([k, v]) => [k, String(v)])), context);
  }
  if (!READABLE_KINDS.includes(kind)) {
    throw new SourceError(`source kind ${JSON.stringify(kind)} is not one scalectl autoscale reads (${READABLE_KINDS.join(', ')})`);
  }
  const metadata = toKedaMetadata(source);
  if (typeof metadata === 'string') throw new SourceError(metadata);
  if (kind === 'redis' || kind === 'redis-streams') return redisSource(kind, metadata, context);
  if (kind === 'rabbitmq') return rabbitmqSource(metadata, context);
  if (kind === 'prometheus') return prometheusSource(metadata, context);
  return httpSource(metadata, context);
}
