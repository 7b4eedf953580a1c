// The flapping guard (Azure Monitor autoscale): before a scale-in, project every metric's per-instance
// load at the new count; if that would trigger a scale-out, try the counts between the intended one and
// the current one (smallest first) and take the first that would not, or skip the scale-in.

// The guard's verdict: keep the scale-in, shrink it, or skip it.
export interface FlappingResult {
  outcome: 'ok' | 'shrunk' | 'skipped';
  count: number;
}

// What the guard asks about one candidate count (the engine's Autoscaler answers it from the metrics it holds).
export interface ScaleOutProjection {
  wouldScaleOut(count: number): boolean;
}

// Generic form: `projection.wouldScaleOut(count)` answers for one candidate count (an object, not a
// closure: the engine passes itself instead of allocating a function per guarded scale-in).
export function guardScaleIn(current: number, intended: number, projection: ScaleOutProjection): FlappingResult {
  if (intended >= current) return { outcome: 'ok', count: intended };
  for (let candidate = intended; candidate < current; candidate++) {
    if (!projection.wouldScaleOut(candidate)) return { outcome: candidate === intended ? 'ok' : 'shrunk', count: candidate };
  }
  return { outcome: 'skipped', count: current };
}

// One threshold rule for guardWithThresholds (Azure-style).
export interface ProjectedMetric {
  /** Total load of the metric across instances (e.g. CPU % summed, requests/s). */
  total: number;
  /** Scale-out fires when the per-instance value is above this (or at/above it with `inclusive`). */
  scaleOutAbove: number;
  inclusive?: boolean;
}

// Threshold form used by Azure's rules: per-instance value = total / count.
export function guardWithThresholds(current: number, intended: number, metrics: ProjectedMetric[]): FlappingResult {
  return guardScaleIn(current, intended, {
    wouldScaleOut: (count) =>
      metrics.some((m) => {
        if (count === 0) return m.total > 0;
        const perInstance = m.total / count;
        return m.inclusive ? perInstance >= m.scaleOutAbove : perInstance > m.scaleOutAbove;
      }),
  });
}
