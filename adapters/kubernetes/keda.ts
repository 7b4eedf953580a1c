// scaling.yaml `autoscale` ↔ a KEDA keda.sh/v1alpha1 ScaledObject owned by scalectl:
// queue/external metrics as scaler triggers, schedules as cron triggers (which raise the minimum).
import type { Autoscale, Metric, Schedule, Weekday } from '../../src/config/model.js';
import { durationMs, formatDuration } from '../../src/config/duration.js';
import { behaviorFromHpa, behaviorToHpa } from './behavior.js';
import { ownedLabels, TOLERANCE_ANNOTATION } from './hpa.js';
import { fromKedaMetadata, toKedaMetadata } from './sources.js';
import type { TargetRef } from './target.js';
import { restoreCredentials } from './trigger-auth.js';

type Obj = Record<string, any>;

// Metadata keys of each scaler's per-instance target and activation threshold (KEDA scaler docs).
const SCALER_KEYS: Record<string, [string, string]> = {
  rabbitmq: ['value', 'activationValue'],
  kafka: ['lagThreshold', 'activationLagThreshold'],
  redis: ['listLength', 'activationListLength'],
  // Lag per consumer group: what scalectl autoscale measures for the same source.
  'redis-streams': ['lagCount', 'activationLagCount'],
  'metrics-api': ['targetValue', 'activationTargetValue'],
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

// A day-of-week field moved one day later ("5" → "6", "1-5" → "2-6", "6" → "0"); undefined
// when it is not plain numbers, ranges and lists.
function nextDays(field: string): string | undefined {
  if (field === '*') return '*';
  const days = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\d)(?:-(\d))?$/.exec(part);
    if (!match) return undefined;
    const [a, b] = [Number(match[1]), Number(match[2] ?? match[1])];
    if (a > 7 || b > 7 || b < a) return undefined;
    for (let d = a; d <= b; d++) days.add((d + 1) % 7);
  }
  return cronDays([...days].map((d) => DAYS[d]));
}

// A schedule as KEDA cron start/end expressions; undefined when cron cannot express it. A window
// that crosses midnight ends on the next day: the end's day-of-week moves by one.
export function scheduleToCron(schedule: Schedule): { start: string; end: string } | undefined {
  if (schedule.recurring) {
    const days = cronDays(schedule.recurring.days);
    const [sh, sm] = hhmm(schedule.recurring.start);
    const [eh, em] = hhmm(schedule.recurring.end);
    const overnight = eh * 60 + em <= sh * 60 + sm;
    const endDays = overnight ? nextDays(days) : days;
    return { start: `${sm} ${sh} * * ${days}`, end: `${em} ${eh} * * ${endDays}` };
  }
  if (schedule.cron && schedule.duration) {
    const fields = schedule.cron.trim().split(/\s+/);
    if (fields.length !== 5 || !/^\d+$/.test(fields[0]) || !/^\d+$/.test(fields[1])) return undefined;
    const startMinutes = Number(fields[1]) * 60 + Number(fields[0]);
    const durationMinutes = durationMs(schedule.duration) / 60_000;
    if (!Number.isInteger(durationMinutes) || durationMinutes <= 0 || durationMinutes >= 1440) return undefined;
    const endMinutes = startMinutes + durationMinutes;
    let [dom, month, dow] = fields.slice(2);
    if (endMinutes >= 1440 && dow !== '*') {
      // Crossing midnight on given weekdays: the end falls a day later, if the fields allow it.
      const shifted = dom === '*' && month === '*' ? nextDays(dow) : undefined;
      if (!shifted) return undefined;
      dow = shifted;
    } else if (endMinutes >= 1440 && (dom !== '*' || month !== '*')) return undefined;
    const end = endMinutes % 1440;
    return { start: schedule.cron, end: [end % 60, Math.floor(end / 60), dom, month, dow].join(' ') };
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
  const translated = toKedaMetadata(metric.source);
  if (typeof translated === 'string') throw new Error(translated);
  const metadata: Record<string, string> = { ...translated };
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
    metadata: {
      name: ref.name,
      namespace,
      labels: ownedLabels(service),
      // What scalectl wrote, for when the CRD prunes it (see spec.ts).
      ...(b?.tolerance !== undefined ? { annotations: { [TOLERANCE_ANNOTATION]: String(b.tolerance) } } : {}),
    },
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
  const sources = desired.filter((m) => (m.type === 'queue' || m.type === 'external') && m.source.kind === trigger.type) as
    { type: 'queue' | 'external'; source: Record<string, unknown> }[];
  const keysOf = (targetKey: unknown) => {
    const found = scalerOf({ kind: trigger.type, targetKey });
    return typeof found === 'string' ? undefined : found.keys;
  };
  const withoutTargets = (keys: [string, string]) => {
    const { [keys[0]]: _t, [keys[1]]: _a, ...rest } = (trigger.metadata ?? {}) as Record<string, string>;
    return rest;
  };
  // The desired metric this trigger renders (several may share a scaler kind).
  const wanted = sources.find((m) => {
    const keys = keysOf(m.source.targetKey);
    const rendered = toKedaMetadata(m.source);
    return keys && typeof rendered !== 'string' && sameMap(rendered, withoutTargets(keys));
  }) ?? sources[0];
  const keys = keysOf(wanted?.source.targetKey);
  if (!keys) return undefined;
  const { [keys[0]]: target, [keys[1]]: activation } = trigger.metadata ?? {};
  const rest = withoutTargets(keys);
  const rendered = wanted && toKedaMetadata(wanted.source);
  // Give back the file's own source when the trigger is what it renders to.
  const source: Record<string, unknown> = rendered && typeof rendered !== 'string' && sameMap(rendered, rest)
    ? { ...wanted.source }
    : { ...fromKedaMetadata(trigger.type, rest), ...(wanted?.source.targetKey !== undefined ? { targetKey: wanted.source.targetKey } : {}) };
  if (trigger.metricType === 'Value') return { type: 'external', source, value: Number(target) };
  if (wanted?.type === 'external') return { type: 'external', source, averageValue: Number(target) };
  return { type: 'queue', source, perInstance: Number(target), ...(activation !== undefined ? { activation: Number(activation) } : {}) };
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}

// What a ScaledObject means in scaling.yaml terms.
export function autoscaleFromScaledObject(live: Obj, desired: Autoscale | undefined): Autoscale {
  // Credentials scalectl moved to a Secret count as the values whose digests the object keeps.
  const candidates = (desired?.metrics ?? []).flatMap((m) => {
    const rendered = m.type === 'queue' || m.type === 'external' ? toKedaMetadata(m.source) : undefined;
    return rendered && typeof rendered !== 'string' ? Object.values(rendered) : [];
  });
  const spec = restoreCredentials(live, candidates).spec;
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
