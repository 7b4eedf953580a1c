// scaling.yaml ↔ a Knative Service's revision template: autoscaling.knative.dev annotations,
// containerConcurrency (hard limit) and timeoutSeconds.
import type { Autoscale, Metric, ServiceSpec } from '../../src/config/model.js';
import { durationMs, formatDuration } from '../../src/config/duration.js';
import { inDesiredSpelling, quantityValue } from './quantity.js';

type Obj = Record<string, any>;
const A = 'autoscaling.knative.dev/';
// The annotations scalectl manages; the others on the template are left alone.
export const KNATIVE_KEYS = [
  'min-scale', 'max-scale', 'initial-scale', 'metric', 'target', 'target-utilization-percentage', 'class', 'scale-down-delay',
  'window', 'panic-window-percentage', 'panic-threshold-percentage', 'target-burst-capacity',
].map((k) => A + k);
const HPA_CLASS = 'hpa.autoscaling.knative.dev';

// The annotations (null = remove) and pod-spec fields a desired spec asks of a ksvc template.
export function knativeTemplate(desired: ServiceSpec): { annotations: Record<string, string | null>; containerConcurrency: number; timeoutSeconds: number | undefined } {
  const annotations: Record<string, string | null> = Object.fromEntries(KNATIVE_KEYS.map((k) => [k, null]));
  let containerConcurrency = 0;
  if (desired.replicas !== undefined) {
    annotations[`${A}min-scale`] = String(desired.replicas);
    annotations[`${A}max-scale`] = String(desired.replicas);
  }
  const auto = desired.autoscale;
  if (auto) {
    annotations[`${A}min-scale`] = String(auto.min);
    annotations[`${A}max-scale`] = String(auto.max);
    if (auto.initial !== undefined) annotations[`${A}initial-scale`] = String(auto.initial);
    for (const metric of auto.metrics ?? []) {
      if (metric.type === 'concurrency') {
        if (metric.limit !== undefined) containerConcurrency = metric.limit;
        if (metric.target !== undefined) annotations[`${A}target`] = String(metric.target);
        if (metric.utilization !== undefined) annotations[`${A}target-utilization-percentage`] = String(metric.utilization);
        if (metric.target !== undefined || metric.utilization !== undefined) annotations[`${A}metric`] = 'concurrency';
        if (metric.window !== undefined) annotations[`${A}window`] = formatDuration(durationMs(metric.window));
        if (metric.burstCapacity !== undefined) annotations[`${A}target-burst-capacity`] = String(metric.burstCapacity);
      } else if (metric.type === 'rps') {
        annotations[`${A}metric`] = 'rps';
        annotations[`${A}target`] = String(metric.target);
        if (metric.window !== undefined) annotations[`${A}window`] = formatDuration(durationMs(metric.window));
      } else if (metric.type === 'cpu' && metric.utilization !== undefined) {
        // Knative's HPA class: cpu targets a utilization percentage.
        annotations[`${A}class`] = HPA_CLASS;
        annotations[`${A}metric`] = 'cpu';
        annotations[`${A}target`] = String(metric.utilization);
      } else if (metric.type === 'memory' && metric.averageValue !== undefined) {
        // Knative's HPA class: memory targets an average value in MiB.
        annotations[`${A}class`] = HPA_CLASS;
        annotations[`${A}metric`] = 'memory';
        annotations[`${A}target`] = String(Math.round((quantityValue(metric.averageValue) ?? 0) / 2 ** 20));
      }
    }
    const delay = auto.behavior?.scaleDown?.delay;
    if (delay) annotations[`${A}scale-down-delay`] = formatDuration(durationMs(delay));
    const panic = auto.behavior?.panic;
    if (panic?.window !== undefined) annotations[`${A}panic-window-percentage`] = String(panic.window);
    if (panic?.threshold !== undefined) annotations[`${A}panic-threshold-percentage`] = String(panic.threshold);
  }
  const timeout = desired.traffic?.requestTimeout;
  return { annotations, containerConcurrency, timeoutSeconds: timeout ? Math.round(durationMs(timeout) / 1000) : undefined };
}

