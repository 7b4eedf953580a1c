// scaling.yaml `autoscale` ↔ an autoscaling/v2 HorizontalPodAutoscaler owned by scalectl.
import { createHash } from 'node:crypto';
import type { Autoscale, Metric } from '../../src/config/model.js';
import { behaviorFromHpa, behaviorToHpa } from './behavior.js';
import { inDesiredSpelling, quantityValue } from './quantity.js';
import type { Extensions, TargetRef } from './target.js';
import { sealSource } from './trigger-auth.js';
import { sameValue } from '../../src/plan/fields.js';

type Obj = Record<string, any>;

// The label (and value) marking objects scalectl created and so may change.
export const MANAGED_BY = 'app.kubernetes.io/managed-by';
// The label naming the scaling.yaml service an object belongs to.
export const SERVICE_LABEL = 'scalectl.dev/service';
/** Where an HPA keeps the scaling.yaml `source` of its External metrics (the API has no field for it). */
export const SOURCES_ANNOTATION = 'scalectl.dev/metric-sources';
/** The tolerance scalectl wrote: servers without HPAConfigurableTolerance drop the field itself. */
export const TOLERANCE_ANNOTATION = 'scalectl.dev/tolerance';

// Labels marking an object as created (and so owned) by scalectl for one service.
export function ownedLabels(service: string): Record<string, string> {
  return { [MANAGED_BY]: 'scalectl', [SERVICE_LABEL]: service.slice(0, 63) };
}

// True when scalectl created this object.
export function isOwned(obj: Obj | undefined): boolean {
  return obj?.metadata?.labels?.[MANAGED_BY] === 'scalectl';
}

// Default Pods metric names for request metrics (what a custom metrics adapter must serve).
export function podsMetricName(type: 'rps' | 'concurrency', ext: Extensions): string {
  return type === 'rps' ? (ext.rpsMetric ?? 'http_requests_per_second') : (ext.concurrencyMetric ?? 'http_requests_in_flight');
}

// The External metric name for a queue / external source.
export function externalMetricName(source: Record<string, unknown>): string {
  const named = source.metric ?? source.name ?? [source.kind, source.queue ?? source.queueName ?? source.topic].filter(Boolean).join('-');
  return String(named || 'external').toLowerCase().replace(/[^a-z0-9_.-]+/g, '-');
}

// External metric names for every metric of a spec, unique: a name two sources would share gets
// a short hash of its source ("prometheus-3f2a1c"), so neither metric replaces the other.
export function externalMetricNames(metrics: Metric[]): Map<Metric, string> {
  const out = new Map<Metric, string>();
  const used = new Set<string>();
  for (const m of metrics) {
    if (m.type !== 'queue' && m.type !== 'external') continue;
    let name = externalMetricName(m.source);
    if (used.has(name)) name = `${name}-${createHash('sha256').update(JSON.stringify(m.source)).digest('hex').slice(0, 6)}`;
    used.add(name);
    out.set(m, name);
  }
  return out;
}

function metricToHpa(metric: Metric, ext: Extensions, external: string): Obj | undefined {
  switch (metric.type) {
    case 'cpu':
    case 'memory': {
      const target = metric.utilization !== undefined
        ? { type: 'Utilization', averageUtilization: metric.utilization }
        : { type: 'AverageValue', averageValue: String(metric.averageValue) };
      return { type: 'Resource', resource: { name: metric.type, target } };
    }
    case 'rps':
    case 'concurrency': {
      const value = metric.type === 'rps' ? metric.target : (metric.target ?? metric.limit);
      if (value === undefined) return undefined;
      return { type: 'Pods', pods: { metric: { name: podsMetricName(metric.type, ext) }, target: { type: 'AverageValue', averageValue: String(value) } } };
    }
    case 'queue':
      return { type: 'External', external: { metric: { name: external }, target: { type: 'AverageValue', averageValue: String(metric.perInstance) } } };
    case 'external': {
      const target = metric.value !== undefined ? { type: 'Value', value: String(metric.value) } : { type: 'AverageValue', averageValue: String(metric.averageValue) };
      return { type: 'External', external: { metric: { name: external }, target } };
    }
  }
}

function annotations(sources: Record<string, unknown>, tolerance: number | undefined): Obj {
  const out: Record<string, string> = {};
  if (Object.keys(sources).length) out[SOURCES_ANNOTATION] = JSON.stringify(sources);
  if (tolerance !== undefined) out[TOLERANCE_ANNOTATION] = String(tolerance);
  return Object.keys(out).length ? { annotations: out } : {};
}

