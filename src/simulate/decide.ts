// One autoscaler decision in the semantics of the platform that realises the service (platform.ts):
// HPA-style — raw count per metric (with tolerance) → combine → step rule → pause → stabilization →
// cooldown → rate policies → flapping guard → bounds → KEDA/Container Apps activation and to-zero —
// or the Knative Pod Autoscaler (stable/panic windows, rate limits, scale-down delay).
// Allocation-free: every evaluation writes into the same typed arrays; explain/describe read them.
import type { Bounds } from './schedule.js';
import { guardScaleIn } from './flapping.js';
import { kpaScale, type KpaSpec } from './kpa.js';
import { MeanWindow, Ring, WindowExtreme } from './windows.js';
import type { Direction, Policy, ResolvedMetric } from './policy.js';

// Constraint slots, in the order they are applied.
export const C = { missing: 0, toZero: 1, pause: 2, stabilization: 3, cooldown: 4, policy: 5, flapping: 6, min: 7, max: 8, step: 9, panic: 10 } as const;
// Display names of the constraint slots, same order as C.
export const CONSTRAINT_NAMES = ['metrics missing', 'to zero', 'pause', 'stabilization', 'cooldown', 'rate policy', 'flapping guard', 'min', 'max', 'step rule', 'panic mode'];
const SLOTS = CONSTRAINT_NAMES.length;

// The autoscaler's memory between evaluations as plain JSON (scalectl autoscale persists it, so a
// restart keeps the stabilization windows, the policy periods, the cooldown and the idle timer).
export interface EngineState {
  version: 1;
  /** Scale-up / scale-down stabilization windows: [time ms, recommendation] pairs. */
  upWindow: [number, number][];
  downWindow: [number, number][];
  /** Past scale events for rate-policy periods: [time ms, change]. */
  scaleEvents: [number, number][];
  /** Epoch ms, or null when no cooldown runs. */
  cooldownUntil: number | null;
  /** Last time a metric was above its activation (the to-zero idle timer), epoch ms. */
  lastActiveAt: number;
  /** Evaluations in a row with no metric measured (fallback). */
  missingCount: number;
  /** Averaging windows: [time ms, value] samples per metric type (absent in older states). */
  samples?: Record<string, [number, number][]>;
  /** Knative: the panic window's samples, when panic mode started (null = stable mode), the most pods wanted while panicking. */
  panicSamples?: [number, number][];
  panicSince?: number | null;
  maxPanicPods?: number;
}

// The autoscaler's state between evaluations (windows, events, cooldown) and its last decision.
export class Autoscaler {
  readonly policy: Policy;
  // Outputs of the last evaluation.
  /** Metric totals as measured now (write them before evaluate; NaN = not measured). */
  readonly totals: Float64Array;
  /** What the decision used: the totals, averaged over each metric's window. */
  readonly used: Float64Array;
  readonly raw: Float64Array;
  readonly withinTolerance: Uint8Array;
  readonly before = new Float64Array(SLOTS);
  readonly after = new Float64Array(SLOTS);
  readonly applied = new Uint8Array(SLOTS);
  /** 1 for the constraints evaluated this time (the others hold stale numbers). */
  readonly ran = new Uint8Array(SLOTS);
  now = 0;
  current = 0;
  combined = 0;
  final = 0;
  bounds: Bounds = { min: 0, max: 0, schedule: undefined };
  cooldownUntil = -Infinity;
  flappingOutcome: 'ok' | 'shrunk' | 'skipped' = 'ok';
  policyLimit = 0;
  missingCount = 0;
  /** KEDA cron triggers in force: the largest desiredReplicas, NaN when none (an external metric, target 1). */
  cron = Number.NaN;
  /** Knative: panic mode since (epoch ms; NaN = stable mode), the most pods wanted while panicking, the panic-window value. */
  panicSince = Number.NaN;
  maxPanicPods = 0;
  panicValue = Number.NaN;
  /** Knative excess burst capacity of the last evaluation (negative: the activator stays in the request path). */
  excessBurstCapacity = 0;
  private readonly upWindow = new WindowExtreme(false);
  private readonly downWindow = new WindowExtreme(true);
  private readonly scaleEvents: Ring;
  private readonly maxWindowMs: number;
  private readonly maxPeriodMs: number;
  private lastActiveAt: number;
  private readonly usable: Float64Array;
  private readonly means: (MeanWindow | undefined)[];
  private readonly observedAt: Float64Array;
  private readonly startMs: number;
  /** Values for observeStep, per metric (the simulator writes them every step). */
  readonly sampled: Float64Array;
  private readonly panicWindow = new MeanWindow();
  private readonly kpaIndex: number;
  /** Knative: the KPA's settings with the metric's target (built once, not per evaluation). */
  private readonly kpaSpec: KpaSpec | undefined;
  private readonly kpaPerPod: number;
  private readonly averaged: boolean;

