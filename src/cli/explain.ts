// plan --explain: the engine's reasoning for the count each autoscaled service would hold now.
import type { Explanation } from '../simulate/explain.js';
import type { CommandContext } from './context.js';
import type { Project } from './workflow.js';

// One explanation per autoscaled service, from the live count the providers reported.
export async function explainProject(project: Project, now = new Date()): Promise<Explanation[]> {
  const { explainService } = await import('../simulate/explain.js');
  const { platformOf } = await import('../simulate/platform.js');
  const explanations: Explanation[] = [];
  for (const service of project.services) {
    if (!service.spec.autoscale) continue;
    const observed = project.observations?.get(service.name)?.observed;
    const current = observed?.exists ? observed.instances?.desired : undefined;
    const adapter = project.config.providers[service.provider]?.adapter ?? 'mock';
    explanations.push(explainService(service, current, now, undefined, platformOf(adapter, service)));
  }
  return explanations;
}

// Prints explanations for people, after the plan.
export async function printExplanations(explanations: Explanation[], ctx: CommandContext): Promise<void> {
  const { renderExplanation } = await import('../simulate/explain.js');
  for (const explanation of explanations) {
    ctx.out('');
    for (const line of renderExplanation(explanation, ctx.style)) ctx.out(line);
  }
}
