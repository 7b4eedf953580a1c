// scalectl autoscale [service…]: the live control loop for platforms without an autoscaler
// (Docker) and for the mock cloud — metric sources → the engine `simulate` runs → the adapter.
// `--once` evaluates once (cron, CI) and exits 1 when a source could not be read.
import { formatDuration } from '../config/duration.js';
import { EXIT, UsageError } from '../errors.js';
import type { Evaluation } from '../autoscale/evaluate.js';
import type { CommandContext } from './context.js';
import { closeProject, openProject, startAdapters } from './workflow.js';

export interface AutoscaleOptions {
  services: string[];
  once?: boolean;
  dryRun?: boolean;
}

export async function run(options: AutoscaleOptions, ctx: CommandContext): Promise<number> {
  const project = await openProject(ctx, options.services);
  const { stateDir } = await import('../autoscale/paths.js');
  const { skipReason, wireServices, closeSources } = await import('../autoscale/wire.js');
  const { AutoscaleLoop } = await import('../autoscale/loop.js');
  const { takeLock } = await import('../autoscale/lock.js');
  const dir = stateDir(project.config.dir, ctx.io.env, project.config.environment);
  try {
    await startAdapters(project, ctx);
    const driven = project.services.filter((service) => {
      const why = skipReason(service, project.adapters.get(service.provider)!.name);
      if (why && (options.services.length > 0 || service.spec.autoscale)) ctx.info(`${service.name}: skipped — ${why}`);
      return why === undefined;
    });
    if (driven.length === 0) {
      throw new UsageError('no service for scalectl autoscale: it drives services with an `autoscale` block on the mock cloud or Docker (Kubernetes scales its own)');
    }
    const lock = options.dryRun ? { release() {} } : takeLock(dir);
    if ('heldBy' in lock) throw new UsageError(`another scalectl autoscale (pid ${lock.heldBy}) is running for this project (lock in ${dir}); stop it first`);
    const services = await wireServices(driven, project.adapters, project.config.providers, { env: ctx.io.env, configDir: project.config.dir });
    const evaluations: Evaluation[] = [];
    const loop = new AutoscaleLoop(services, {
      stateDir: dir,
      dryRun: options.dryRun,
      report: (e) => {
        evaluations.push(e);
        if (!ctx.globals.json) report(e, ctx, Boolean(options.once || options.dryRun), Boolean(options.dryRun));
        else if (!options.once) ctx.json(e, 0);
      },
      progress: (message) => ctx.debug(message),
    });
    try {
      if (options.once) {
        const results = await loop.round(services);
        if (ctx.globals.json) ctx.json({ evaluations: results });
        return results.some((r) => r.error || r.missing.length > 0) ? EXIT.error : EXIT.ok;
      }
      // Ctrl-C and SIGTERM abort ctx.signal (cli/main.ts): the round in flight finishes, then the loop stops.
      ctx.info(`scalectl autoscale: ${services.map((s) => `${s.service.name} every ${formatDuration(s.policy.intervalMs)}`).join(', ')}; memory in ${dir} (Ctrl-C stops)`);
      await loop.run(ctx.signal);
      ctx.info('scalectl autoscale stopped; the windows are saved');
      return EXIT.ok;
    } finally {
      lock.release();
      await closeSources(services);
    }
  } finally {
    await closeProject(project);
  }
}

// One evaluation for people: changes and problems always, an unchanged count with --once or -v.
function report(e: Evaluation, ctx: CommandContext, always: boolean, dryRun: boolean): void {
  const { style } = ctx;
  if (e.error) ctx.warn(`${e.service}: ${e.error}`);
  for (const missing of e.missing) ctx.warn(`${e.service}: holds ${e.current} — ${missing}`);
  if (e.current === null || e.final === null) return;
  if (e.changed) ctx.out(`${e.service}: ${e.current} → ${style.bold(String(e.final))}${dryRun ? ' (dry run: not applied)' : ''}  ${style.dim(`${e.event?.rule}: ${e.reason}`)}`);
  else if (always || ctx.globals.verbose) ctx.out(`${e.service}: holds ${e.current}  ${style.dim(e.reason)}`);
}