  constructor(policy: Policy, startMs: number, initialCount: number) {
    this.policy = policy;
    const m = policy.metrics.length;
    this.totals = new Float64Array(m);
    this.used = new Float64Array(m);
    this.raw = new Float64Array(m);
    this.usable = new Float64Array(m);
    this.withinTolerance = new Uint8Array(m);
    this.means = policy.metrics.map((metric) => (metric.windowMs > 0 ? new MeanWindow() : undefined));
    this.observedAt = new Float64Array(m).fill(Number.NaN);
    this.startMs = startMs;
    this.sampled = new Float64Array(m);
    this.averaged = policy.metrics.some((metric) => metric.windowMs > 0);
    this.kpaIndex = policy.algorithm === 'kpa' ? policy.metrics.findIndex((x) => x.type === 'concurrency' || x.type === 'rps') : -1;
    this.kpaSpec = this.kpaIndex >= 0 ? { ...policy.kpa, target: policy.metrics[this.kpaIndex].target } : undefined;
    // A pod's capacity: the hard limit, or the target over the utilization it was scaled by.
    const concurrency = policy.autoscale.metrics?.find((x) => x.type === 'concurrency') as { utilization?: number } | undefined;
    this.kpaPerPod = this.kpaIndex < 0 ? 0 : Number.isFinite(policy.limit) ? policy.limit : (policy.metrics[this.kpaIndex].target / (concurrency?.utilization ?? 70)) * 100;
    this.maxWindowMs = Math.max(policy.up.stabilizationMs, policy.down.stabilizationMs);
    this.maxPeriodMs = Math.max(0, ...policy.up.policies.map((p) => p.periodMs), ...policy.down.policies.map((p) => p.periodMs));
    this.scaleEvents = new Ring(Math.ceil(this.maxPeriodMs / policy.intervalMs) + 2);
    // The HPA records the count it finds as its first recommendation, for both directions
    // (horizontal.go recordInitialRecommendation): a scale-up window holds it as long as a scale-down one.
    this.upWindow.push(startMs, initialCount);
    this.downWindow.push(startMs, initialCount);
    this.lastActiveAt = startMs;
  }

  // The memory as plain JSON (see EngineState).
  saveState(): EngineState {
    const samples: Record<string, [number, number][]> = {};
    this.policy.metrics.forEach((metric, i) => {
      const mean = this.means[i];
      if (mean) samples[metric.type] = mean.entries();
    });
    return {
      version: 1,
      upWindow: this.upWindow.entries(),
      downWindow: this.downWindow.entries(),
      scaleEvents: this.scaleEvents.entries(),
      cooldownUntil: Number.isFinite(this.cooldownUntil) ? this.cooldownUntil : null,
      lastActiveAt: this.lastActiveAt,
      missingCount: this.missingCount,
      ...(Object.keys(samples).length > 0 ? { samples } : {}),
      ...(this.kpaIndex >= 0 ? { panicSamples: this.panicWindow.entries(), panicSince: Number.isNaN(this.panicSince) ? null : this.panicSince, maxPanicPods: this.maxPanicPods } : {}),
    };
  }

