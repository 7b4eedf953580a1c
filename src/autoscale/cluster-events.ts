// On Kubernetes the HPA (or KEDA's HPA) changes the count: `scalectl events` reads its conditions
// and the target's Events from the cluster rather than scalectl's own log.
import type { ServiceConfig } from '../config/model.js';
import type { CommandContext } from '../cli/context.js';
import type { Project } from '../cli/workflow.js';
import type { ScaleEvent } from './events.js';

export async function clusterEvents(project: Project, services: ServiceConfig[], sinceMs: number | undefined, ctx: CommandContext): Promise<ScaleEvent[]> {
  const out: ScaleEvent[] = [];
  for (const service of services) {
    const adapter = project.adapters.get(service.provider) as unknown as { events?: (target: string, extensions: Record<string, unknown>) => Promise<ScaleEvent[]> } | undefined;
    if (!adapter?.events) {
      ctx.warn(`${service.name}: the ${service.provider} provider cannot list events`);
      continue;
    }
    try {
      const events = await adapter.events(service.target, service.extensions);
      for (const e of events) if (sinceMs === undefined || Date.parse(e.time) >= sinceMs) out.push({ ...e, service: service.name, provider: service.provider });
    } catch (error) {
      ctx.warn(`${service.name}: cannot read the cluster's events: ${(error as Error).message}`);
    }
  }
  return out;
}
