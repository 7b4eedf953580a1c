// scalectl autoscale [service…]: the live control loop for platforms without an autoscaler
// (Docker) and for the mock cloud — metric sources → the engine `simulate` runs → the adapter.
// `--once` evaluates once (cron, CI) and exits 1 when a source could not be read. The running loop
// follows edits of scaling.yaml: a valid new version replaces the services between rounds (the
// engine's memory carries over); an invalid one is reported and the loop goes on as before.
import { createHash } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { formatDuration } from '../config/duration.js';
import { EXIT, ScalectlError, UsageError, formatDiagnostic, type ConfigError } from '../errors.js';
import type { Evaluation } from '../autoscale/evaluate.js';
import type { LoopService } from '../autoscale/evaluate.js';
import type { CommandContext } from './context.js';
import { closeProject, openProject, startAdapters, type Project } from './workflow.js';

export interface AutoscaleOptions {
  services: string[];
  once?: boolean;
  dryRun?: boolean;
  /** How often the running loop looks for an edited scaling.yaml (default 1 s; tests use less). */
  watchIntervalMs?: number;
}

// One version of scaling.yaml at work: its project, adapters and wired services.
interface Session {
  project: Project;
  services: LoopService[];
  close(): Promise<void>;
}

// Opens the project, starts its adapters and wires the services the loop drives.
async function openSession(options: AutoscaleOptions, ctx: CommandContext): Promise<Session> {
  const project = await openProject(ctx, options.services);
  const { skipReason, wireServices, closeSources } = await import('../autoscale/wire.js');
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
    const services = await wireServices(driven, project.adapters, project.config.providers, { env: ctx.io.env, configDir: project.config.dir });
    return {
      project,
      services,
      close: async () => {
        await closeSources(services);
        await closeProject(project);
      },
    };
  } catch (error) {
    await closeProject(project);
    throw error;
  }
}

const digest = (file: string) => {
  try {
    return createHash('sha1').update(readFileSync(file)).digest('hex');
  } catch {
    return 'unreadable';
  }
};

// Why a new version of scaling.yaml was not taken, in the words the CLI uses for errors.
function describeFailure(error: unknown): string {
  if (ScalectlError.is(error) && error.name === 'ConfigError') return (error as ConfigError).diagnostics.map(formatDiagnostic).join('\n');
  return error instanceof Error ? error.message : String(error);
}

export async function run(options: AutoscaleOptions, ctx: CommandContext): Promise<number> {
  let session = await openSession(options, ctx);
  const { stateDir } = await import('../autoscale/paths.js');
  const { AutoscaleLoop } = await import('../autoscale/loop.js');
  const { takeLock } = await import('../autoscale/lock.js');
  const file = session.project.config.file;
  const dir = stateDir(session.project.config.dir, ctx.io.env, session.project.config.environment);
  try {
    const lock = options.dryRun ? { release() {} } : takeLock(dir);
    if ('heldBy' in lock) throw new UsageError(`another scalectl autoscale (pid ${lock.heldBy}) is running for this project (lock in ${dir}); stop it first`);
    const evaluations: Evaluation[] = [];
    const said = new Set<string>();
    const loopFor = (services: LoopService[]) =>
      new AutoscaleLoop(services, {
        stateDir: dir,
        dryRun: options.dryRun,
        report: (e) => {
          evaluations.push(e);
          if (!ctx.globals.json) report(e, ctx, Boolean(options.once || options.dryRun), Boolean(options.dryRun), said);
          else if (!options.once) ctx.json(e, 0);
        },
        progress: (message) => ctx.debug(message),
      });
    try {
      if (options.once) {
        const results = await loopFor(session.services).round(session.services);
        if (ctx.globals.json) ctx.json({ evaluations: results });
        return results.some((r) => r.error || r.missing.length > 0) ? EXIT.error : EXIT.ok;
      }
      const started = (what: string) =>
        ctx.info(`scalectl autoscale${what}: ${session.services.map((s) => `${s.service.name} every ${formatDuration(s.policy.intervalMs)}`).join(', ')}; memory in ${dir} (Ctrl-C stops)`);
      started('');
      // Ctrl-C and SIGTERM abort ctx.signal (cli/main.ts): the round in flight finishes, then the
      // loop stops. An edit of scaling.yaml stops the loop the same way, to start it again.
      let seen = digest(file);
      let edited = new AbortController();
      const poll = () => {
        const now = digest(file);
        if (now !== seen) edited.abort();
      };
      watchFile(file, { interval: options.watchIntervalMs ?? 1000 }, poll);
      try {
        for (;;) {
          await loopFor(session.services).run(AbortSignal.any([ctx.signal, edited.signal]));
          if (ctx.signal.aborted) break;
          seen = digest(file);
          edited = new AbortController();
          let next: Session;
          try {
            next = await openSession(options, ctx);
          } catch (error) {
            ctx.warn(`${file} changed, but the new version cannot be used; still driving the services as before:\n${describeFailure(error)}`);
            continue;
          }
          await session.close();
          session = next;
          started(' reloaded scaling.yaml');
        }
      } finally {
        unwatchFile(file, poll);
      }
      ctx.info('scalectl autoscale stopped; the windows are saved');
      return EXIT.ok;
    } finally {
      lock.release();
    }
  } finally {
    await session.close();
  }
}

// One evaluation for people: changes and problems always, an unchanged count with --once or -v.
// A metric never measured live here is said once (`said`), and is not a problem of the run.
function report(e: Evaluation, ctx: CommandContext, always: boolean, dryRun: boolean, said: Set<string>): void {
  const { style } = ctx;
  if (e.error) ctx.warn(`${e.service}: ${e.error}`);
  for (const missing of e.missing) ctx.warn(`${e.service}: holds ${e.current} — ${missing}`);
  for (const line of e.notLive) {
    if (said.has(`${e.service}\u0000${line}`)) continue;
    said.add(`${e.service}\u0000${line}`);
    ctx.info(`${e.service}: ${line}; the count stays within its bounds`);
  }
  if (e.current === null || e.final === null) return;
  if (e.changed) ctx.out(`${e.service}: ${e.current} → ${style.bold(String(e.final))}${dryRun ? ' (dry run: not applied)' : ''}  ${style.dim(`${e.event?.rule}: ${e.reason}`)}`);
  else if (always || ctx.globals.verbose) ctx.out(`${e.service}: holds ${e.current}  ${style.dim(e.reason)}`);
}
