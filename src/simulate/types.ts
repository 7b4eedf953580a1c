// The simulator's data: load in, per-step columns and events out.
import type { LoadField } from './policy.js';

// Re-exported for callers of the types.
export type { LoadField } from './policy.js';

// One measurement of load; any field may be absent (not measured).
export interface LoadSample {
  /** Arriving requests per second. */
  rps?: number;
  /** Requests wanting service at once (in flight); converted to arrivals with `latency`. */
  concurrency?: number;
  /** Queue length (total) for `queue` metrics. */
  queue?: number;
  /** CPU demand in % of one instance's request, summed over instances (56 on 2 instances = 28% each). */
  cpu?: number;
  /** Memory demand in % of one instance's request, summed. */
  memory?: number;
  /** The external metric's value (total). */
  external?: number;
  /** Service time of one request in ms (default 100). */
  latency?: number;
}

// A load curve, sampled by offset from the simulation start into a reusable vector (NaN = absent).
export interface LoadCurve {
  /** The fields this curve ever sets. */
  fields: LoadField[];
  /** Human description ("rps=steps(100,800@10m)"). */
  describe: string;
  /** Writes the load at `offsetMs` into `out` (indexes from FIELD); must not allocate. */
  sample(offsetMs: number, out: Float64Array): void;
  /**
   * Optional, for speed: the same values for steps first … first+count−1 (offset = step × stepMs), step j's
   * fields at out[j × stride + FIELD[field]]; only the fields in `wanted` (a mask of 1 << FIELD[field],
   * default all), the others left as they are. Must not allocate.
   */
  fill?(first: number, stepMs: number, count: number, out: Float64Array, stride: number, wanted?: number): void;
}

// What an event marks on the chart.
export type EventKind = 'scale-out' | 'scale-in' | 'flapping-avoided' | 'drops' | 'schedule' | 'idle-removed';

// Something worth marking: a scaling action, a flapping guard, drops, a schedule change.
export interface SimEvent {
  /** Offset from the start, ms. */
  at: number;
  kind: EventKind;
  from?: number;
  to?: number;
  /** Requests dropped (drops events cover a run of consecutive steps). */
  count?: number;
  detail: string;
}

// Totals of a run for the summary table.
export interface Summary {
  peakInstances: number;
  minInstances: number;
  meanInstances: number;
  coldStarts: number;
  scaleOuts: number;
  scaleIns: number;
  flappingAvoided: number;
  requests: number;
  served: number;
  dropped: number;
  /** Requests that waited in the buffer at all. */
  queuedRequests: number;
  peakQueued: number;
  /** Latency added by queueing, ms (step granularity). */
  waitP50: number;
  waitP95: number;
  waitP99: number;
  instanceSeconds: number;
  instanceHours: number;
}

// A run: per-step columns, per-evaluation decisions, events and summary.
export interface SimulationResult {
  service: string;
  start: string;
  stepMs: number;
  steps: number;
  evaluationIntervalMs: number;
  metrics: string[];
  fields: LoadField[];
  load: Partial<Record<LoadField, Float32Array>>;
  /** Per step. Starting = instances − ready; hot = min(instances, boundsMin); cold = instances − hot. */
  series: {
    /** Instance count the autoscaler holds (ready + starting). */
    instances: Int32Array;
    ready: Int32Array;
    boundsMin: Int32Array;
    boundsMax: Int32Array;
    inFlight: Float32Array;
    queued: Float32Array;
    dropped: Float32Array;
    served: Float32Array;
  };
  evaluations: {
    step: Int32Array;
    /** Raw recommended count per metric, row-major (evaluation × metric), NaN = not measured. */
    raw: Float64Array;
    combined: Int32Array;
    final: Int32Array;
  };
  events: SimEvent[];
  summary: Summary;
}
