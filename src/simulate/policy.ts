// A service's autoscale + traffic resolved into numbers with every default filled in.
// The defaults follow the research notes (HPA, Knative, KEDA, Container Apps); docs/readme/simulate.md lists them.
import type { Autoscale, Metric, ScalingRules, ServiceConfig, Traffic } from '../config/model.js';
import { durationMs } from '../config/duration.js';
import { compileCombine, type Combiner } from './formula.js';

// Indexes of the load fields in a sample vector (Float64Array, NaN = not measured).
export const FIELD = { rps: 0, concurrency: 1, queue: 2, cpu: 3, memory: 4, external: 5, latency: 6 } as const;
// The name of a load field.
export type LoadField = keyof typeof FIELD;
// Length of a sample vector.
export const FIELD_COUNT = 7;

// Defaults for everything scaling.yaml leaves out (documented in docs/readme/simulate.md).
export const DEFAULTS = {
  evaluationIntervalMs: 15_000, // HPA --horizontal-pod-autoscaler-sync-period
  tolerance: 0.1, // HPA --horizontal-pod-autoscaler-tolerance
  scaleUp: { stabilizationMs: 0, policies: [{ pods: 4, periodMs: 15_000 }, { percent: 100, periodMs: 15_000 }], select: 'max' as const },
  scaleDown: { stabilizationMs: 300_000, policies: [{ percent: 100, periodMs: 15_000 }], select: 'max' as const },
  toZeroAfterMs: 300_000, // KEDA cooldownPeriod, Container Apps cooldown
  concurrencyTarget: 100, // Knative container-concurrency-target-default
  utilization: 100, // % of the target aimed at (Knative's 70 only when set)
  requestTimeoutMs: 300_000, // Knative timeoutSeconds
  instanceIdleTimeoutMs: 300_000, // Container Apps cooldownPeriod
  coldStartMs: 10_000, // a guess: measure yours and set traffic.coldStart
  latencyMs: 100, // service time of one request when the load does not say
};

// One rate policy in ms.
export interface RatePolicy { pods?: number; percent?: number; periodMs: number }
// Scale-up or scale-down rules, resolved.
export interface Direction {
  stabilizationMs: number;
  cooldownMs: number;
  delayMs: number;
  policies: RatePolicy[];
  select: 'max' | 'min' | 'disabled';
}

// One metric with its effective per-instance target.
export interface ResolvedMetric {
  type: Metric['type'];
  field: number;
  /** average: ceil(total / target) per instance; value: HPA Value target, ceil(current × total / target). */
  mode: 'average' | 'value';
  target: number;
  activation: number;
  windowMs: number;
  describe: string;
}

// Everything the engine needs about one service, in numbers.
export interface Policy {
  autoscale: Autoscale;
  metrics: ResolvedMetric[];
  names: string[];
  combineRule: string;
  combine: Combiner;
  intervalMs: number;
  tolerance: number;
  up: Direction;
  down: Direction;
  toZeroAfterMs: number;
  flappingGuard: boolean;
  limit: number; // hard per-instance concurrency limit (Infinity = none)
  queueTimeoutMs: number;
  idleTimeoutMs: number;
  coldStartMs: number;
  /** How requests pack onto instances (for idle detection): per-instance concurrency or rps. */
  pack: { by: 'concurrency' | 'rps' | 'all'; perInstance: number };
}

function direction(rules: ScalingRules | undefined, fallback: typeof DEFAULTS.scaleUp | typeof DEFAULTS.scaleDown): Direction {
  const policies = rules?.policies?.map((p) => ({ pods: p.pods, percent: p.percent, periodMs: durationMs(p.period, 15_000) }));
  const delayMs = durationMs(rules?.delay, 0);
  return {
    stabilizationMs: Math.max(durationMs(rules?.stabilization, fallback.stabilizationMs), delayMs),
    cooldownMs: durationMs(rules?.cooldown, 0),
    delayMs,
    policies: policies && policies.length > 0 ? policies : fallback.policies,
    select: rules?.select ?? fallback.select,
  };
}

