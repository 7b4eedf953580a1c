// scalectl events [service]: the history of count changes — when, from → to, the metric values,
// the rule or schedule that decided, who acted (the autoscale loop, apply, a schedule).
// Kubernetes services: the HPA's conditions and the target's Events from the cluster instead.
import { parseDuration } from '../config/duration.js';
import { UsageError } from '../errors.js';
import type { ScaleEvent } from '../autoscale/events.js';
import type { CommandContext } from './context.js';
import { closeProject, openProject, startAdapters } from './workflow.js';

export interface EventsOptions {
  services: string[];
  since?: string;
}

// --since: a duration back from now ("1h", "30m") or an ISO time; epoch ms.
export function sinceMs(text: string | undefined, now: number): number | undefined {
  if (text === undefined) return undefined;
  const back = parseDuration(text);
  if (back !== undefined) return now - back;
  const at = Date.parse(text);
  if (!Number.isNaN(at) && /^\d{4}-\d{2}-\d{2}/.test(text)) return at;
  throw new UsageError(`--since takes a duration back from now ("1h", "30m", "2d") or an ISO time ("2026-11-27T08:00Z"), got "${text}"`);
}

export async function run(options: EventsOptions, ctx: CommandContext): Promise<number> {
  const since = sinceMs(options.since, Date.now());
  const project = await openProject(ctx, options.services);
  try {
    const { stateDir } = await import('../autoscale/paths.js');
    const { readEvents } = await import('../autoscale/events.js');
    const names = new Set(project.services.map((s) => s.name));
    const events: ScaleEvent[] = readEvents(stateDir(project.config.dir, ctx.io.env, project.config.environment), { sinceMs: since }).filter((e) => names.has(e.service));
    const kube = project.services.filter((s) => project.config.providers[s.provider]?.adapter === 'kubernetes');
    if (kube.length > 0) {
      await startAdapters({ ...project, services: kube }, ctx);
      const { clusterEvents } = await import('../autoscale/cluster-events.js');
      events.push(...(await clusterEvents(project, kube, since, ctx)));
    }
    events.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    if (ctx.globals.json) {
      ctx.json({ events });
      return 0;
    }
    if (events.length === 0) {
      ctx.info(`no count changes recorded${options.since ? ` since ${options.since}` : ''}${options.services.length ? ` for ${options.services.join(', ')}` : ''}`);
      return 0;
    }
    for (const e of events) ctx.out(renderEvent(e, ctx));
    return 0;
  } finally {
    await closeProject(project);
  }
}

function renderEvent(e: ScaleEvent, ctx: CommandContext): string {
  const { style } = ctx;
  const change = e.from === e.to ? `${e.from ?? '-'}` : `${e.from ?? '?'} → ${e.to ?? '?'}`;
  const values = (e.metrics ?? []).map((m) => `${m.metric}=${m.value === null ? 'n/a' : round(m.value)}`).join(' ');
  return `${e.time}  ${style.bold(e.service)}  ${change}  ${e.actor}  ${e.rule}${values ? `  ${values}` : ''}  ${style.dim(e.reason)}`;
}

const round = (x: number) => String(Math.round(x * 100) / 100);
