// Turns the autoscaler's last evaluation (typed arrays) into words: per-metric counts, the combining
// rule, each constraint with its effect. Shared by simulate's events and plan --explain.
import { Autoscaler, C, CONSTRAINT_NAMES } from './decide.js';
import { formatDuration } from '../config/duration.js';

// What one metric observed and recommended.
export interface MetricReason {
  metric: string;
  /** Observed total (NaN when not measured). */
  observed: number;
  target: string;
  /** Raw recommended count, or null when the metric was not measured. */
  recommended: number | null;
  withinTolerance: boolean;
}

// One constraint and its effect on the count.
export interface ConstraintReason {
  name: string;
  before: number;
  after: number;
  /** True when it changed the count. */
  changed: boolean;
  detail: string;
}

// A whole decision in words and numbers.
export interface DecisionReason {
  current: number;
  metrics: MetricReason[];
  combine: { rule: string; count: number };
  constraints: ConstraintReason[];
  final: number;
}

// What describeDecision reads of an evaluation: the scaler itself, or a snapshot of it (events.ts).
export type DecisionView = Pick<Autoscaler, 'policy' | 'used' | 'raw' | 'withinTolerance' | 'before' | 'after' | 'applied' | 'ran' | 'now' | 'current' | 'combined' | 'final' | 'bounds' | 'cooldownUntil' | 'flappingOutcome' | 'missingCount'>;

// A copy of an evaluation's outputs, for explaining it later (cheaper than the explanation itself).
export function snapshotDecision(s: Autoscaler): DecisionView {
  return {
    policy: s.policy, used: s.used.slice(), raw: s.raw.slice(), withinTolerance: s.withinTolerance.slice(), before: s.before.slice(), after: s.after.slice(),
    applied: s.applied.slice(), ran: s.ran.slice(), now: s.now, current: s.current, combined: s.combined, final: s.final, bounds: s.bounds,
    cooldownUntil: s.cooldownUntil, flappingOutcome: s.flappingOutcome, missingCount: s.missingCount,
  };
}

// Structured reasons for the scaler's last evaluation (allocates: call on events, not every step).
export function describeDecision(scaler: DecisionView): DecisionReason {
  const p = scaler.policy;
  const metrics = p.metrics.map((metric, i) => ({
    metric: metric.type,
    observed: scaler.used[i],
    target: metric.describe,
    recommended: Number.isNaN(scaler.raw[i]) ? null : scaler.raw[i],
    withinTolerance: scaler.withinTolerance[i] === 1,
  }));
  const constraints: ConstraintReason[] = [];
  if (p.metrics.length > 0 && p.metrics.some((_, i) => scaler.withinTolerance[i] === 1)) {
    const names = p.metrics.filter((_, i) => scaler.withinTolerance[i] === 1).map((m) => m.type);
    constraints.push({ name: 'tolerance', before: scaler.current, after: scaler.current, changed: false, detail: `${names.join(', ')} within ${p.up.tolerance === p.down.tolerance ? `±${p.up.tolerance * 100}%` : `−${p.down.tolerance * 100}%/+${p.up.tolerance * 100}%`} of target: keeps ${scaler.current}` });
  }
  for (let slot = 0; slot < CONSTRAINT_NAMES.length; slot++) {
    if (scaler.ran[slot] !== 1) continue;
    const before = scaler.before[slot];
    const after = scaler.after[slot];
    const changed = scaler.applied[slot] === 1;
    const detail = constraintDetail(scaler, slot, before, after, changed);
    if (detail !== undefined) constraints.push({ name: CONSTRAINT_NAMES[slot], before, after, changed, detail });
  }
  return { current: scaler.current, metrics, combine: { rule: p.combineRule, count: scaler.combined }, constraints, final: scaler.final };
}

