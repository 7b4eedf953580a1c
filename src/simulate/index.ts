// The pure simulator: steps a service's policy through a load curve (no I/O, no clock: time is input).
// Per step: instances hot/cold/starting, in-flight, queued, dropped; per evaluation: the decision.
import type { ServiceConfig } from '../config/model.js';
import { Autoscaler, type EngineState } from './decide.js';
import { EventLog } from './events.js';
import { FIELD, FIELD_COUNT, DEFAULTS, resolvePolicy, type LoadField, type Policy } from './policy.js';
import type { Platform } from './platform.js';
import { Evaluator, metricTables, type MetricTables } from './evaluator.js';
import { Instances, RequestQueue } from './traffic.js';
import type { LoadCurve, SimulationResult, Summary } from './types.js';

// The data types callers need, re-exported.
export type { LoadCurve, LoadSample, SimulationResult, SimEvent, Summary } from './types.js';
export type { Platform } from './platform.js';

// Past scale events to start from (mid-history): each moved the count from → to at `at` (epoch ms).
export interface PastScaleEvent { at: number; from: number; to: number }

// When to start, for how long, in which steps, from how many instances.
export interface SimulateOptions {
  start: Date;
  durationMs: number;
  stepMs: number;
  initialCount?: number;
  /** Whose semantics to follow (default: the mock cloud); see platform.ts. */
  platform?: Platform;
  /** Start mid-history: the engine state scalectl autoscale saved, or past scale events. */
  history?: EngineState | PastScaleEvent[];
}

// Runs `service` against `load` from `options.start` for `durationMs` in steps of `stepMs`.
export function simulate(service: ServiceConfig, load: LoadCurve, options: SimulateOptions): SimulationResult {
  const policy = resolvePolicy(service, options.platform);
  return run(service.name, policy, load, options);
}

