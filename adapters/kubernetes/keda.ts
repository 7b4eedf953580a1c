// scaling.yaml `autoscale` ↔ a KEDA keda.sh/v1alpha1 ScaledObject owned by scalectl:
// queue/external metrics as scaler triggers, schedules as cron triggers (which raise the minimum).
import type { Autoscale, Metric, Schedule, Weekday } from '../../src/config/model.js';
import { durationMs, formatDuration } from '../../src/config/duration.js';
import { behaviorFromHpa, behaviorToHpa } from './behavior.js';
import { ownedLabels } from './hpa.js';
import type { TargetRef } from './target.js';

type Obj = Record<string, any>;

// Metadata keys of each scaler's per-instance target and activation threshold (KEDA scaler docs).
const SCALER_KEYS: Record<string, [string, string]> = {
  rabbitmq: ['value', 'activationValue'],
  kafka: ['lagThreshold', 'activationLagThreshold'],
  redis: ['listLength', 'activationListLength'],
  'redis-streams': ['pendingEntriesCount', 'activationLagCount'],
  'aws-sqs-queue': ['queueLength', 'activationQueueLength'],
  'azure-queue': ['queueLength', 'activationQueueLength'],
  'azure-servicebus': ['messageCount', 'activationMessageCount'],
  'gcp-pubsub': ['value', 'activationValue'],
  'nats-jetstream': ['lagThreshold', 'activationLagThreshold'],
  prometheus: ['threshold', 'activationThreshold'],
  postgresql: ['targetQueryValue', 'activationTargetQueryValue'],
  mysql: ['queryValue', 'activationQueryValue'],
};

// The trigger `type` and the metadata keys for a source, or an error naming what is missing.
export function scalerOf(source: Record<string, unknown>): { type: string; keys: [string, string] } | string {
  const type = String(source.kind ?? '');
  const keys = SCALER_KEYS[type] ?? (typeof source.targetKey === 'string' ? [source.targetKey, `activation${source.targetKey[0].toUpperCase()}${source.targetKey.slice(1)}`] : undefined);
  if (!keys) return `KEDA scaler "${type}" is not known to scalectl: set source.targetKey to the scaler's threshold key (e.g. "value")`;
  return { type, keys: keys as [string, string] };
}

const DAYS: Weekday[] = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

// Day-of-week field: "*" for every day, ranges where consecutive ("1-5"), else a list.
function cronDays(days: Weekday[]): string {
  const numbers = [...new Set(days.map((d) => DAYS.indexOf(d)))].sort((a, b) => a - b);
  if (numbers.length === 7) return '*';
  const parts: string[] = [];
  for (let i = 0; i < numbers.length; i++) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j++;
    parts.push(j - i >= 2 ? `${numbers[i]}-${numbers[j]}` : numbers.slice(i, j + 1).join(','));
    i = j;
  }
  return parts.join(',');
}

function hhmm(text: string): [number, number] {
  const [h, m] = text.split(':').map(Number);
  return [h, m];
}

// A schedule as KEDA cron start/end expressions; undefined when cron cannot express it.
export function scheduleToCron(schedule: Schedule): { start: string; end: string } | undefined {
  if (schedule.recurring) {
    const days = cronDays(schedule.recurring.days);
    const [sh, sm] = hhmm(schedule.recurring.start);
    const [eh, em] = hhmm(schedule.recurring.end);
    return { start: `${sm} ${sh} * * ${days}`, end: `${em} ${eh} * * ${days}` };
  }
  if (schedule.cron && schedule.duration) {
    const fields = schedule.cron.trim().split(/\s+/);
    if (fields.length !== 5 || !/^\d+$/.test(fields[0]) || !/^\d+$/.test(fields[1])) return undefined;
    const startMinutes = Number(fields[1]) * 60 + Number(fields[0]);
    const endMinutes = (startMinutes + durationMs(schedule.duration) / 60_000) % 1440;
    if (!Number.isInteger(endMinutes) || durationMs(schedule.duration) >= 86_400_000) return undefined;
    return { start: schedule.cron, end: [endMinutes % 60, Math.floor(endMinutes / 60), ...fields.slice(2)].join(' ') };
  }
  return undefined;
}