function constraintDetail(scaler: DecisionView, slot: number, before: number, after: number, changed: boolean): string | undefined {
  const p = scaler.policy;
  const b = scaler.bounds;
  const where = b.schedule ? ` (schedule ${b.schedule})` : '';
  switch (slot) {
    case C.missing:
      if (!changed && scaler.applied[slot] !== 1) return undefined;
      if (p.metrics.every((_, i) => Number.isNaN(scaler.used[i]))) {
        if (p.autoscale.fallback && scaler.missingCount >= (p.autoscale.fallback.after ?? 3)) return `no metric measured ${scaler.missingCount}× in a row: fallback ${after}`;
        if (after !== before) return `no metric measured: default ${after}`;
        return `no metric measured: holds ${after}`;
      }
      return `some metrics not measured: no scale-in (${before} → ${after})`;
    case C.toZero:
      if (before === 0 && after > 0) return `a trigger is active: activation from 0 to ${after} (max(min, 1)); the autoscaler scales from there`;
      if (after === 0 && changed) return `no trigger active for toZero.after (${formatDuration(p.toZeroAfterMs)}): ${before} → 0`;
      return after > 0 ? `no trigger active, but load was seen within toZero.after (${formatDuration(p.toZeroAfterMs)}): keeps ${after}` : undefined;
    case C.step: {
      const step = after > scaler.current ? p.up.step : p.down.step;
      return changed ? `step rule (${step?.count !== undefined ? `${step.count} instances` : `${step?.percent}%`} per action): ${before} → ${after}` : undefined;
    }
    case C.panic:
      return `panic mode (${p.metrics.find((m) => m.type === 'concurrency' || m.type === 'rps')?.type} over ${formatDuration(p.kpa.panicWindowMs)} at ≥ ${Math.round(p.kpa.panicThreshold * 100)}% of ready): never scales down, holds the most wanted, ${after}`;
    case C.pause:
      return changed ? `pause: ${before} → ${after}` : undefined;
    case C.stabilization: {
      const windowMs = after > before ? p.up.stabilizationMs : p.down.stabilizationMs;
      if (!changed) return p.down.stabilizationMs > 0 || p.up.stabilizationMs > 0 ? `no effect (windows up ${formatDuration(p.up.stabilizationMs)}, down ${formatDuration(p.down.stabilizationMs)})` : undefined;
      return `${after > before ? 'lowest' : 'highest'} recommendation in the last ${formatDuration(windowMs)} is ${after}: ${before} → ${after}`;
    }
    case C.cooldown:
      return changed ? `cooldown after the last scaling action, ${formatDuration(Math.round(scaler.cooldownUntil - scaler.now))} left: holds ${after}` : undefined;
    case C.policy: {
      if (!changed) return before !== scaler.current ? `allows ${before}` : undefined;
      const rules = after > scaler.current ? p.up : p.down;
      const list = rules.select === 'disabled' ? 'select: disabled' : rules.policies.map((r) => (r.pods !== undefined ? `${r.pods} pods` : `${r.percent}%`) + `/${formatDuration(r.periodMs)}`).join(', ') + ` select ${rules.select}`;
      return `${after > scaler.current ? 'scale-up' : 'scale-down'} limit ${after} (${list}): ${before} → ${after}`;
    }
    case C.flapping:
      if (scaler.flappingOutcome === 'skipped') return `projected load on ${before} instances would scale out again: scale-in skipped, holds ${after}`;
      if (scaler.flappingOutcome === 'shrunk') return `projected load on ${before} instances would scale out again: scales in to ${after} instead`;
      return before < scaler.current ? `projection at ${before} instances stays below the targets: no flapping` : undefined;
    case C.min:
      return changed ? `min ${b.min}${where}: ${before} → ${after}` : undefined;
    case C.max:
      return changed ? `max ${b.max}${where}: ${before} → ${after}` : undefined;
  }
  return undefined;
}

// One line for an event: "concurrency 6, rps 4 → max 6; rate policy 6 → 5".
export function shortReason(reason: DecisionReason): string {
  const metrics = reason.metrics.map((m) => `${m.metric} ${m.recommended ?? 'n/a'}`).join(', ');
  const effects = reason.constraints.filter((c) => c.changed).map((c) => `${c.name} ${c.before}→${c.after}`);
  return [metrics ? `${metrics} → ${reason.combine.rule} ${reason.combine.count}` : `no metrics`, ...effects].join('; ');
}