function run(name: string, policy: Policy, load: LoadCurve, options: SimulateOptions): SimulationResult {
  const { stepMs, durationMs } = options;
  if (!(stepMs > 0)) throw new Error(`step must be a positive duration, got ${stepMs} ms`);
  if (!(durationMs > 0)) throw new Error(`duration must be a positive duration, got ${durationMs} ms`);
  const startMs = options.start.getTime();
  const steps = Math.ceil(durationMs / stepMs);
  const auto = policy.autoscale;
  const log = new EventLog(policy.queueTimeoutMs, policy.idleTimeoutMs);
  const hasTraffic = load.fields.includes('rps') || load.fields.includes('concurrency');
  const tables = metricTables(policy);
  const { measureOf, fieldOf, windowed } = tables;
  const evalEvery = Math.max(1, Math.round(policy.intervalMs / stepMs));
  const evaluator = new Evaluator(policy, log, tables, hasTraffic, startMs, Math.ceil(steps / evalEvery));
  const bounds = evaluator.bounds;
  const initial = clamp(options.initialCount ?? auto.initial ?? bounds.min, bounds.min, bounds.max);
  // The lower bound in force (changes only at evaluations).
  let minBound = evaluator.minBound;

  const scaler = new Autoscaler(policy, startMs, initial);
  const history = options.history;
  if (Array.isArray(history)) scaler.seedEvents(history);
  else if (history) scaler.loadState(history);
  const instances = new Instances(initial, 0, Math.min(bounds.max, MAX_PREALLOCATED));
  const queue = new RequestQueue(policy.queueTimeoutMs, stepMs);
  const sample = new Float64Array(FIELD_COUNT);
  const sampled = scaler.sampled;

  const series = {
    instances: new Int32Array(steps),
    ready: new Int32Array(steps),
    inFlight: new Float32Array(steps),
    queued: new Float32Array(steps),
    dropped: new Float32Array(steps),
    served: new Float32Array(steps),
  };
  // What finish() needs besides the running totals, gathered before the step loop: an object built after it
  // would be part of the loop's compiled code, which then depends on the shapes of everything it holds
  // (another policy shape in a later run would throw that code away).
  const stepped: Stepped = { name, policy, load, options, steps, evalEvery, evaluator, log, queue, instances, series };
  const sInstances = series.instances;
  const sReady = series.ready;
  const sInFlight = series.inFlight;
  const sQueued = series.queued;
  const sDropped = series.dropped;
  const sServed = series.served;
  let requests = 0;
  let served = 0;
  let peakQueued = 0;
  let instanceSteps = 0;
  let peak = 0;
  let low = Infinity;
  const limit = policy.limit;
  const queueTimeoutMs = policy.queueTimeoutMs;
  const idleTimeoutMs = policy.idleTimeoutMs;
  const packBy = policy.pack.by === 'concurrency' ? 0 : policy.pack.by === 'rps' ? 1 : 2;
  const perInstance = policy.pack.perInstance;
  const hasRps = load.fields.includes('rps');
  const hasConcurrency = load.fields.includes('concurrency');
  const hasLatency = load.fields.includes('latency');
  // Numbers the optimizer can see are numbers (a `+` on a loaded or returned value): a value that may be
  // anything, meeting a double at a branch, makes the compiler box that double on every step.
  const defaultLatency = +DEFAULTS.latencyMs;
  // Curves set their own fields on every call: the others stay NaN (not measured).
  sample.fill(Number.NaN);
  // The load is sampled a block of steps at a time (step j's fields at block[j × FIELD_COUNT + field]),
  // only the fields this run reads.
  const wanted = fieldsRead(load.fields, tables);
  const block = new Float64Array(BLOCK * FIELD_COUNT).fill(Number.NaN);
  const latencyAt = FIELD.latency;
  const rpsAt = FIELD.rps;
  const concurrencyAt = FIELD.concurrency;
  let o = block.length;
  // Steps until the next evaluation (a countdown, not i % evalEvery: an integer division every step).
  let untilEvaluation = 0;

  for (let i = 0; i < steps; i++) {
    const t = i * stepMs;
    const now = startMs + t;
    if (instances.starting > 0) instances.promote(t);
    if (o === block.length) {
      fillBlock(load, i, stepMs, Math.min(BLOCK, steps - i), block, sample, wanted);
      o = 0;
    }

    // Requests: arrivals join the FIFO buffer; ready instances take up to the hard limit each.
    const latency = hasLatency && block[o + latencyAt] >= 1 ? block[o + latencyAt] : hasLatency && block[o + latencyAt] >= 0 ? 1 : defaultLatency;
    const rps = hasRps ? block[o + rpsAt] || 0 : hasConcurrency ? ((block[o + concurrencyAt] || 0) * 1000) / latency : 0;
    const arriving = rps > 0 ? (rps * stepMs) / 1000 : 0;
    const slots = instances.ready === 0 ? 0 : instances.ready * limit;
    const capacity = slots === Infinity ? Infinity : (slots * stepMs) / latency;
    let servedNow = 0;
    let droppedNow = 0;
    if (queue.total === 0 && arriving <= capacity && !queue.dropping) {
      // Nothing waiting, everything fits and no run of drops to close: served at once (the common case).
      servedNow = arriving;
      queue.waits[0] += arriving;
    } else {
      servedNow = +queue.advance(t, arriving, capacity, stepMs, queueTimeoutMs, log);
      droppedNow = queue.droppedNow;
    }
    const running = (servedNow * latency) / stepMs;
    const inFlight = running < slots ? running : slots;
    const queued = queue.total;
    if (windowed.length > 0) {
      for (let w = 0; w < windowed.length; w++) {
        const k = windowed[w];
        // measure() written out: a call that is not inlined boxes its double arguments and result.
        const how = measureOf[k];
        sampled[k] = how === 0 ? (hasTraffic ? rps : Number.NaN) : how === 1 ? (hasTraffic ? (rps * latency) / 1000 : block[o + concurrencyAt]) : block[o + fieldOf[k]];
      }
      scaler.observeStep(t, windowed);
    }

    if (hasTraffic) {
      const work = inFlight + queued;
      const busy = work <= 0 ? 0 : packBy === 0 ? Math.ceil(work / perInstance - 1e-9) : packBy === 1 ? Math.ceil(rps / perInstance - 1e-9) : instances.ready;
      instances.markBusy(busy, t);
    }

    if (untilEvaluation === 0) {
      untilEvaluation = evalEvery;
      for (let f = 0; f < FIELD_COUNT; f++) sample[f] = block[o + f];
      evaluator.at(i, t, now, rps, latency, sample, scaler, instances);
      minBound = evaluator.minBound;
    }

    // Idle cold instances go after instanceIdleTimeout, never below what the metrics still want.
    const removed = hasTraffic && instances.ready > minBound && instances.ready > 1 ? instances.reapIdle(t, idleTimeoutMs, Math.max(minBound, 1, scaler.combined)) : 0;
    if (removed > 0) log.idle(t, removed, instances.total);

    const total = instances.total;
    sInstances[i] = total;
    sReady[i] = instances.ready;
    sInFlight[i] = inFlight;
    sQueued[i] = queued;
    sDropped[i] = droppedNow;
    sServed[i] = servedNow;
    requests += arriving;
    served += servedNow;
    if (queued > peakQueued) peakQueued = queued;
    instanceSteps += total;
    if (total > peak) peak = total;
    if (total < low) low = total;
    o += FIELD_COUNT;
    untilEvaluation--;
  }
  queue.recordDrops(log);
  // The totals as arguments, not an object, for the same reason.
  return finish(stepped, requests, served, peakQueued, instanceSteps, peak, low);
}

