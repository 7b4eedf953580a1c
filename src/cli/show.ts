// scalectl show [service…]: live state from the providers, and drift from scaling.yaml.
import type { Autoscale, ServiceSpec } from '../config/model.js';
import { EXIT } from '../errors.js';
import { formatValue, table } from '../output/values.js';
import { diffSpecs } from '../plan/plan.js';
import { redact, redactValue } from '../util/redact.js';
import type { CommandContext } from './context.js';
import { closeProject, observe, openProject } from './workflow.js';

export interface ShowOptions { services: string[] }

// The version of `show --json`'s document ({ formatVersion, services }).
export const SHOW_FORMAT_VERSION = 1;

// One row of `show`, also its --json record.
export interface ShownService {
  name: string;
  /** The scaling.yaml environment shown (absent for the base). */
  environment?: string;
  provider: string;
  adapter: string;
  target: string;
  exists: boolean;
  scaling: string;
  instances?: { desired: number; ready: number };
  /** The autoscaling bounds in force (a schedule may have changed them, and names itself). */
  bounds?: { min: number; max: number; schedule?: string };
  spec: ServiceSpec;
  details: Record<string, string | number | boolean>;
  drift: { field: string; live: unknown; file: unknown }[];
  error?: string;
}

// Runs the command; returns the exit code (1 when a target could not be read).
export async function run(options: ShowOptions, ctx: CommandContext): Promise<number> {
  const project = await openProject(ctx, options.services);
  try {
    const observations = await observe(project, ctx);
    const rows: ShownService[] = project.services.map((service) => {
      const observation = observations.get(service.name)!;
      const { observed } = observation;
      const live = observed.exists ? observed.spec : {};
      const drift = observed.error
        ? []
        : diffSpecs(service, live, observation.capabilities, project.config.locations).map((c) => ({ field: c.field, live: c.before, file: c.after }));
      return {
        name: service.name,
        ...(project.config.environment ? { environment: project.config.environment } : {}),
        provider: service.provider,
        adapter: observation.adapter,
        target: service.target,
        exists: observed.exists,
        scaling: describeScaling(live),
        instances: observed.instances,
        bounds: live.autoscale ? boundsOf(live.autoscale, observed.details) : undefined,
        spec: redactValue(live),
        details: redactValue(observed.details ?? {}),
        drift,
        ...(observed.error ? { error: redact(observed.error) } : {}),
      };
    });
    const environment = project.config.environment;
    if (ctx.globals.json) ctx.json({ formatVersion: SHOW_FORMAT_VERSION, ...(environment ? { environment } : {}), services: rows });
    else render(rows, ctx, environment);
    return rows.some((r) => r.error) ? EXIT.error : EXIT.ok;
  } finally {
    await closeProject(project);
  }
}

function describeScaling(spec: ServiceSpec): string {
  if (spec.replicas !== undefined) return spec.replicas === 0 ? 'stopped' : 'fixed';
  if (spec.autoscale) {
    const metrics = (spec.autoscale.metrics ?? []).map((m) => m.type);
    return `autoscale${metrics.length ? ` (${[...new Set(metrics)].join(', ')})` : ''}`;
  }
  return '-';
}

// The bounds in force when the adapter can tell (a schedule may change them), else the file's.
function boundsOf(autoscale: Autoscale, details: Record<string, unknown> | undefined): ShownService['bounds'] {
  const live = typeof details?.bounds === 'string' ? /^(\d+)\.\.(\d+)$/.exec(details.bounds) : null;
  const bounds = live ? { min: Number(live[1]), max: Number(live[2]) } : { min: autoscale.min, max: autoscale.max };
  const schedule = details?.schedule;
  return typeof schedule === 'string' && schedule ? { ...bounds, schedule } : bounds;
}

function showBounds(bounds: ShownService['bounds']): string {
  if (!bounds) return '-';
  return `${bounds.min}..${bounds.max}${bounds.schedule ? ` (${bounds.schedule})` : ''}`;
}

function render(rows: ShownService[], ctx: CommandContext, environment: string | undefined): void {
  const { style } = ctx;
  const header = ['SERVICE', 'PROVIDER', 'TARGET', 'SCALING', 'INSTANCES', 'BOUNDS', 'DRIFT'].map(style.bold);
  if (environment) ctx.out(`Environment: ${style.bold(environment)}`);
  const body = rows.map((row) => {
    const instances = row.instances ? `${row.instances.ready}/${row.instances.desired}` : row.exists ? '?' : '-';
    const drift = row.error
      ? style.red('unreadable')
      : !row.exists
        ? style.yellow('not created')
        : row.drift.length
          ? style.yellow(`${row.drift.length} field${row.drift.length === 1 ? '' : 's'}`)
          : style.green('in sync');
    return [row.name, `${row.provider} (${row.adapter})`, row.target, row.exists ? row.scaling : '-', instances, showBounds(row.bounds), drift];
  });
  for (const line of table([header, ...body])) ctx.out(line);
  for (const row of rows) {
    if (row.error) ctx.io.stderr.write(`${style.red('error:')} ${row.name}: ${row.error}\n`);
    else if (row.exists && row.drift.length && !ctx.globals.quiet) {
      ctx.out('');
      ctx.out(`${row.name} differs from the file:`);
      for (const d of row.drift) ctx.out(`  ${row.name}.${d.field}: live ${formatValue(d.live)}, file ${formatValue(d.file)}`);
    }
  }
  if (rows.some((r) => !r.error && (!r.exists || r.drift.length)) && !ctx.globals.quiet) {
    ctx.out('');
    ctx.out(style.dim('Run scalectl plan to see the changes that make the live state match the file.'));
  }
}
