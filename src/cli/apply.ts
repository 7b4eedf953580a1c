// scalectl apply [plan.json]: executes a fresh plan, or a saved one after proving it is not stale.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runApply, type ApplyItem, type ServiceResult } from '../apply/engine.js';
import { displayPath } from '../config/load.js';
import { EXIT, StalePlanError, UsageError } from '../errors.js';
import { renderApplySummary } from '../output/apply-human.js';
import { renderPlan } from '../output/plan-human.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../plan/types.js';
import { redact } from '../util/redact.js';
import type { CommandContext } from './context.js';
import { exitCodeOf } from './plan.js';
import { changeRequestOf, closeProject, makePlan, observe, openProject, readinessFindings, type Project } from './workflow.js';

export interface ApplyOptions {
  planFile?: string;
  services: string[];
  yes?: boolean;
  dryRun?: boolean;
  force?: boolean;
  concurrency: number;
  /** Append a Markdown summary to $GITHUB_STEP_SUMMARY. */
  summary?: boolean;
}

// Runs the command; returns the exit code.
export async function run(options: ApplyOptions, ctx: CommandContext): Promise<number> {
  const saved = options.planFile ? readSavedPlan(resolve(ctx.io.cwd, options.planFile)) : undefined;
  if (saved && options.services.length) throw new UsageError('name services either in the saved plan or on the command line, not both');
  const yamlArgument = options.services.find((name) => /\.ya?ml$/.test(name));
  if (yamlArgument) throw new UsageError(`apply takes a saved plan (*.json) or service names, not "${yamlArgument}"; to use another scaling.yaml pass -f ${yamlArgument}`);
  // A saved plan names its scaling.yaml: apply it from anywhere, unless -f says otherwise.
  const fileCtx = saved && ctx.globals.file === undefined ? { ...ctx, globals: { ...ctx.globals, file: saved.configFile } } : ctx;
  const planCtx = saved ? inPlanEnvironment(saved, fileCtx, options.planFile!) : fileCtx;
  const project = await openProject(planCtx, saved ? saved.services.map((s) => s.name) : options.services);
  try {
    const plan = saved ? await verifySaved(saved, project, ctx, options.planFile!) : await freshPlan(project, ctx, options.force);
    // -q keeps a clean plan quiet, never one with errors.
    if (!ctx.globals.json && (!ctx.globals.quiet || plan.summary.errors > 0)) {
      for (const line of renderPlan(plan, ctx.style)) ctx.io.stderr.write(`${redact(line)}\n`);
    }
    const summarise = async (results?: ServiceResult[]) => {
      if (!options.summary) return;
      const { appendStepSummary, applyMarkdown, planMarkdown } = await import('../output/summary.js');
      appendStepSummary(results ? applyMarkdown(results, plan) : planMarkdown(plan), ctx.io.env);
    };
    if (plan.summary.errors > 0) {
      await summarise();
      ctx.io.stderr.write(`${ctx.style.red('Nothing was applied: the plan has errors (see above).')}\n`);
      if (ctx.globals.json) ctx.json({ plan, results: [] });
      return exitCodeOf(plan);
    }
    const changing = plan.services.filter((s) => s.changes.length > 0);
    if (changing.length === 0) {
      await summarise();
      if (ctx.globals.json) ctx.json({ plan, results: [] });
      return EXIT.ok;
    }
    // A saved plan was reviewed when it was made (Terraform's rule): it applies without a question.
    if (!options.yes && !options.dryRun && !saved) {
      if (!ctx.interactive) {
        throw new UsageError('apply needs a confirmation, and there is no terminal to ask in: pass --yes to apply without asking (or --dry-run to only try it)');
      }
      const answer = await confirm(ctx, changing.length);
      if (answer !== 'yes') {
        ctx.info('Apply cancelled; nothing was changed.');
        // Declining is not success: nothing the plan asked for was applied (Terraform exits 1 too).
        return answer === 'cancel' ? EXIT.interrupted : EXIT.error;
      }
    }
    const items: ApplyItem[] = changing.map((planned) => ({
      service: planned.name,
      adapter: project.adapters.get(planned.provider)!,
      request: changeRequestOf(project, planned),
    }));
    if (options.dryRun) ctx.info('Dry run: validating with the providers; nothing will change.');
    const results = await runApply(items, {
      concurrency: options.concurrency,
      dryRun: Boolean(options.dryRun),
      signal: ctx.signal,
      onEvent: (event) => {
        if (event.type === 'start') ctx.info(`${event.service}: applying…`);
        else if (event.type === 'progress') ctx.info(`${event.service}: ${event.message}`);
        else if (event.type === 'retry') ctx.info(`${event.service}: ${event.error}; retrying in ${event.delayMs} ms (attempt ${event.attempt + 1})`);
      },
      // A fresh plan whose target moved meanwhile is re-planned once; a saved plan is not.
      refresh: saved ? undefined : (item) => replan(project, ctx, item.service),
    });
    if (!options.dryRun) await recordEvents(project, plan, results, ctx);
    // -q keeps a clean run to its one summary line, never hides a failure.
    const failed = results.some((r) => r.status !== 'applied');
    const summaryLines = renderApplySummary(results, ctx.style, Boolean(options.dryRun), ctx.signal.aborted);
    const shown = failed || !ctx.globals.quiet ? summaryLines : summaryLines.filter((line) => /^(Apply|Dry run) /.test(line));
    for (const line of shown) ctx.io.stderr.write(`${redact(line)}\n`);
    await summarise(results);
    if (ctx.globals.json) ctx.json({ plan, results });
    return exitCodeForResults(results, ctx.signal.aborted);
  } finally {
    await closeProject(project);
  }
}

