// A service's autoscale + traffic resolved into numbers with every default filled in.
// The defaults follow the research notes (HPA, Knative, KEDA, Container Apps); docs/readme/simulate.md lists them.
import type { Autoscale, Metric, ScalingRules, ServiceConfig, Traffic } from '../config/model.js';
import { durationMs } from '../config/duration.js';
import { compileCombine, type Combiner } from './formula.js';
import type { Platform } from './platform.js';

// Indexes of the load fields in a sample vector (Float64Array, NaN = not measured).
export const FIELD = { rps: 0, concurrency: 1, queue: 2, cpu: 3, memory: 4, external: 5, latency: 6 } as const;
// The name of a load field.
export type LoadField = keyof typeof FIELD;
// Length of a sample vector.
export const FIELD_COUNT = 7;
// A mask of every field (LoadCurve.fill's `wanted`: bit FIELD[f] for field f).
export const ALL_FIELDS = (1 << FIELD_COUNT) - 1;

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
  knative: {
    tickMs: 2_000, // the KPA decides every 2 s (autoscaler tick)
    stableWindowMs: 60_000, // stable-window
    panicWindowPercent: 10, // panic-window-percentage
    panicThresholdPercent: 200, // panic-threshold-percentage
    maxScaleUpRate: 1000, // max-scale-up-rate
    maxScaleDownRate: 2, // max-scale-down-rate
    utilization: 70, // container-concurrency-target-percentage
    burstCapacity: 211, // target-burst-capacity (config.go)
  },
  httpRuleWindowMs: 15_000, // Container Apps HTTP rule: requests over the last 15 s ÷ 15
};

// One rate policy in ms.
export interface RatePolicy { pods?: number; percent?: number; periodMs: number }
// Scale-up or scale-down rules, resolved.
export interface Direction {
  /** HPA tolerance for this direction (dead band on the metric ratio). */
  tolerance: number;
  /** Azure step rule: change by `count` or `percent` of the current count per action. */
  step?: { count?: number; percent?: number };
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
  /** Averaging window of the measured value (0 = the instant value). */
  windowMs: number;
  /** What is measured for a concurrency metric: in-flight requests, or the Container Apps HTTP rule (rps over 15 s). */
  measure: 'value' | 'inflight' | 'rps';
  /** HPA arithmetic: utilization truncated to a whole percent, averages to milli-units. */
  hpaMath: 'utilization' | 'average' | 'external' | 'value' | 'none';
  describe: string;
}