function resolveMetric(metric: Metric, service: ServiceConfig): ResolvedMetric | undefined {
  switch (metric.type) {
    case 'concurrency': {
      const soft = metric.target ?? metric.limit ?? DEFAULTS.concurrencyTarget;
      const base = Math.min(soft, metric.limit ?? Infinity);
      const utilization = metric.utilization ?? DEFAULTS.utilization;
      const target = (base * utilization) / 100;
      const parts = [`target ${soft}`, metric.limit !== undefined ? `limit ${metric.limit}` : '', utilization !== 100 ? `× ${utilization}%` : ''];
      return { type: 'concurrency', field: FIELD.concurrency, mode: 'average', target, activation: 0, windowMs: 0, describe: `in-flight per instance ${round(target)} (${parts.filter(Boolean).join(', ')})` };
    }
    case 'rps':
      return { type: 'rps', field: FIELD.rps, mode: 'average', target: metric.target, activation: 0, windowMs: durationMs(metric.window, 0), describe: `requests/s per instance ${metric.target}` };
    case 'cpu':
    case 'memory': {
      const target = metric.utilization ?? utilizationFromAverage(metric.averageValue, metric.type === 'cpu' ? service.spec.resources?.cpu : service.spec.resources?.memory);
      if (target === undefined) return undefined;
      return { type: metric.type, field: FIELD[metric.type], mode: 'average', target, activation: 0, windowMs: 0, describe: `${metric.type} utilization ${round(target)}% per instance` };
    }
    case 'queue':
      return { type: 'queue', field: FIELD.queue, mode: 'average', target: metric.perInstance, activation: metric.activation ?? 0, windowMs: 0, describe: `queue length per instance ${metric.perInstance}` };
    case 'external':
      if (metric.averageValue !== undefined) {
        return { type: 'external', field: FIELD.external, mode: 'average', target: metric.averageValue, activation: 0, windowMs: 0, describe: `external per instance ${metric.averageValue}` };
      }
      return { type: 'external', field: FIELD.external, mode: 'value', target: metric.value ?? 1, activation: 0, windowMs: 0, describe: `external total ${metric.value ?? 1}` };
  }
}

// averageValue (a quantity) as a utilization % of the instance's request, when both parse.
function utilizationFromAverage(average: string | undefined, request: string | undefined): number | undefined {
  const a = quantity(average);
  const r = quantity(request);
  if (a === undefined || r === undefined || r === 0) return undefined;
  return (a / r) * 100;
}

const SUFFIX: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };

function quantity(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(String(text).trim());
  if (!match || SUFFIX[match[2]] === undefined) return undefined;
  return Number(match[1]) * SUFFIX[match[2]];
}

const round = (x: number) => Math.round(x * 100) / 100;

// Resolves a service; throws an Error naming the problem when it cannot be simulated.
export function resolvePolicy(service: ServiceConfig): Policy {
  const autoscale: Autoscale = service.spec.autoscale ?? { min: service.spec.replicas ?? 0, max: service.spec.replicas ?? 0 };
  const traffic: Traffic = service.spec.traffic ?? {};
  const metrics = (autoscale.metrics ?? []).map((m) => resolveMetric(m, service)).filter((m): m is ResolvedMetric => m !== undefined);
  const names = metrics.map((m) => m.type);
  const behavior = autoscale.behavior ?? {};
  const concurrency = autoscale.metrics?.find((m) => m.type === 'concurrency');
  const requestTimeoutMs = durationMs(traffic.requestTimeout, DEFAULTS.requestTimeoutMs);
  const concurrencyMetric = metrics.find((m) => m.type === 'concurrency');
  const rpsMetric = metrics.find((m) => m.type === 'rps');
  const limit = concurrency?.type === 'concurrency' && concurrency.limit !== undefined && concurrency.limit > 0 ? concurrency.limit : Infinity;
  return {
    autoscale,
    metrics,
    names,
    combineRule: autoscale.combine ?? 'max',
    combine: compileCombine(autoscale.combine, names),
    intervalMs: durationMs(behavior.evaluationInterval, DEFAULTS.evaluationIntervalMs),
    tolerance: behavior.tolerance ?? DEFAULTS.tolerance,
    up: direction(behavior.scaleUp, DEFAULTS.scaleUp),
    down: direction(behavior.scaleDown, DEFAULTS.scaleDown),
    toZeroAfterMs: durationMs(behavior.toZero?.after, DEFAULTS.toZeroAfterMs),
    flappingGuard: (behavior.flapping ?? 'guard') === 'guard',
    limit,
    queueTimeoutMs: durationMs(traffic.queueTimeout, requestTimeoutMs),
    idleTimeoutMs: durationMs(traffic.instanceIdleTimeout, DEFAULTS.instanceIdleTimeoutMs),
    coldStartMs: durationMs(traffic.coldStart, DEFAULTS.coldStartMs),
    pack: concurrencyMetric
      ? { by: 'concurrency', perInstance: concurrencyMetric.target }
      : rpsMetric
        ? { by: 'rps', perInstance: rpsMetric.target }
        : { by: 'all', perInstance: Infinity },
  };
}