// What a run's step loop leaves for its result, besides the running totals.
interface Stepped {
  name: string;
  policy: Policy;
  load: LoadCurve;
  options: SimulateOptions;
  steps: number;
  evalEvery: number;
  evaluator: Evaluator;
  log: EventLog;
  queue: RequestQueue;
  instances: Instances;
  series: Omit<SimulationResult['series'], 'boundsMin' | 'boundsMax'>;
}

// The result of a run from its step loop's columns and totals (out of run(): shapes that vary between runs
// stay out of the step loop's compiled code).
function finish(run: Stepped, requests: number, served: number, peakQueued: number, instanceSteps: number, peak: number, low: number): SimulationResult {
  const { policy, load, options, steps, evalEvery, evaluator, log, queue, instances, series } = run;
  const stepMs = options.stepMs;
  let cached: SimulationResult['load'] | undefined;
  let boundsMin: Int32Array | undefined;
  let boundsMax: Int32Array | undefined;
  const instanceSeconds = (instanceSteps * stepMs) / 1000;
  const n = evaluator.count;
  const m = policy.metrics.length;
  const dropped = queue.dropped;
  let queuedRequests = dropped + queue.total;
  for (let k = 1; k < queue.waits.length; k++) queuedRequests += queue.waits[k];
  const summary: Summary = {
    peakInstances: peak,
    minInstances: low === Infinity ? 0 : low,
    meanInstances: instanceSteps / steps,
    coldStarts: instances.started,
    scaleOuts: log.scaleOuts,
    scaleIns: log.scaleIns,
    flappingAvoided: log.flappingAvoided,
    requests,
    served,
    dropped,
    queuedRequests,
    peakQueued,
    waitP50: percentile(queue.waits, 0.5) * stepMs,
    waitP95: percentile(queue.waits, 0.95) * stepMs,
    waitP99: percentile(queue.waits, 0.99) * stepMs,
    instanceSeconds,
    instanceHours: instanceSeconds / 3600,
  };
  return {
    service: run.name,
    start: options.start.toISOString(),
    stepMs,
    steps,
    evaluationIntervalMs: evalEvery * stepMs,
    metrics: policy.names,
    fields: load.fields,
    // The curve is pure and random-access: its columns are sampled again only when someone reads them.
    get load() {
      return (cached ??= loadColumns(load, steps, stepMs));
    },
    series: {
      instances: series.instances,
      ready: series.ready,
      inFlight: series.inFlight,
      queued: series.queued,
      dropped: series.dropped,
      served: series.served,
      // Bounds change only at evaluations: expanded per step when read.
      get boundsMin() {
        return (boundsMin ??= perStep(evaluator.min, steps, evalEvery));
      },
      get boundsMax() {
        return (boundsMax ??= perStep(evaluator.max, steps, evalEvery));
      },
    },
    evaluations: { step: evaluator.step.subarray(0, n), raw: evaluator.raw.subarray(0, n * m), combined: evaluator.combined.subarray(0, n), final: evaluator.final.subarray(0, n) },
    events: log.events,
    summary,
  };
}