// The scaling state a ksvc template holds, in scaling.yaml terms.
export function specFromKnative(ksvc: Obj, desired: ServiceSpec): ServiceSpec {
  const template = ksvc.spec?.template ?? {};
  const a: Record<string, string> = template.metadata?.annotations ?? {};
  const podSpec = template.spec ?? {};
  const get = (key: string) => a[A + key];
  const windowOf = () => (get('window') !== undefined ? { window: formatDuration(durationMs(get('window'))) } : {});
  const burstOf = () => (get('target-burst-capacity') !== undefined ? { burstCapacity: Number(get('target-burst-capacity')) } : {});
  const out: ServiceSpec = {};
  const cc = podSpec.containerConcurrency ?? 0;
  const metricName = get('metric') ?? 'concurrency';
  const hasMetric = get('target') !== undefined || get('target-utilization-percentage') !== undefined || cc > 0;
  const min = get('min-scale');
  const max = get('max-scale');
  if (desired.replicas !== undefined && min !== undefined && min === max && !hasMetric && get('initial-scale') === undefined) {
    out.replicas = Number(min);
  } else if (min !== undefined || max !== undefined || hasMetric) {
    const auto: Autoscale = { min: Number(min ?? 0), max: Number(max ?? 0) };
    if (get('initial-scale') !== undefined) auto.initial = Number(get('initial-scale'));
    const metrics: Metric[] = [];
    if (get('class') === HPA_CLASS && metricName === 'cpu') {
      metrics.push({ type: 'cpu', utilization: Number(get('target')) });
    } else if (get('class') === HPA_CLASS && metricName === 'memory') {
      const wanted = desired.autoscale?.metrics?.find((m) => m.type === 'memory') as { averageValue?: string } | undefined;
      metrics.push({ type: 'memory', averageValue: inDesiredSpelling(`${get('target')}Mi`, wanted?.averageValue) });
    } else if (metricName === 'rps') {
      metrics.push({ type: 'rps', target: Number(get('target')), ...windowOf() });
      if (cc > 0 || get('target-burst-capacity') !== undefined) metrics.push({ type: 'concurrency', ...(cc > 0 ? { limit: cc } : {}), ...burstOf() });
    } else if (hasMetric) {
      metrics.push({
        type: 'concurrency',
        ...(get('target') !== undefined ? { target: Number(get('target')) } : {}),
        ...(cc > 0 ? { limit: cc } : {}),
        ...(get('target-utilization-percentage') !== undefined ? { utilization: Number(get('target-utilization-percentage')) } : {}),
        ...windowOf(),
        ...burstOf(),
      });
    }
    if (metrics.length) auto.metrics = metrics;
    if (get('scale-down-delay') !== undefined) {
      const ms = durationMs(get('scale-down-delay'));
      auto.behavior = { scaleDown: { delay: formatDuration(ms) } };
    }
    if (get('panic-window-percentage') !== undefined || get('panic-threshold-percentage') !== undefined) {
      const panic = {
        ...(get('panic-window-percentage') !== undefined ? { window: Number(get('panic-window-percentage')) } : {}),
        ...(get('panic-threshold-percentage') !== undefined ? { threshold: Number(get('panic-threshold-percentage')) } : {}),
      };
      auto.behavior = { ...auto.behavior, panic };
    }
    if (desired.autoscale?.combine === 'max') auto.combine = 'max';
    out.autoscale = auto;
  }
  const timeout = podSpec.timeoutSeconds;
  // Reported only when the file manages it; unmentioned fields are left alone.
  if (timeout !== undefined && desired.traffic?.requestTimeout !== undefined) {
    out.traffic = { requestTimeout: formatDuration(timeout * 1000) };
  }
  return out;
}
