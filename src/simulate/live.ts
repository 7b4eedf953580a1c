// The count the mock cloud holds right now with no load measured: the previous count (or `initial`,
// else min) kept inside the bounds in force (schedules included); `pause.replicas` wins.
import type { Autoscale } from '../config/model.js';
import { boundsAt } from './schedule.js';

// The live count and why, for the mock cloud's `read`.
export function liveCount(autoscale: Autoscale, at: Date, previous: number | undefined): { count: number; reason: string } {
  const bounds = boundsAt(autoscale, at);
  const where = bounds.schedule ? ` (schedule ${bounds.schedule})` : '';
  const pause = autoscale.pause;
  if (pause && typeof pause === 'object' && pause.replicas !== undefined) {
    return { count: pause.replicas, reason: `paused at ${pause.replicas}` };
  }
  const origin = previous !== undefined ? 'previous count' : autoscale.initial !== undefined ? 'initial' : 'min';
  const start = previous ?? autoscale.initial ?? bounds.min;
  if (pause === true) return { count: start, reason: `paused: holds ${start} (${origin})` };
  if (start < bounds.min) return { count: bounds.min, reason: `raised to min ${bounds.min}${where} from ${start} (${origin})` };
  if (start > bounds.max) return { count: bounds.max, reason: `lowered to max ${bounds.max}${where} from ${start} (${origin})` };
  return { count: start, reason: `holds ${start} (${origin}) within ${bounds.min}–${bounds.max}${where}` };
}
