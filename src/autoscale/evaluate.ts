// One evaluation of one autoscaled service, live: read the count from the adapter, read each
// metric's source, run the engine's decision (the same Autoscaler `simulate` and `plan
// --explain` run), apply a new count through the adapter, and say why. Missing data never
// scales in: the engine holds the count and the evaluation names the source and the reason.
import type { Adapter, ObservedTarget } from '../../adapters/contract.js';
import type { MetricSource } from '../../adapters/sources/types.js';
import type { ServiceConfig } from '../config/model.js';
import { AdapterError } from '../errors.js';
import { Autoscaler, type EngineState } from '../simulate/decide.js';
import { describeDecision, shortReason } from '../simulate/describe.js';
import type { Policy } from '../simulate/policy.js';
import { boundsAt } from '../simulate/schedule.js';
import type { Actor, EventMetric, ScaleEvent } from './events.js';

// A service the loop drives, with its sources opened (a string says why a metric has none).
export interface LoopService {
  service: ServiceConfig;
  adapter: Adapter;
  policy: Policy;
  sources: Array<MetricSource | string>;
  /**
   * Metrics no source can ever measure live here (by index: concurrency and rps, which need a proxy
   * counting requests; cpu and memory off Docker): held like missing data, reported once, not
   * failures of a run.
   */
  notLive?: Set<number>;
  /** The engine, kept between evaluations (created on the first one, or from saved state). */
  scaler?: Autoscaler;
}

// What one evaluation found and did.
export interface Evaluation {
  service: string;
  at: string;
  /** The live count, or null when the target could not be read. */
  current: number | null;
  /** The engine's decision (the live count when it could not run). */
  final: number | null;
  bounds?: { min: number; max: number; schedule?: string };
  changed: boolean;
  metrics: EventMetric[];
  /** "queue: redis list orders at 127.0.0.1:6379: connection refused", one per metric not read. */
  missing: string[];
  /** Metrics that are never measured live here (LoopService.notLive), with why. */
  notLive: string[];
  /** The target could not be read or the change could not be applied. */
  error?: string;
  reason: string;
  event?: ScaleEvent;
  /** Time spent waiting for sources, for the adapter to apply a change, and in the whole evaluation, ms. */
  sourceMs: number;
  applyMs: number;
  totalMs: number;
}

export interface EvaluateOptions {
  now: Date;
  observed: ObservedTarget;
  /** Saved engine memory for this service, used when the engine is created. */
  saved?: EngineState;
  dryRun?: boolean;
  progress?: (message: string) => void;
}

// The count a target reports: what the platform wants, else the spec's replicas.
export function liveCountOf(observed: ObservedTarget): number {
  return observed.instances?.desired ?? observed.spec.replicas ?? 0;
}

// Reads every metric of a service; NaN and a reason for the ones that fail.
export async function readMetrics(entry: LoopService, signal?: AbortSignal): Promise<{ totals: number[]; metrics: EventMetric[]; missing: string[]; notLive: string[] }> {
  const results = await Promise.all(
    entry.sources.map(async (source): Promise<number | string> => {
      if (typeof source === 'string') return source;
      try {
        return await source.read(signal);
      } catch (error) {
        return (error as Error).name === 'SourceError' ? (error as Error).message : `${source.describe}: ${(error as Error).message}`;
      }
    }),
  );
  const totals: number[] = [];
  const metrics: EventMetric[] = [];
  const missing: string[] = [];
  const notLive: string[] = [];
  results.forEach((result, i) => {
    const metric = entry.policy.metrics[i];
    const source = entry.sources[i];
    if (typeof result === 'number') {
      totals.push(result);
      metrics.push({ metric: metric.type, value: result, source: typeof source === 'string' ? undefined : source.describe });
    } else {
      totals.push(Number.NaN);
      metrics.push({ metric: metric.type, value: null, source: result });
      (entry.notLive?.has(i) ? notLive : missing).push(`${metric.type}: ${result}`);
    }
  });
  return { totals, metrics, missing, notLive };
}

