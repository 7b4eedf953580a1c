// `scalectl apply` changes counts too: each applied replicas change becomes an event (actor apply).
import type { ServiceResult } from '../apply/engine.js';
import type { Plan } from '../plan/types.js';
import type { ScaleEvent } from './events.js';

export function applyEvents(plan: Plan, results: ServiceResult[], now: Date): ScaleEvent[] {
  const events: ScaleEvent[] = [];
  for (const result of results) {
    if (result.status !== 'applied') continue;
    const planned = plan.services.find((s) => s.name === result.service);
    const change = planned?.changes.find((c) => c.field === 'replicas');
    if (!planned || !change || typeof change.after !== 'number') continue;
    const from = typeof change.before === 'number' ? change.before : 0;
    if (from === change.after) continue;
    events.push({
      time: now.toISOString(),
      service: planned.name,
      provider: planned.provider,
      target: planned.target,
      from,
      to: change.after,
      actor: 'apply',
      rule: change.note?.includes('scalectl autoscale') ? 'bounds' : 'replicas',
      reason: [change.note, change.cause].filter(Boolean).join('; ') || `replicas ${from} → ${change.after}`,
    });
  }
  return events;
}