// Everything the engine needs about one service, in numbers.
export interface Policy {
  /** Whose semantics the decisions follow (see platform.ts). */
  platform: Platform;
  /** 'kpa': the Knative Pod Autoscaler's algorithm; 'hpa': everything else. */
  algorithm: 'hpa' | 'kpa';
  /** Knative: stable/panic windows, panic threshold (a ratio), scale rates, burst capacity. */
  kpa: { stableWindowMs: number; panicWindowMs: number; panicThreshold: number; maxScaleUpRate: number; maxScaleDownRate: number; burstCapacity: number };
  /** Schedules: bounds (Azure profiles, the mock cloud) or KEDA cron triggers (an external metric through the HPA). */
  schedulesAs: 'bounds' | 'metric';
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

function direction(rules: ScalingRules | undefined, fallback: typeof DEFAULTS.scaleUp | typeof DEFAULTS.scaleDown, tolerance: number): Direction {
  const policies = rules?.policies?.map((p) => ({ pods: p.pods, percent: p.percent, periodMs: durationMs(p.period, 15_000) }));
  const delayMs = durationMs(rules?.delay, 0);
  return {
    tolerance: rules?.tolerance ?? tolerance,
    ...(rules?.step ? { step: rules.step } : {}),
    stabilizationMs: Math.max(durationMs(rules?.stabilization, fallback.stabilizationMs), delayMs),
    cooldownMs: durationMs(rules?.cooldown, 0),
    delayMs,
    policies: policies && policies.length > 0 ? policies : fallback.policies,
    select: rules?.select ?? fallback.select,
  };
}

function resolveMetric(metric: Metric, service: ServiceConfig, platform: Platform): ResolvedMetric | undefined {
  const hpa = platform === 'hpa' || platform === 'keda';
  const windowMs = 'window' in metric ? durationMs(metric.window, 0) : 0;
  switch (metric.type) {
    case 'concurrency': {
      const knative = platform === 'knative';
      const soft = metric.target ?? metric.limit ?? DEFAULTS.concurrencyTarget;
      const base = Math.min(soft, metric.limit ?? Infinity);
      const utilization = metric.utilization ?? (knative ? DEFAULTS.knative.utilization : DEFAULTS.utilization);
      const target = (base * utilization) / 100;
      const parts = [`target ${soft}`, metric.limit !== undefined ? `limit ${metric.limit}` : '', utilization !== 100 ? `× ${utilization}%` : ''];
      // The mock cloud and Docker follow Container Apps' HTTP rule: requests over the last 15 s ÷ 15 per instance.
      const httpRule = platform === 'mock' || platform === 'docker';
      const what = httpRule ? 'requests/s (15 s) per instance' : 'in-flight per instance';
      return {
        type: 'concurrency', field: FIELD.concurrency, mode: 'average', target, activation: 0,
        windowMs: httpRule ? Math.max(windowMs, DEFAULTS.httpRuleWindowMs) : windowMs || (knative ? DEFAULTS.knative.stableWindowMs : 0),
        measure: httpRule ? 'rps' : 'inflight', hpaMath: hpa ? 'average' : 'none',
        describe: `${what} ${round(target)} (${parts.filter(Boolean).join(', ')})`,
      };
    }
    case 'rps':
      return {
        type: 'rps', field: FIELD.rps, mode: 'average', target: metric.target, activation: 0,
        windowMs: windowMs || (platform === 'knative' ? DEFAULTS.knative.stableWindowMs : 0),
        measure: 'value', hpaMath: hpa ? 'average' : 'none', describe: `requests/s per instance ${metric.target}`,
      };
    case 'cpu':
    case 'memory': {
      const target = metric.utilization ?? utilizationFromAverage(metric.averageValue, metric.type === 'cpu' ? service.spec.resources?.cpu : service.spec.resources?.memory);
      if (target === undefined) return undefined;
      return {
        type: metric.type, field: FIELD[metric.type], mode: 'average', target, activation: 0, windowMs, measure: 'value',
        hpaMath: !hpa && platform !== 'knative' ? 'none' : metric.utilization !== undefined ? 'utilization' : 'average',
        describe: `${metric.type} utilization ${round(target)}% per instance`,
      };
    }
    case 'queue':
      return {
        type: 'queue', field: FIELD.queue, mode: 'average', target: metric.perInstance, activation: metric.activation ?? 0, windowMs, measure: 'value',
        hpaMath: hpa ? 'external' : 'none', describe: `queue length per instance ${metric.perInstance}`,
      };
    case 'external':
      if (metric.averageValue !== undefined) {
        return {
          type: 'external', field: FIELD.external, mode: 'average', target: metric.averageValue, activation: 0, windowMs, measure: 'value',
          hpaMath: hpa ? 'external' : 'none', describe: `external per instance ${metric.averageValue}`,
        };
      }
      return {
        type: 'external', field: FIELD.external, mode: 'value', target: metric.value ?? 1, activation: 0, windowMs, measure: 'value',
        hpaMath: hpa ? 'value' : 'none', describe: `external total ${metric.value ?? 1}`,
      };
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

// Resolves a service for a platform (default: the mock cloud); throws an Error naming the problem
// when it cannot be simulated.
export function resolvePolicy(service: ServiceConfig, platform: Platform = 'mock'): Policy {
  const autoscale: Autoscale = service.spec.autoscale ?? { min: service.spec.replicas ?? 0, max: service.spec.replicas ?? 0 };
  const traffic: Traffic = service.spec.traffic ?? {};
  const metrics = (autoscale.metrics ?? []).map((m) => resolveMetric(m, service, platform)).filter((m): m is ResolvedMetric => m !== undefined);
  const names = metrics.map((m) => m.type);
  const behavior = autoscale.behavior ?? {};
  const concurrency = autoscale.metrics?.find((m) => m.type === 'concurrency');
  const requestTimeoutMs = durationMs(traffic.requestTimeout, DEFAULTS.requestTimeoutMs);
  const concurrencyMetric = metrics.find((m) => m.type === 'concurrency');
  const rpsMetric = metrics.find((m) => m.type === 'rps');
  const limit = concurrency?.type === 'concurrency' && concurrency.limit !== undefined && concurrency.limit > 0 ? concurrency.limit : Infinity;
  // Knative's KPA scales on one request metric; cpu/memory on a ksvc go through Knative's HPA class.
  const algorithm = platform === 'knative' && (concurrencyMetric || rpsMetric) ? 'kpa' : 'hpa';
  const k = DEFAULTS.knative;
  const stableWindowMs = (concurrencyMetric ?? rpsMetric)?.windowMs || k.stableWindowMs;
  const tolerance = behavior.tolerance ?? DEFAULTS.tolerance;
  return {
    platform,
    algorithm,
    kpa: {
      stableWindowMs,
      panicWindowMs: Math.max(1000, (stableWindowMs * (behavior.panic?.window ?? k.panicWindowPercent)) / 100),
      panicThreshold: (behavior.panic?.threshold ?? k.panicThresholdPercent) / 100,
      maxScaleUpRate: k.maxScaleUpRate,
      maxScaleDownRate: k.maxScaleDownRate,
      burstCapacity: concurrency?.type === 'concurrency' && concurrency.burstCapacity !== undefined ? concurrency.burstCapacity : k.burstCapacity,
    },
    schedulesAs: platform === 'keda' ? 'metric' : 'bounds',
    autoscale,
    metrics,
    names,
    combineRule: autoscale.combine ?? 'max',
    combine: compileCombine(autoscale.combine, names),
    intervalMs: durationMs(behavior.evaluationInterval, algorithm === 'kpa' ? k.tickMs : DEFAULTS.evaluationIntervalMs),
    tolerance,
    up: direction(behavior.scaleUp, DEFAULTS.scaleUp, tolerance),
    down: direction(behavior.scaleDown, DEFAULTS.scaleDown, tolerance),
    toZeroAfterMs: durationMs(behavior.toZero?.after, DEFAULTS.toZeroAfterMs),
    // The flapping guard is Azure's; an HPA or the KPA has none.
    flappingGuard: (behavior.flapping ?? (platform === 'mock' || platform === 'docker' ? 'guard' : 'off')) === 'guard',
    limit,
    queueTimeoutMs: durationMs(traffic.queueTimeout, requestTimeoutMs),
    idleTimeoutMs: durationMs(traffic.instanceIdleTimeout, DEFAULTS.instanceIdleTimeoutMs),
    coldStartMs: durationMs(traffic.coldStart, DEFAULTS.coldStartMs),
    // Requests pack onto instances by what the metric counts: in-flight requests, or (the HTTP rule) requests/s.
    pack: concurrencyMetric
      ? { by: concurrencyMetric.measure === 'rps' ? 'rps' : 'concurrency', perInstance: concurrencyMetric.target }
      : rpsMetric
        ? { by: 'rps', perInstance: rpsMetric.target }
        : { by: 'all', perInstance: Infinity },
  };
}
