// scalectl plan: desired vs live, per field; --out saves the plan for apply; exit 2 with
// --detailed-exitcode when something would change.
import { chmodSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT, UsageError } from '../errors.js';
import { renderPlan } from '../output/plan-human.js';
import type { Plan } from '../plan/types.js';
import { redactJson } from '../util/redact.js';
import type { CommandContext } from './context.js';
import { closeProject, makePlan, openProject, readinessFindings } from './workflow.js';

export interface PlanOptions {
  services: string[];
  out?: string;
  detailedExitcode?: boolean;
  force?: boolean;
  explain?: boolean;
  emit?: string;
  /** Append a Markdown summary to $GITHUB_STEP_SUMMARY. */
  summary?: boolean;
}

// Runs the command; returns the exit code.
export async function run(options: PlanOptions, ctx: CommandContext): Promise<number> {
  const project = await openProject(ctx, options.services);
  // GitOps: manifests from the file alone, without reading (or needing) a cluster.
  if (options.emit) {
    if (options.out || options.detailedExitcode || options.explain) ctx.warn('--emit writes manifests only: --out, --detailed-exitcode and --explain are ignored with it');
    return emit(project, options.emit, ctx);
  }
  try {
    const findings = await readinessFindings(project, ctx);
    const result = await makePlan(project, ctx, { force: options.force, findings });
    if (options.out && result.summary.errors > 0) {
      ctx.warn(`the plan has errors; not saved to ${options.out} (fix them and plan again)`);
    } else if (options.out) {
      const path = resolve(ctx.io.cwd, options.out);
      try {
        // 0600: a plan names the project's targets and settings; only its owner reads it.
        writeFileSync(path, `${redactJson(result, 2)}\n`, { mode: 0o600 });
        chmodSync(path, 0o600);
      } catch (error) {
        throw new UsageError(`--out: cannot write the plan to ${options.out}: ${(error as Error).message}`, { cause: error });
      }
      ctx.info(`Saved the plan to ${options.out}; apply it with: scalectl apply ${options.out}`);
    }
    const explanations = options.explain ? await (await import('./explain.js')).explainProject(project, new Date(), ctx.io.env) : undefined;
    // With --json the explanations ride along in the same document (not in a saved plan).
    if (ctx.globals.json) ctx.json(explanations ? { ...result, explanations } : result);
    else {
      if (!ctx.globals.quiet || result.summary.errors > 0) for (const line of renderPlan(result, ctx.style)) ctx.out(line);
      else ctx.out(renderPlan(result, ctx.style).at(-1)!);
      if (explanations) await (await import('./explain.js')).printExplanations(explanations, ctx);
    }
    if (options.summary) {
      const { appendStepSummary, planMarkdown } = await import('../output/summary.js');
      appendStepSummary(planMarkdown(result), ctx.io.env);
    }
    return exitCodeOf(result, options.detailedExitcode);
  } finally {
    await closeProject(project);
  }
}

// 1 on errors (3 when only the readiness gate blocked), 2 for changes with --detailed-exitcode.
export function exitCodeOf(plan: Plan, detailed = false): number {
  if (plan.summary.errors > 0) {
    const onlyGate = plan.services.every((s) => s.errors.length === 0 || (s.gate === 'blocked' && s.errors.length === 1));
    return onlyGate ? EXIT.readiness : EXIT.error;
  }
  if (detailed && plan.summary.toChange > 0) return EXIT.changes;
  return EXIT.ok;
}

async function emit(project: Awaited<ReturnType<typeof openProject>>, dir: string, ctx: CommandContext): Promise<number> {
  const { emitProject } = await import('./emit.js');
  const { written, exitCode } = await emitProject(project, resolve(ctx.io.cwd, dir), ctx);
  if (ctx.globals.json) ctx.json({ emitted: written });
  else if (written.length === 0 && exitCode === EXIT.ok) ctx.warn('--emit: no service runs on a Kubernetes provider; nothing written');
  return exitCode;
}
