// `scalectl apply` changes counts too: each applied replicas change becomes an event (actor apply).
import type { ServiceResult } from '../apply/engine.js';
import type { Plan } from '../plan/types.js';
import type { ScaleEvent } from './events.js';

export function applyEvents(plan: Plan, results: ServiceResult[], now: Date): ScaleEvent[] {
  const events: ScaleEvent[] = [];
  for (const result of results) {
    if (result.status !== 'applied') continue;
    const planned = plan.services.find((s) => s.name === result.service);
    if (!planned) continue;
    const change = planned.changes.find((c) => c.field === 'replicas');
    const fromPlan = change && typeof change.after === 'number' ? { from: typeof change.before === 'number' ? change.before : 0, to: change.after } : undefined;
    // What the adapter says it moved wins (a target created at min, a raised min on a platform that
    // keeps the count itself); else the planned replicas change.
    const count = result.count ?? fromPlan;
    if (!count || count.from === count.to) continue;
    const bounds = !change || change.note?.includes('scalectl autoscale');
    const autoscale = planned.changes.filter((c) => c.field.startsWith('autoscale')).map((c) => c.field);
    events.push({
      time: now.toISOString(),
      service: planned.name,
      provider: planned.provider,
      target: planned.target,
      from: count.from,
      to: count.to,
      actor: 'apply',
      rule: bounds ? 'bounds' : 'replicas',
      reason:
        (change ? [change.note, change.cause].filter(Boolean).join('; ') : '') ||
        (planned.action === 'create' ? `created ${count.from} → ${count.to}` : autoscale.length ? `${autoscale.join(', ')} changed: ${count.from} → ${count.to}` : `replicas ${count.from} → ${count.to}`),
    });
  }
  return events;
}