  // Restores memory saved by saveState (replacing the constructor's seeding).
  loadState(state: EngineState): void {
    this.upWindow.load(state.upWindow);
    this.downWindow.load(state.downWindow);
    this.scaleEvents.load(state.scaleEvents);
    this.cooldownUntil = state.cooldownUntil ?? -Infinity;
    this.lastActiveAt = state.lastActiveAt;
    this.missingCount = state.missingCount;
    this.policy.metrics.forEach((metric, i) => this.means[i]?.load(state.samples?.[metric.type] ?? []));
    this.panicWindow.load(state.panicSamples ?? []);
    this.panicSince = state.panicSince ?? Number.NaN;
    this.maxPanicPods = state.maxPanicPods ?? 0;
  }

  // Seeds past scale events (a simulation that starts mid-history): each moves the count from → to at `at`.
  seedEvents(events: { at: number; from: number; to: number }[]): void {
    const p = this.policy;
    for (const e of [...events].sort((x, y) => x.at - y.at)) {
      if (e.to === e.from) continue;
      this.scaleEvents.push(e.at, e.to - e.from);
      this.upWindow.push(e.at, e.to);
      this.downWindow.push(e.at, e.to);
      const cooldown = e.to > e.from ? p.up.cooldownMs : p.down.cooldownMs;
      if (cooldown > 0) this.cooldownUntil = Math.max(this.cooldownUntil, e.at + cooldown);
      if (e.to > 0) this.lastActiveAt = Math.max(this.lastActiveAt, e.at);
    }
  }

  // One measurement between evaluations (the simulator calls it every step for averaged metrics).
  observe(now: number, index: number, value: number): void {
    this.means[index]?.push(now, value);
    if (index === this.kpaIndex) this.panicWindow.push(now, value);
    this.observedAt[index] = now;
  }

  // observe() for metrics `indexes[0..count)` with the values in `this.sampled`, at `offsetMs` after the
  // start: the simulator's per-step path, where passing an epoch-ms double would box it on every call.
  observeStep(offsetMs: number, indexes: Int32Array): void {
    const now = this.startMs + offsetMs;
    for (let w = 0; w < indexes.length; w++) {
      const k = indexes[w];
      this.observe(now, k, this.sampled[k]);
    }
  }

  private mark(slot: number, before: number, after: number): number {
    this.ran[slot] = 1;
    this.applied[slot] = before !== after ? 1 : 0;
    this.before[slot] = before;
    this.after[slot] = after;
    return after;
  }

  // The value a metric decides on: the instant total, or its mean over the metric's window.
  private measured(i: number, now: number): number {
    const metric = this.policy.metrics[i];
    if (metric.windowMs <= 0) return this.totals[i];
    if (this.observedAt[i] !== now) this.observe(now, i, this.totals[i]);
    return this.means[i]!.mean(now - metric.windowMs);
  }