function cronToSchedule(name: string, meta: Obj, desired: Schedule | undefined): Schedule {
  const [sm, sh, , , sdow] = String(meta.start).split(/\s+/);
  const [em, eh] = String(meta.end).split(/\s+/);
  const out: Schedule = { name };
  const pad = (h: string, m: string) => `${h.padStart(2, '0')}:${m.padStart(2, '0')}`;
  if (desired?.cron) {
    out.cron = meta.start;
    const minutes = ((Number(eh) * 60 + Number(em)) - (Number(sh) * 60 + Number(sm)) + 1440) % 1440;
    out.duration = formatDuration(minutes * 60_000);
  } else {
    const days = (sdow === '*' ? '0-6' : sdow).split(',').flatMap((part) => {
      const [a, b] = part.split('-').map(Number);
      return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
    });
    const live = days.map((d) => DAYS[d % 7]);
    const wanted = desired?.recurring?.days;
    const sameSet = wanted && wanted.length === live.length && wanted.every((d) => live.includes(d));
    out.recurring = { days: sameSet ? wanted : live, start: pad(sh, sm), end: pad(eh, em) };
  }
  if (meta.timezone && (desired?.timezone !== undefined || meta.timezone !== 'Etc/UTC')) out.timezone = meta.timezone;
  out.min = Number(meta.desiredReplicas);
  return out;
}

function metricToTrigger(metric: Metric): Obj | undefined {
  if (metric.type === 'cpu' || metric.type === 'memory') {
    const utilization = metric.utilization !== undefined;
    return { type: metric.type, metricType: utilization ? 'Utilization' : 'AverageValue', metadata: { value: String(utilization ? metric.utilization : metric.averageValue) } };
  }
  if (metric.type !== 'queue' && metric.type !== 'external') return undefined;
  const scaler = scalerOf(metric.source);
  if (typeof scaler === 'string') throw new Error(scaler);
  const { kind: _kind, targetKey: _key, ...rest } = metric.source;
  const metadata: Record<string, string> = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)]));
  if (metric.type === 'queue') {
    metadata[scaler.keys[0]] = String(metric.perInstance);
    if (metric.activation !== undefined) metadata[scaler.keys[1]] = String(metric.activation);
    return { type: scaler.type, metadata }; // metricType AverageValue is KEDA's default
  }
  metadata[scaler.keys[0]] = String(metric.value ?? metric.averageValue);
  return { type: scaler.type, ...(metric.value !== undefined ? { metricType: 'Value' } : {}), metadata };
}

// The ScaledObject manifest that makes `autoscale` true for a target.
export function renderScaledObject(ref: TargetRef, service: string, namespace: string, autoscale: Autoscale): Obj {
  const triggers = (autoscale.metrics ?? []).map(metricToTrigger).filter(Boolean) as Obj[];
  for (const schedule of autoscale.schedules ?? []) {
    const cron = scheduleToCron(schedule);
    if (!cron) throw new Error(`schedule "${schedule.name}" cannot be a KEDA cron trigger: use recurring days/start/end or a 5-field cron with a duration under 24h`);
    triggers.push({ type: 'cron', name: schedule.name, metadata: { timezone: schedule.timezone ?? 'Etc/UTC', ...cron, desiredReplicas: String(schedule.min ?? autoscale.min) } });
  }
  const behavior = behaviorToHpa(autoscale.behavior);
  const b = autoscale.behavior;
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: ref.name, namespace, labels: ownedLabels(service) },
    spec: {
      scaleTargetRef: { apiVersion: ref.apiVersion, kind: ref.apiKind, name: ref.name },
      minReplicaCount: autoscale.min,
      maxReplicaCount: autoscale.max,
      ...(b?.evaluationInterval ? { pollingInterval: Math.round(durationMs(b.evaluationInterval) / 1000) } : {}),
      ...(b?.toZero?.after ? { cooldownPeriod: Math.round(durationMs(b.toZero.after) / 1000) } : {}),
      ...(autoscale.fallback ? { fallback: { failureThreshold: autoscale.fallback.after ?? 3, replicas: autoscale.fallback.replicas } } : {}),
      ...(behavior ? { advanced: { horizontalPodAutoscalerConfig: { behavior } } } : {}),
      triggers,
    },
  };
}