// The HPA manifest that makes `autoscale` true for a target.
export function renderHpa(ref: TargetRef, service: string, namespace: string, autoscale: Autoscale, ext: Extensions): Obj {
  const names = externalMetricNames(autoscale.metrics ?? []);
  const metrics = (autoscale.metrics ?? []).map((m) => metricToHpa(m, ext, names.get(m) ?? '')).filter(Boolean);
  const sources: Record<string, unknown> = {};
  for (const m of autoscale.metrics ?? []) {
    // Kept sealed: a password in a source never goes into the annotation in clear.
    if (m.type === 'queue' || m.type === 'external') sources[names.get(m)!] = { type: m.type, source: sealSource(m.source) };
  }
  const behavior = behaviorToHpa(autoscale.behavior);
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name: ref.name,
      namespace,
      labels: ownedLabels(service),
      ...(annotations(sources, autoscale.behavior?.tolerance)),
    },
    spec: {
      scaleTargetRef: { apiVersion: ref.apiVersion, kind: ref.apiKind, name: ref.name },
      minReplicas: autoscale.min,
      maxReplicas: autoscale.max,
      ...(metrics.length ? { metrics } : {}),
      ...(behavior ? { behavior } : {}),
    },
  };
}

function metricFromHpa(metric: Obj, desired: Metric[], sources: Record<string, Obj>, ext: Extensions): Metric | undefined {
  if (metric.type === 'Resource') {
    const name = metric.resource.name as 'cpu' | 'memory';
    const target = metric.resource.target;
    if (target.type === 'Utilization') return { type: name, utilization: target.averageUtilization };
    const wanted = desired.find((m) => m.type === name) as { averageValue?: string } | undefined;
    return { type: name, averageValue: inDesiredSpelling(target.averageValue, wanted?.averageValue) };
  }
  if (metric.type === 'Pods') {
    const value = quantityValue(metric.pods.target.averageValue) ?? 0;
    if (metric.pods.metric.name === podsMetricName('rps', ext)) return { type: 'rps', target: value };
    if (metric.pods.metric.name === podsMetricName('concurrency', ext)) {
      const wanted = desired.find((m) => m.type === 'concurrency') as { target?: number; limit?: number } | undefined;
      return wanted?.target === undefined && wanted?.limit !== undefined ? { type: 'concurrency', limit: value } : { type: 'concurrency', target: value };
    }
    return { type: 'external', source: { metric: metric.pods.metric.name }, averageValue: value };
  }
  if (metric.type === 'External') {
    const name = metric.external.metric.name;
    const known = sources[name] as { type: 'queue' | 'external'; source: Record<string, unknown> } | undefined;
    const target = metric.external.target;
    // The file's own source when the annotation holds it sealed (same digests); else what is stored.
    const stored = known?.source;
    const own = stored && desired.find((m) => (m.type === 'queue' || m.type === 'external') && sameValue(sealSource(m.source), stored)) as { source: Record<string, unknown> } | undefined;
    const source = own?.source ?? stored ?? { metric: name };
    if (known?.type === 'queue') return { type: 'queue', source, perInstance: quantityValue(target.averageValue) ?? 0 };
    if (target.type === 'Value') return { type: 'external', source, value: quantityValue(target.value) };
    return { type: 'external', source, averageValue: quantityValue(target.averageValue) };
  }
  return undefined;
}

function isDefaultMetrics(metrics: Obj[] | undefined): boolean {
  return metrics?.length === 1 && metrics[0].type === 'Resource' && metrics[0].resource.name === 'cpu' && metrics[0].resource.target.averageUtilization === 80;
}

// What an HPA means in scaling.yaml terms (server defaults the file did not ask for are left out).
export function autoscaleFromHpa(hpa: Obj, desired: Autoscale | undefined, ext: Extensions): Autoscale {
  const spec = hpa.spec;
  const wantedMetrics = desired?.metrics ?? [];
  let sources: Record<string, Obj> = {};
  try {
    sources = JSON.parse(hpa.metadata?.annotations?.[SOURCES_ANNOTATION] ?? '{}');
  } catch {
    sources = {};
  }
  const out: Autoscale = { min: spec.minReplicas ?? 1, max: spec.maxReplicas };
  const keepDefault = wantedMetrics.length > 0 || !isDefaultMetrics(spec.metrics);
  const metrics = keepDefault ? (spec.metrics ?? []).map((m: Obj) => metricFromHpa(m, wantedMetrics, sources, ext)).filter(Boolean) : [];
  if (metrics.length) out.metrics = metrics;
  const behavior = behaviorFromHpa(spec.behavior, desired?.behavior);
  if (behavior) out.behavior = behavior;
  if (desired?.combine === 'max') out.combine = 'max'; // an HPA always takes the largest proposal
  return out;
}