// Count changes go to the event log (scalectl events); a log that cannot be written is a warning.
async function recordEvents(project: Project, plan: Plan, results: Parameters<typeof renderApplySummary>[0], ctx: CommandContext): Promise<void> {
  const { applyEvents } = await import('../autoscale/apply-events.js');
  const events = applyEvents(plan, results, new Date());
  if (events.length === 0) return;
  const { appendEvents } = await import('../autoscale/events.js');
  const { stateDir } = await import('../autoscale/paths.js');
  try {
    appendEvents(stateDir(project.config.dir, ctx.io.env), events);
  } catch (error) {
    ctx.warn(`could not record the count changes for scalectl events: ${(error as Error).message}`);
  }
}

async function freshPlan(project: Project, ctx: CommandContext, force?: boolean): Promise<Plan> {
  const findings = await readinessFindings(project, ctx);
  return makePlan(project, ctx, { force, findings });
}

async function replan(project: Project, ctx: CommandContext, service: string) {
  const single: Project = { ...project, services: project.services.filter((s) => s.name === service) };
  const again = await makePlan(single, ctx);
  const planned = again.services[0];
  if (!planned || planned.errors.length) return undefined;
  if (planned.changes.length === 0) return 'converged' as const;
  ctx.info(`${service}: changed since the plan was made; re-planned against the live state`);
  return changeRequestOf(project, planned);
}

// A saved plan applies only to the environment it was made for; without --env it selects it.
function inPlanEnvironment(saved: Plan, ctx: CommandContext, planFile: string): CommandContext {
  const asked = ctx.globals.environment;
  const made = saved.environment;
  if (asked !== undefined && asked !== made) {
    const what = made === undefined ? 'the base of the file (no environment)' : `environment "${made}"`;
    const fix = made === undefined ? 'apply it without --env (and unset SCALECTL_ENV)' : `apply it with --env ${made}`;
    throw new UsageError(`the plan ${planFile} was made for ${what}, not environment "${asked}"; ${fix}, or make a plan for "${asked}": scalectl plan --env ${asked} --out ${planFile}`);
  }
  const env = { ...ctx.io.env };
  if (made === undefined) delete env.SCALECTL_ENV;
  else env.SCALECTL_ENV = made;
  return { ...ctx, globals: { ...ctx.globals, environment: made }, io: { ...ctx.io, env } };
}

function readSavedPlan(path: string): Plan {
  let plan: Plan;
  try {
    plan = JSON.parse(readFileSync(path, 'utf8')) as Plan;
  } catch (error) {
    throw new UsageError(`cannot read the saved plan ${path}: ${(error as Error).message}`);
  }
  if (plan?.formatVersion !== PLAN_FORMAT_VERSION || !Array.isArray(plan.services)) {
    throw new UsageError(`${path} is not a scalectl plan (formatVersion ${String(plan?.formatVersion)}); make one with: scalectl plan --out ${path}`);
  }
  return plan;
}

// A saved plan is applied only if the file and every observed target are as they were.
async function verifySaved(saved: Plan, project: Project, ctx: CommandContext, planFile: string): Promise<Plan> {
  // The hint names the file: the plan may be applied from another folder than it was made in.
  const remake = `make a new one: scalectl plan -f ${displayPath(project.config.file, ctx.io.cwd)} --out ${planFile}`;
  if (resolve(saved.configFile) !== project.config.file) {
    throw new StalePlanError(`the plan ${planFile} was made for ${saved.configFile}, not ${project.config.file}; ${remake}`);
  }
  if (saved.configHash !== project.config.hash) {
    throw new StalePlanError(`the plan ${planFile} is stale: ${project.config.file} changed since it was made; ${remake}`);
  }
  const observations = await observe(project, ctx);
  const moved: string[] = [];
  for (const service of saved.services) {
    const now = observations.get(service.name)?.observed.fingerprint;
    if (now !== service.fingerprint) moved.push(`${service.name} (planned ${service.fingerprint || 'unread'}, now ${now || 'unread'})`);
  }
  if (moved.length) throw new StalePlanError(`the plan ${planFile} is stale: the live state changed since it was made: ${moved.join(', ')}; ${remake}`);
  return saved;
}

// Asks on the terminal; Ctrl-C or Escape at the prompt is 'cancel'.
async function confirm(ctx: CommandContext, count: number): Promise<'yes' | 'no' | 'cancel'> {
  const { confirm: ask, isCancel } = await import('@clack/prompts');
  const answer = await ask({
    message: `Apply these changes to ${count} service${count === 1 ? '' : 's'}?`,
    initialValue: false,
    input: ctx.io.stdin as NodeJS.ReadStream,
    output: ctx.io.stderr as NodeJS.WriteStream,
    signal: ctx.signal,
  });
  if (isCancel(answer)) return 'cancel';
  return answer === true ? 'yes' : 'no';
}

function exitCodeForResults(results: ServiceResult[], interrupted: boolean): number {
  if (interrupted) return EXIT.interrupted;
  return results.every((r) => r.status === 'applied') ? EXIT.ok : EXIT.error;
}
