// plan --explain: the engine's reasoning for the count each autoscaled service would hold now.
import type { Plan } from '../plan/types.js';
import type { CommandContext } from './context.js';
import type { Project } from './workflow.js';

// Prints (or, with --json, emits) one explanation per autoscaled service.
export async function explainProject(project: Project, plan: Plan, ctx: CommandContext): Promise<void> {
  const { explainService, renderExplanation } = await import('../simulate/explain.js');
  const now = new Date();
  for (const service of project.services) {
    if (!service.spec.autoscale) continue;
    const planned = plan.services.find((s) => s.name === service.name);
    const observed = project.observations?.get(service.name)?.observed;
    const current = planned && observed?.exists ? observed.instances?.desired : undefined;
    const explanation = explainService(service, current, now);
    if (ctx.globals.json) ctx.out(JSON.stringify({ service: service.name, explanation }));
    else {
      ctx.out('');
      for (const line of renderExplanation(explanation, ctx.style)) ctx.out(line);
    }
  }
}
