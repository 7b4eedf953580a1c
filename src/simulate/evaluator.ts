// One evaluation of a simulation run: the schedule in force → bounds, the metric totals, the
// autoscaler's decision, recorded per evaluation, and the instances resized. Kept out of the per-step
// loop in index.ts: code that runs every 15 s would use up the inlining the per-step calls need.
import type { Autoscaler } from './decide.js';
import type { EventLog } from './events.js';
import { FIELD, type Policy } from './policy.js';
import type { Schedule } from '../config/model.js';
import { boundsFor, cronDesiredAt, scheduleAt, type Bounds } from './schedule.js';
import type { Instances } from './traffic.js';

// The per-step measurement tables of a policy's metrics (typed arrays: arrays built by map() get another
// elements kind once the loop is optimized, and the map check on them then deoptimizes it).
export interface MetricTables {
  /** How each metric is measured: 0 the arrival rate, 1 in-flight (offered concurrency), 2 its load field. */
  measureOf: Int32Array;
  fieldOf: Int32Array;
  /** Metrics averaged over a window, observed every step (the others only when deciding). */
  windowed: Int32Array;
}

export function metricTables(policy: Policy): MetricTables {
  const metrics = policy.metrics;
  const measureOf = Int32Array.from(metrics, (x) => (x.type === 'rps' || x.measure === 'rps' ? 0 : x.measure === 'inflight' ? 1 : 2));
  const fieldOf = Int32Array.from(metrics, (x) => x.field);
  const windowed = Int32Array.from(metrics.map((x, k) => (x.windowMs > 0 || policy.algorithm === 'kpa' ? k : -1)).filter((k) => k >= 0));
  return { measureOf, fieldOf, windowed };
}

// A metric's value this step (how: 0 the arrival rate, 1 the offered concurrency — arrival rate × service
// time, Little's law: what instances would run with no limit, independent of the step — 2 the load field).
export function measure(how: number, hasTraffic: boolean, rps: number, latency: number, sample: Float64Array, field: number): number {
  if (how === 0) return hasTraffic ? rps : Number.NaN;
  if (how === 1) return hasTraffic ? (rps * latency) / 1000 : sample[FIELD.concurrency];
  return sample[field];
}

export class Evaluator {
  /** The bounds in force since the last evaluation. */
  bounds: Bounds;
  /**
   * bounds.min as a plain number field, for the per-step loop: a bounds object has another shape with a
   * schedule than without, and reading it there would deoptimize the loop when the first schedule starts.
   */
  minBound: number;
  count = 0;
  readonly step: Int32Array;
  readonly raw: Float64Array;
  readonly combined: Int32Array;
  readonly final: Int32Array;
  readonly min: Int32Array;
  readonly max: Int32Array;
  private lastInForce: Schedule | undefined;
  private lastSchedule: string | undefined;
  private readonly boundSchedules: Schedule[] | undefined;
  private readonly cronSchedules: Schedule[] | undefined;

  constructor(
    private readonly policy: Policy,
    private readonly log: EventLog,
    private readonly tables: MetricTables,
    private readonly hasTraffic: boolean,
    startMs: number,
    evalCount: number,
  ) {
    const auto = policy.autoscale;
    // KEDA: schedules are cron triggers (an external metric through the HPA), not bounds.
    this.cronSchedules = policy.schedulesAs === 'metric' && (auto.schedules?.length ?? 0) > 0 ? auto.schedules : undefined;
    this.boundSchedules = policy.schedulesAs === 'bounds' ? auto.schedules : undefined;
    this.lastInForce = scheduleAt(this.boundSchedules, startMs);
    this.bounds = boundsFor(auto, this.lastInForce);
    this.lastSchedule = this.bounds.schedule;
    this.minBound = this.bounds.min;
    const m = policy.metrics.length;
    this.step = new Int32Array(evalCount);
    this.raw = new Float64Array(evalCount * m);
    this.combined = new Int32Array(evalCount);
    this.final = new Int32Array(evalCount);
    this.min = new Int32Array(evalCount);
    this.max = new Int32Array(evalCount);
  }

  // Evaluates at step `i` (offset `t`, epoch ms `now`) with this step's arrival rate, latency and load sample.
  at(i: number, t: number, now: number, rps: number, latency: number, sample: Float64Array, scaler: Autoscaler, instances: Instances): void {
    const { policy, log, tables } = this;
    const auto = policy.autoscale;
    const inForce = this.boundSchedules !== undefined && this.boundSchedules.length > 0 ? scheduleAt(this.boundSchedules, now) : undefined;
    if (inForce !== this.lastInForce) {
      this.bounds = boundsFor(auto, inForce);
      this.lastInForce = inForce;
    }
    const bounds = this.bounds;
    this.minBound = bounds.min;
    if (bounds.schedule !== this.lastSchedule) {
      log.schedule(t, bounds, this.lastSchedule);
      this.lastSchedule = bounds.schedule;
    }
    const m = policy.metrics.length;
    for (let k = 0; k < m; k++) scaler.totals[k] = measure(tables.measureOf[k], this.hasTraffic, rps, latency, sample, tables.fieldOf[k]);
    if (this.cronSchedules) scaler.cron = cronDesiredAt(this.cronSchedules, now, auto.min);
    const current = instances.total;
    const final = scaler.evaluate(now, current, bounds, instances.ready);
    const e = this.count++;
    this.step[e] = i;
    this.min[e] = bounds.min;
    this.max[e] = bounds.max;
    for (let k = 0; k < m; k++) this.raw[e * m + k] = scaler.raw[k];
    this.combined[e] = scaler.combined;
    this.final[e] = final;
    if (final !== current || scaler.flappingOutcome !== 'ok') {
      log.decision(t, scaler, current, final);
      if (final !== current) instances.resize(final, t, policy.coldStartMs);
    }
  }
}