// Which rule decided a change, and who acted: a schedule's bounds, or the autoscaler.
function decidedBy(reason: ReturnType<typeof describeDecision>, schedule: string | undefined): { rule: string; actor: Actor } {
  const changed = reason.constraints.filter((c) => c.changed);
  const last = changed.at(-1);
  if (last && (last.name === 'min' || last.name === 'max') && schedule) return { rule: `schedule ${schedule} (${last.name})`, actor: 'schedule' };
  if (last) return { rule: last.name, actor: 'autoscale' };
  return { rule: reason.metrics.length ? `combine ${reason.combine.rule}` : 'bounds', actor: 'autoscale' };
}

// Evaluates one service at `options.now` and applies its new count (unless dryRun).
export async function evaluateService(entry: LoopService, options: EvaluateOptions, signal?: AbortSignal): Promise<Evaluation> {
  const started = performance.now();
  const { service, policy } = entry;
  const at = options.now.toISOString();
  const base = { service: service.name, at, changed: false, metrics: [] as EventMetric[], missing: [] as string[], notLive: [] as string[], sourceMs: 0, applyMs: 0 };
  const observed = options.observed;
  if (observed.error || !observed.exists) {
    const error = observed.error ?? `${service.target} does not exist yet: create it with \`scalectl apply\``;
    return { ...base, current: null, final: null, error, reason: 'not read: the count is held', totalMs: performance.now() - started };
  }
  const current = liveCountOf(observed);
  const sourcesStarted = performance.now();
  const { totals, metrics, missing, notLive } = await readMetrics(entry, signal);
  const sourceMs = performance.now() - sourcesStarted;
  const nowMs = options.now.getTime();
  if (!entry.scaler) {
    entry.scaler = new Autoscaler(policy, nowMs, current);
    if (options.saved) entry.scaler.loadState(options.saved);
  }
  const scaler = entry.scaler;
  const before = scaler.saveState();
  for (let i = 0; i < totals.length; i++) scaler.totals[i] = totals[i];
  const bounds = boundsAt(policy.autoscale, options.now);
  const final = scaler.evaluate(nowMs, current, bounds);
  const decision = describeDecision(scaler);
  const reason = shortReason(decision);
  const result: Evaluation = { ...base, current, final, bounds, metrics, missing, notLive, reason, sourceMs, applyMs: 0, totalMs: 0 };
  metrics.forEach((m, i) => (m.recommended = decision.metrics[i]?.recommended ?? null));
  if (final === current) {
    result.totalMs = performance.now() - started;
    return result;
  }
  const { rule, actor } = decidedBy(decision, bounds.schedule);
  if (!options.dryRun) {
    const applyStarted = performance.now();
    try {
      await entry.adapter.apply(
        {
          service: service.name,
          target: service.target,
          extensions: service.extensions,
          // The count only: an autoscaled spec carrying `replicas` is the autoscaler setting the count.
          desired: { autoscale: service.spec.autoscale, replicas: final, ...(service.spec.traffic ? { traffic: service.spec.traffic } : {}) },
          changes: [{ field: 'replicas', before: current, after: final, support: 'emulated', note: 'scalectl autoscale' }],
          fingerprint: observed.fingerprint,
        },
        // The change in flight always finishes: the loop stops between evaluations, never inside one.
        { dryRun: false, signal: new AbortController().signal, progress: options.progress },
      );
      result.applyMs = performance.now() - applyStarted;
    } catch (error) {
      // Not applied: forget this decision so the windows and policy periods stay true.
      scaler.loadState(before);
      const message = AdapterError.isAdapterError(error) || (error as Error).name === 'StalePlanError' ? (error as Error).message : String((error as Error).message ?? error);
      result.final = current;
      result.error = `${current} → ${final} not applied: ${message}`;
      result.totalMs = performance.now() - started;
      return result;
    }
  }
  result.changed = true;
  result.event = {
    time: at,
    service: service.name,
    provider: service.provider,
    target: service.target,
    from: current,
    to: final,
    actor,
    rule,
    reason,
    ...(bounds.schedule ? { schedule: bounds.schedule } : {}),
    metrics,
  };
  result.totalMs = performance.now() - started;
  return result;
}
