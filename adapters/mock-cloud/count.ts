// The instance count the mock cloud holds for an autoscaled service with no load measured.
import type { Autoscale } from '../../src/config/model.js';

// The previous count (or initial, else min) held inside min..max.
export function holdCount(autoscale: Autoscale, _at: Date, previous: number | undefined): { count: number; reason: string } {
  const start = previous ?? autoscale.initial ?? autoscale.min;
  const count = Math.min(Math.max(start, autoscale.min), autoscale.max);
  return { count, reason: count === start ? 'held' : `clamped to ${autoscale.min}..${autoscale.max}` };
}