  // Decides the count at `now` from the metric totals already written into `this.totals`;
  // `ready` (default: all) is the ready instances the Knative autoscaler counts.
  evaluate(now: number, current: number, bounds: Bounds, ready = current): number {
    const p = this.policy;
    this.now = now;
    this.current = current;
    this.bounds = bounds;
    // Loops, not fill(): a builtin call costs more than clearing eleven slots.
    for (let slot = 0; slot < SLOTS; slot++) {
      this.applied[slot] = 0;
      this.ran[slot] = 0;
    }
    this.flappingOutcome = 'ok';
    const m = p.metrics.length;
    if (this.averaged) for (let i = 0; i < m; i++) this.used[i] = this.measured(i, now);
    else for (let i = 0; i < m; i++) this.used[i] = this.totals[i];
    if (p.algorithm === 'kpa') return this.evaluateKpa(now, current, ready, bounds);

    let missing = 0;
    let active = false;
    for (let i = 0; i < m; i++) {
      const metric = p.metrics[i];
      const total = this.used[i];
      this.withinTolerance[i] = 0;
      if (Number.isNaN(total)) {
        this.raw[i] = Number.NaN;
        missing++;
        continue;
      }
      // cpu/memory never activate (KEDA: they cannot wake a service from zero or keep it from going there).
      if (total > metric.activation && metric.type !== 'cpu' && metric.type !== 'memory') active = true;
      const raw = this.recommend(metric, total, current);
      if (raw < 0) {
        this.raw[i] = current;
        this.withinTolerance[i] = 1;
      } else this.raw[i] = raw;
    }
    // A KEDA cron trigger: an external metric worth desiredReplicas in its window (AverageValue target 1).
    const cron = this.cron;
    if (cron > 0) active = true;
    if (active) this.lastActiveAt = now;

    // Activation from zero (KEDA, Container Apps): straight to max(min, 1); the HPA takes over from there.
    const canZero = bounds.min === 0 && p.platform !== 'hpa';
    if (current === 0 && canZero) {
      const woken = active && p.autoscale.pause !== true ? Math.min(Math.max(1, bounds.min), Math.max(bounds.max, 1)) : 0;
      this.combined = woken;
      this.final = this.mark(C.toZero, 0, woken);
      if (woken > 0) this.recordDesired(now, woken);
      return this.final;
    }

    // Combine; metrics that cannot be read never cause a scale-in (HPA), `default`/`fallback` when all fail.
    let desired: number;
    if (m === 0) {
      desired = current;
      this.combined = current;
    } else if (missing === m) {
      this.missingCount++;
      const fallback = p.autoscale.fallback;
      if (fallback && this.missingCount >= (fallback.after ?? 3)) desired = fallback.replicas;
      else if (p.autoscale.default !== undefined && current < p.autoscale.default) desired = p.autoscale.default;
      else desired = current;
      this.combined = desired;
      this.mark(C.missing, current, desired);
      this.applied[C.missing] = 1;
    } else {
      this.missingCount = 0;
      let value: number;
      if (missing > 0) {
        let n = 0;
        for (let i = 0; i < m; i++) if (!Number.isNaN(this.raw[i])) this.usable[n++] = this.raw[i];
        value = p.combineRule === 'max' || p.combineRule === 'min' || p.combineRule === 'avg' ? p.combine(this.usable.subarray(0, n)) : current;
      } else {
        value = p.combine(this.raw);
      }
      desired = Math.max(0, ceil(value));
      this.combined = desired;
      if (missing > 0 && desired < current) desired = this.mark(C.missing, desired, current);
    }
    if (cron === cron) {
      // The HPA takes the largest recommendation: the cron trigger's count joins the metrics' one.
      const ratio = current > 0 ? cron / current : Infinity;
      const fromCron = ratio >= 1 - p.down.tolerance && ratio <= 1 + p.up.tolerance ? current : Math.ceil(cron);
      if (fromCron > desired) desired = fromCron;
      this.combined = desired;
    }

    // Azure step rules: each action moves by a fixed step, not to the computed count.
    if (desired > current && p.up.step) desired = this.mark(C.step, desired, current + stepSize(p.up.step, current));
    else if (desired < current && p.down.step) desired = this.mark(C.step, desired, Math.max(0, current - stepSize(p.down.step, current)));

    const pause = p.autoscale.pause;
    if (pause === true) {
      this.final = this.mark(C.pause, desired, current);
      return this.final;
    }
    if (pause && typeof pause === 'object') {
      if (pause.replicas !== undefined) {
        this.final = this.mark(C.pause, desired, pause.replicas);
        return this.final;
      }
      if (pause.scaleIn === false && desired < current) desired = this.mark(C.pause, desired, current);
      if (pause.scaleOut === false && desired > current) desired = this.mark(C.pause, desired, current);
    }

    desired = this.mark(C.stabilization, desired, this.stabilize(now, current, desired));

    if (desired !== current && now < this.cooldownUntil) desired = this.mark(C.cooldown, desired, current);

    if (desired > current) desired = this.mark(C.policy, desired, Math.min(desired, this.upLimit(now, current, p.up)));
    else if (desired < current) desired = this.mark(C.policy, desired, Math.max(desired, this.downLimit(now, current, p.down)));

    // The HPA never goes below 1 when the service may scale to zero: the last instance is KEDA's (or Container Apps') to remove.
    const floor = canZero ? 1 : bounds.min;
    if (p.flappingGuard && desired < current && desired >= floor) {
      const guarded = guardScaleIn(current, desired, this);
      this.flappingOutcome = guarded.outcome;
      desired = this.mark(C.flapping, desired, guarded.count);
    }

    if (desired < floor) desired = this.mark(C.min, desired, floor);
    if (desired > bounds.max) desired = this.mark(C.max, desired, bounds.max);

    // To zero: cooldownPeriod after the last active trigger, apart from the HPA's stabilization.
    if (canZero && !active && pause === undefined) {
      desired = this.mark(C.toZero, desired, now - this.lastActiveAt > p.toZeroAfterMs ? 0 : desired);
    }

    this.final = desired;
    if (desired !== current) {
      if (desired > 0) this.scaleEvents.push(now, desired - current);
      const cooldown = desired > current ? p.up.cooldownMs : p.down.cooldownMs;
      if (cooldown > 0) this.cooldownUntil = now + cooldown;
    }
    return desired;
  }

