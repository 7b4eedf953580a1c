// What a target cannot express that only the desired spec reveals: schedules KEDA cron cannot
// write, sources KEDA cannot take, a second scaling metric or `replicas: 0` on a ksvc. `read`
// lists the field keys in details.unsupported; capabilities turn them into unsupported fields.
import type { FieldSupport } from '../contract.js';
import type { ServiceSpec } from '../../src/config/model.js';
import { scheduleToCron, scalerOf } from './keda.js';
import { TRANSLATED_SCALERS, untranslatable } from './sources.js';
import type { TargetKind } from './target.js';

// Field keys the desired spec uses but this target (and backend) cannot express.
export function unsupportedKeys(kind: TargetKind, desired: ServiceSpec, keda: boolean): string[] {
  const keys: string[] = [];
  const auto = desired.autoscale;
  if (kind === 'ksvc') {
    if (desired.replicas === 0) keys.push('replicas');
    // Knative scales on one metric; a concurrency limit (containerConcurrency) may accompany it.
    const scaling = (auto?.metrics ?? []).filter((m) => m.type !== 'concurrency' || m.target !== undefined || m.utilization !== undefined);
    for (const extra of scaling.slice(1)) keys.push(`autoscale.metrics[${extra.type}]`);
    return [...new Set(keys)];
  }
  if (!keda || !auto) return keys;
  for (const schedule of auto.schedules ?? []) {
    if (!scheduleToCron(schedule)) keys.push(`autoscale.schedules[${schedule.name}]`);
  }
  for (const metric of auto.metrics ?? []) {
    if (metric.type !== 'queue' && metric.type !== 'external') continue;
    if (typeof scalerOf(metric.source) === 'string' || untranslatable(metric.source)) keys.push(`autoscale.metrics[${metric.type}].source`);
  }
  return [...new Set(keys)];
}

// The support of one key unsupportedKeys returned.
export function limitSupport(key: string, kind: TargetKind | undefined): FieldSupport {
  const no = (alternative: string): FieldSupport => ({ support: 'unsupported', alternative });
  if (kind === 'ksvc' && key === 'replicas') {
    return no('Knative reads max-scale 0 as "no limit": delete the route (or the Service) to stop it, or use autoscale with min 0 to scale to zero when idle');
  }
  if (kind === 'ksvc') return no('Knative scales on one metric: keep one (a concurrency limit may accompany it)');
  if (key.startsWith('autoscale.schedules[')) {
    return no('a KEDA cron trigger needs recurring days/start/end, or a 5-field cron with a fixed minute and hour, a duration under 24h, and — when the window crosses midnight — a plain day-of-week with day-of-month and month "*"');
  }
  return no(`KEDA needs its own metadata: use a source kind scalectl translates (${TRANSLATED_SCALERS.join(', ')}) with its keys, or write KEDA's metadata keys and set source.targetKey`);
}
