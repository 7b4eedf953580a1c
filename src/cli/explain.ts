// plan --explain: the engine's reasoning for the count each autoscaled service would hold now.
import type { EventMetric } from '../autoscale/events.js';
import type { ServiceConfig } from '../config/model.js';
import type { Explanation } from '../simulate/explain.js';
import type { LoadSample } from '../simulate/types.js';
import type { CommandContext } from './context.js';
import type { Project } from './workflow.js';

// An explanation plus where its metric values came from (the live sources scalectl autoscale reads).
export type LiveExplanation = Explanation & { sources?: EventMetric[] };

// One explanation per autoscaled service, from the live count the providers reported and, when
// their sources can be read, the live metric values (the same sources scalectl autoscale reads).
export async function explainProject(project: Project, now = new Date(), env: NodeJS.ProcessEnv = process.env): Promise<LiveExplanation[]> {
  const { explainService } = await import('../simulate/explain.js');
  const { platformOf } = await import('../simulate/platform.js');
  const explanations: LiveExplanation[] = [];
  const autoscaled = project.services.filter((s) => s.spec.autoscale && project.adapters.has(s.provider));
  const live = await liveMetrics(project, autoscaled, env);
  for (const service of project.services) {
    if (!service.spec.autoscale) continue;
    const observed = project.observations?.get(service.name)?.observed;
    const current = observed?.exists ? observed.instances?.desired : undefined;
    const adapter = project.config.providers[service.provider]?.adapter ?? 'mock';
    const measured = live.get(service.name);
    const explanation: LiveExplanation = explainService(service, current, now, measured?.load, platformOf(adapter, service));
    if (measured) explanation.sources = measured.metrics;
    explanations.push(explanation);
  }
  return explanations;
}

// Reads each autoscaled service's metric sources once; a service with none readable gets no load.
async function liveMetrics(project: Project, services: ServiceConfig[], env: NodeJS.ProcessEnv): Promise<Map<string, { load?: LoadSample; metrics: EventMetric[] }>> {
  const out = new Map<string, { load?: LoadSample; metrics: EventMetric[] }>();
  if (!services.some((s) => (s.spec.autoscale?.metrics ?? []).length > 0)) return out;
  const { wireServices, closeSources } = await import('../autoscale/wire.js');
  const { readMetrics } = await import('../autoscale/evaluate.js');
  const wired = await wireServices(services, project.adapters, project.config.providers, { env, configDir: project.config.dir });
  try {
    await Promise.all(
      wired.map(async (entry) => {
        if (entry.policy.metrics.length === 0) return;
        const { totals, metrics } = await readMetrics(entry);
        const load: Record<string, number> = {};
        entry.policy.metrics.forEach((metric, i) => {
          if (!Number.isNaN(totals[i])) load[metric.type] = totals[i];
        });
        out.set(entry.service.name, { load: Object.keys(load).length > 0 ? (load as LoadSample) : undefined, metrics });
      }),
    );
  } finally {
    await closeSources(wired);
  }
  return out;
}

// Prints explanations for people, after the plan.
export async function printExplanations(explanations: LiveExplanation[], ctx: CommandContext): Promise<void> {
  const { renderExplanation } = await import('../simulate/explain.js');
  for (const explanation of explanations) {
    ctx.out('');
    for (const line of renderExplanation(explanation, ctx.style)) ctx.out(line);
    for (const source of explanation.sources ?? []) {
      // (a metric not read carries why in `source`: the source's error, or why there is none)
      ctx.out(ctx.style.dim(source.value === null ? `  ${source.metric} not read: ${source.source ?? 'no source'}` : `  ${source.metric} read from ${source.source ?? 'no source'}`));
    }
  }
}