  // The raw count one metric asks for, or −1 when the ratio is within tolerance (keep the count).
  // HPA-based platforms use the HPA's arithmetic: utilization truncated to a whole percent, averages in
  // milli-units, Go's math.Ceil on float64 (no epsilon); the others compute exactly.
  private recommend(metric: ResolvedMetric, total: number, current: number): number {
    const p = this.policy;
    const low = 1 - p.down.tolerance;
    const high = 1 + p.up.tolerance;
    if (current === 0) return Math.max(total > metric.activation ? 1 : 0, ceil(total / metric.target));
    switch (metric.hpaMath) {
      case 'utilization': {
        // metrics/utilization.go: currentUtilization = int32(metricsTotal * 100 / requestsTotal).
        const ratio = Math.floor(total / current + 1e-9) / metric.target;
        return ratio >= low && ratio <= high ? -1 : Math.ceil(ratio * current);
      }
      case 'average': {
        const ratio = Math.floor((total * 1000) / current + 1e-6) / Math.round(metric.target * 1000);
        return ratio >= low && ratio <= high ? -1 : Math.ceil(ratio * current);
      }
      case 'external': {
        const milli = Math.round(total * 1000);
        const target = Math.round(metric.target * 1000);
        const ratio = milli / (target * current);
        return ratio >= low && ratio <= high ? -1 : Math.ceil(milli / target);
      }
      case 'value': {
        const ratio = Math.round(total * 1000) / Math.round(metric.target * 1000);
        return ratio >= low && ratio <= high ? -1 : Math.ceil(ratio * current);
      }
      default: {
        const ratio = metric.mode === 'value' ? total / metric.target : total / (current * metric.target);
        if (ratio >= low && ratio <= high) return -1;
        return metric.mode === 'value' ? ceil(current * ratio) : ceil(total / metric.target);
      }
    }
  }

  // Knative's KPA (pkg/autoscaler/scaling/autoscaler.go Scale): stable and panic desired pods from the
  // two windows, clamped by the scale rates around the ready count; panic never scales down and lasts
  // until a stable window passes below the threshold; scale-down-delay takes the highest of its window.
  private evaluateKpa(now: number, current: number, readyCount: number, bounds: Bounds): number {
    const p = this.policy;
    const k = p.kpa;
    const i = this.kpaIndex;
    const metric = p.metrics[i];
    const stable = this.used[i];
    const panic = this.panicWindow.mean(now - k.panicWindowMs);
    this.panicValue = panic;
    for (let j = 0; j < p.metrics.length; j++) this.raw[j] = Number.NaN;
    if (Number.isNaN(stable) || Number.isNaN(panic)) {
      // No data: no decision (the KPA returns an invalid result and keeps the scale).
      this.combined = current;
      this.final = this.mark(C.missing, current, current);
      return this.final;
    }
    const scaled = kpaScale(this.kpaSpec!, this, now, stable, panic, readyCount);
    this.raw[i] = Math.ceil(stable / metric.target);
    this.combined = this.raw[i];
    let desired = this.mark(C.policy, this.raw[i], scaled.stablePods);
    if (scaled.panicking) desired = this.mark(C.panic, Math.max(scaled.stablePods, scaled.panicPods), scaled.desired);
    if (p.down.delayMs > 0) {
      this.downWindow.push(now, desired);
      desired = this.mark(C.stabilization, desired, this.downWindow.query(now - p.down.delayMs, desired));
    }
    // Excess burst capacity: ready × per-pod capacity − target-burst-capacity − panic load.
    this.excessBurstCapacity = k.burstCapacity < 0 ? -1 : k.burstCapacity === 0 ? 0 : Math.floor(readyCount * this.kpaPerPod - k.burstCapacity - panic);
    const pause = p.autoscale.pause;
    if (pause === true) desired = this.mark(C.pause, desired, current);
    else if (pause && typeof pause === 'object' && pause.replicas !== undefined) desired = this.mark(C.pause, desired, pause.replicas);
    if (desired < bounds.min) desired = this.mark(C.min, desired, bounds.min);
    if (desired > bounds.max) desired = this.mark(C.max, desired, bounds.max);
    this.final = desired;
    if (desired > 0) this.lastActiveAt = now;
    return desired;
  }