// Steps of load sampled at once.
const BLOCK = 256;
// Instance slots allocated up front at most (more grow on demand).
const MAX_PREALLOCATED = 1024;

// Samples steps first … first+count−1 of `load` into `block`, the fields in `wanted` at least (curves
// without fill() go a step at a time through `scratch`, whose other fields stay NaN).
function fillBlock(load: LoadCurve, first: number, stepMs: number, count: number, block: Float64Array, scratch: Float64Array, wanted: number): void {
  if (load.fill) {
    load.fill(first, stepMs, count, block, FIELD_COUNT, wanted);
    return;
  }
  for (let j = 0; j < count; j++) {
    load.sample((first + j) * stepMs, scratch);
    block.set(scratch, j * FIELD_COUNT);
  }
}

// The load fields a run reads (a mask of 1 << FIELD[f]): the request rate (or offered concurrency) and latency
// for the traffic, and each metric's own field (concurrency when it is measured in flight without traffic).
function fieldsRead(fields: LoadField[], tables: MetricTables): number {
  let mask = 0;
  if (fields.includes('rps')) mask |= 1 << FIELD.rps;
  else if (fields.includes('concurrency')) mask |= 1 << FIELD.concurrency;
  if (fields.includes('latency')) mask |= 1 << FIELD.latency;
  const traffic = fields.includes('rps') || fields.includes('concurrency');
  for (let k = 0; k < tables.measureOf.length; k++) {
    if (tables.measureOf[k] === 2) mask |= 1 << tables.fieldOf[k];
    else if (tables.measureOf[k] === 1 && !traffic) mask |= 1 << FIELD.concurrency;
  }
  return mask;
}

// A per-evaluation column repeated over the steps it covers.
function perStep(values: Int32Array, steps: number, every: number): Int32Array {
  const out = new Int32Array(steps);
  for (let i = 0; i < steps; i++) out[i] = values[Math.floor(i / every)];
  return out;
}

// The load per step, per field (for charts and --json).
function loadColumns(load: LoadCurve, steps: number, stepMs: number): SimulationResult['load'] {
  const columns: SimulationResult['load'] = {};
  const sample = new Float64Array(FIELD_COUNT).fill(Number.NaN);
  const targets = load.fields.map((f) => (columns[f] = new Float32Array(steps)));
  const indexes = load.fields.map((f) => FIELD[f]);
  for (let i = 0; i < steps; i++) {
    load.sample(i * stepMs, sample);
    for (let f = 0; f < targets.length; f++) targets[f][i] = sample[indexes[f]];
  }
  return columns;
}

// The wait (in steps) below which `q` of the served requests fall.
function percentile(histogram: Float64Array, q: number): number {
  let total = 0;
  for (let i = 0; i < histogram.length; i++) total += histogram[i];
  if (total <= 0) return 0;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i];
    if (seen >= q * total - 1e-9) return i;
  }
  return histogram.length - 1;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);
