// One autoscaler decision, HPA-style: raw count per metric (with tolerance) → combine → to-zero →
// pause → stabilization → cooldown → rate policies → flapping guard → bounds. Allocation-free:
// every evaluation writes into the same typed arrays; explain/describe read them afterwards.
import type { Bounds } from './schedule.js';
import { guardScaleIn } from './flapping.js';
import { Ring, WindowExtreme } from './windows.js';
import type { Direction, Policy } from './policy.js';

// Constraint slots, in the order they are applied.
export const C = { missing: 0, toZero: 1, pause: 2, stabilization: 3, cooldown: 4, policy: 5, flapping: 6, min: 7, max: 8 } as const;
// Display names of the constraint slots, same order as C.
export const CONSTRAINT_NAMES = ['metrics missing', 'to zero', 'pause', 'stabilization', 'cooldown', 'rate policy', 'flapping guard', 'min', 'max'];
const SLOTS = CONSTRAINT_NAMES.length;

// The autoscaler's state between evaluations (windows, events, cooldown) and its last decision.
export class Autoscaler {
  readonly policy: Policy;
  // Outputs of the last evaluation.
  readonly totals: Float64Array;
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
  bounds: Bounds = { min: 0, max: 0 };
  cooldownUntil = -Infinity;
  flappingOutcome: 'ok' | 'shrunk' | 'skipped' = 'ok';
  policyLimit = 0;
  missingCount = 0;
  private readonly upWindow = new WindowExtreme(false);
  private readonly downWindow = new WindowExtreme(true);
  private readonly scaleEvents: Ring;
  private readonly maxWindowMs: number;
  private readonly maxPeriodMs: number;
  private lastActiveAt: number;
  private readonly usable: Float64Array;

  constructor(policy: Policy, startMs: number, initialCount: number) {
    this.policy = policy;
    const m = policy.metrics.length;
    this.totals = new Float64Array(m);
    this.raw = new Float64Array(m);
    this.usable = new Float64Array(m);
    this.withinTolerance = new Uint8Array(m);
    this.maxWindowMs = Math.max(policy.up.stabilizationMs, policy.down.stabilizationMs);
    this.maxPeriodMs = Math.max(0, ...policy.up.policies.map((p) => p.periodMs), ...policy.down.policies.map((p) => p.periodMs));
    this.scaleEvents = new Ring(Math.ceil(this.maxPeriodMs / policy.intervalMs) + 2);
    // HPA seeds the scale-down window with the count it found, so a new autoscaler does not shrink at once.
    if (policy.down.stabilizationMs > 0) {
      this.upWindow.push(startMs, initialCount);
      this.downWindow.push(startMs, initialCount);
    }
    this.lastActiveAt = startMs;
  }

  private mark(slot: number, before: number, after: number): number {
    this.ran[slot] = 1;
    this.applied[slot] = before !== after ? 1 : 0;
    this.before[slot] = before;
    this.after[slot] = after;
    return after;
  }

  // Decides the count at `now` from the metric totals already written into `this.totals`.
  evaluate(now: number, current: number, bounds: Bounds): number {
    const p = this.policy;
    this.now = now;
    this.current = current;
    this.bounds = bounds;
    this.applied.fill(0);
    this.ran.fill(0);
    const m = p.metrics.length;
    let missing = 0;
    let active = false;
    for (let i = 0; i < m; i++) {
      const metric = p.metrics[i];
      const total = this.totals[i];
      this.withinTolerance[i] = 0;
      if (Number.isNaN(total)) {
        this.raw[i] = Number.NaN;
        missing++;
        continue;
      }
      if (total > metric.activation) active = true;
      let raw: number;
      if (current === 0) {
        raw = total > metric.activation ? Math.max(1, ceil(metric.mode === 'value' ? total / metric.target : total / metric.target)) : 0;
      } else {
        const ratio = metric.mode === 'value' ? total / metric.target : total / (current * metric.target);
        if (Math.abs(ratio - 1) <= p.tolerance) {
          raw = current;
          this.withinTolerance[i] = 1;
        } else {
          raw = metric.mode === 'value' ? ceil(current * ratio) : ceil(total / metric.target);
        }
      }
      this.raw[i] = raw;
    }
    if (active) this.lastActiveAt = now;

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
      this.applied[C.missing] = 1;
      this.ran[C.missing] = 1;
      this.before[C.missing] = current;
      this.after[C.missing] = desired;
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

    // The last instance goes only after `toZero.after` without load.
    if (desired === 0 && current > 0 && now - this.lastActiveAt < p.toZeroAfterMs) desired = this.mark(C.toZero, 0, 1);

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

    this.flappingOutcome = 'ok';
    if (p.flappingGuard && desired < current && desired >= bounds.min) {
      const guarded = guardScaleIn(current, desired, (count) => this.wouldScaleOut(count));
      this.flappingOutcome = guarded.outcome;
      desired = this.mark(C.flapping, desired, guarded.count);
    }

    if (desired < bounds.min) desired = this.mark(C.min, desired, bounds.min);
    if (desired > bounds.max) desired = this.mark(C.max, desired, bounds.max);

    this.final = desired;
    if (desired !== current) {
      this.scaleEvents.push(now, desired - current);
      const cooldown = desired > current ? p.up.cooldownMs : p.down.cooldownMs;
      if (cooldown > 0) this.cooldownUntil = now + cooldown;
    }
    return desired;
  }

  // HPA stabilizeRecommendationWithBehaviors: min over the scale-up window, max over the scale-down window.
  private stabilize(now: number, current: number, desired: number): number {
    const p = this.policy;
    const up = this.upWindow.query(now - p.up.stabilizationMs, desired);
    const down = this.downWindow.query(now - p.down.stabilizationMs, desired);
    let result = current;
    if (result < up) result = up;
    if (result > down) result = down;
    if (this.maxWindowMs > 0) {
      this.upWindow.push(now, desired);
      this.downWindow.push(now, desired);
    }
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
      const total = this.totals[i];
      if (Number.isNaN(total) || metric.mode === 'value') continue;
      if (count === 0) {
        if (total > metric.activation) return true;
        continue;
      }
      if (total / (count * metric.target) > 1 + p.tolerance) return true;
    }
    return false;
  }
}

// ceil that forgives floating-point dust (1.1 / 0.1 = 11.000000000000002 → 11).
export function ceil(x: number): number {
  return Math.ceil(x - 1e-9);
}