  // Records a recommendation in both windows without stabilizing (activation from zero).
  private recordDesired(now: number, desired: number): void {
    this.upWindow.push(now, desired);
    this.downWindow.push(now, desired);
  }

  // HPA stabilizeRecommendationWithBehaviors: min over the scale-up window, max over the scale-down window.
  private stabilize(now: number, current: number, desired: number): number {
    const p = this.policy;
    const up = this.upWindow.query(now - p.up.stabilizationMs, desired);
    const down = this.downWindow.query(now - p.down.stabilizationMs, desired);
    let result = current;
    if (result < up) result = up;
    if (result > down) result = down;
    if (this.maxWindowMs > 0) this.recordDesired(now, desired);
    return result;
  }

  private changeInPeriod(now: number, periodMs: number, sign: 1 | -1): number {
    const events = this.scaleEvents;
    events.dropBefore(now - this.maxPeriodMs);
    let sum = 0;
    for (let i = 0; i < events.size; i++) {
      const index = (events.head + i) % events.times.length;
      const change = events.values[index];
      if (events.times[index] > now - periodMs && change * sign > 0) sum += change * sign;
    }
    return sum;
  }

  // HPA calculateScaleUpLimitWithScalingRules.
  private upLimit(now: number, current: number, rules: Direction): number {
    if (rules.select === 'disabled') return this.limit(current);
    let result = rules.select === 'min' ? Infinity : -Infinity;
    for (const policy of rules.policies) {
      const start = current - this.changeInPeriod(now, policy.periodMs, 1) + this.changeInPeriod(now, policy.periodMs, -1);
      const proposed = policy.pods !== undefined ? start + policy.pods : Math.ceil(start * (1 + (policy.percent ?? 0) / 100));
      result = rules.select === 'min' ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return this.limit(Math.max(result, current));
  }

  // HPA calculateScaleDownLimitWithBehaviors.
  private downLimit(now: number, current: number, rules: Direction): number {
    if (rules.select === 'disabled') return this.limit(current);
    let result = rules.select === 'min' ? -Infinity : Infinity;
    for (const policy of rules.policies) {
      const start = current - this.changeInPeriod(now, policy.periodMs, 1) + this.changeInPeriod(now, policy.periodMs, -1);
      const proposed = policy.pods !== undefined ? start - policy.pods : Math.trunc(start * (1 - (policy.percent ?? 0) / 100));
      result = rules.select === 'min' ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return this.limit(Math.min(result, current));
  }

  private limit(value: number): number {
    this.policyLimit = value;
    return value;
  }

  // Would any metric ask for more than `count` instances at the current load? (flapping projection)
  wouldScaleOut(count: number): boolean {
    const p = this.policy;
    for (let i = 0; i < p.metrics.length; i++) {
      const metric = p.metrics[i];
      const total = this.used[i];
      if (Number.isNaN(total) || metric.mode === 'value') continue;
      if (count === 0) {
        if (total > metric.activation) return true;
        continue;
      }
      if (total / (count * metric.target) > 1 + p.up.tolerance) return true;
    }
    return false;
  }
}

// An Azure step: `count` instances, or `percent` of the current count rounded up (at least 1).
function stepSize(step: NonNullable<Direction['step']>, current: number): number {
  if (step.count !== undefined) return step.count;
  return Math.max(1, Math.ceil((current * (step.percent ?? 0)) / 100 - 1e-9));
}

// ceil that forgives floating-point dust (1.1 / 0.1 = 11.000000000000002 → 11).
export function ceil(x: number): number {
  return Math.ceil(x - 1e-9);
}