function triggerToMetric(trigger: Obj, desired: Metric[]): Metric | undefined {
  if (trigger.type === 'cpu' || trigger.type === 'memory') {
    const value = trigger.metadata?.value;
    return trigger.metricType === 'Utilization' ? { type: trigger.type, utilization: Number(value) } : { type: trigger.type, averageValue: value };
  }
  const scaler = scalerOf({ kind: trigger.type });
  const wanted = desired.find((m) => (m.type === 'queue' || m.type === 'external') && m.source.kind === trigger.type) as
    | { type: 'queue' | 'external'; source: Record<string, unknown> } | undefined;
  const keys = typeof scaler === 'string' ? scalerOf({ kind: trigger.type, targetKey: wanted?.source.targetKey }) : scaler;
  if (typeof keys === 'string') return undefined;
  const { [keys.keys[0]]: target, [keys.keys[1]]: activation, ...rest } = trigger.metadata ?? {};
  // Metadata values are strings; give back the file's own spelling when the value is the same.
  const source: Record<string, unknown> = { kind: trigger.type };
  for (const [k, v] of Object.entries(rest)) source[k] = wanted && String(wanted.source[k]) === v ? wanted.source[k] : v;
  if (wanted?.source.targetKey !== undefined) source.targetKey = wanted.source.targetKey;
  if (trigger.metricType === 'Value') return { type: 'external', source, value: Number(target) };
  if (wanted?.type === 'external') return { type: 'external', source, averageValue: Number(target) };
  return { type: 'queue', source, perInstance: Number(target), ...(activation !== undefined ? { activation: Number(activation) } : {}) };
}

// What a ScaledObject means in scaling.yaml terms.
export function autoscaleFromScaledObject(so: Obj, desired: Autoscale | undefined): Autoscale {
  const spec = so.spec;
  const out: Autoscale = { min: spec.minReplicaCount ?? 0, max: spec.maxReplicaCount ?? 100 };
  const metrics = (spec.triggers ?? []).filter((t: Obj) => t.type !== 'cron').map((t: Obj) => triggerToMetric(t, desired?.metrics ?? [])).filter(Boolean);
  if (metrics.length) out.metrics = metrics;
  const behavior = behaviorFromHpa(spec.advanced?.horizontalPodAutoscalerConfig?.behavior, desired?.behavior) ?? {};
  if (spec.pollingInterval !== undefined) behavior.evaluationInterval = formatDuration(spec.pollingInterval * 1000);
  if (spec.cooldownPeriod !== undefined) behavior.toZero = { after: formatDuration(spec.cooldownPeriod * 1000) };
  if (Object.keys(behavior).length) out.behavior = behavior;
  if (spec.fallback) out.fallback = { ...(desired?.fallback?.after !== undefined || spec.fallback.failureThreshold !== 3 ? { after: spec.fallback.failureThreshold } : {}), replicas: spec.fallback.replicas };
  const schedules = (spec.triggers ?? []).filter((t: Obj) => t.type === 'cron')
    .map((t: Obj, i: number) => {
      const name = t.name ?? `cron-${i + 1}`;
      return cronToSchedule(name, t.metadata, desired?.schedules?.find((s) => s.name === name));
    });
  if (schedules.length) out.schedules = schedules;
  if (desired?.combine === 'max') out.combine = 'max';
  return out;
}
