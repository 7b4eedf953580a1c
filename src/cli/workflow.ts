// The I/O around the pure planner, shared by show, plan and apply: load the file, start the
// adapters the file uses, read every target (providers in parallel), then plan.
import type { Adapter, ChangeRequest, ObservedTarget, TargetRequest } from '../../adapters/contract.js';
import { loadAdapter } from '../../adapters/registry.js';
import { displayPath, loadConfig } from '../config/load.js';
import type { ScalingConfig, ServiceConfig } from '../config/model.js';
import { AdapterError, UsageError } from '../errors.js';
import { plan, type ServiceObservation } from '../plan/plan.js';
import type { Finding, Plan, PlannedService } from '../plan/types.js';
import { closest } from '../config/suggest.js';
import { startSpinner } from '../output/spinner.js';
import type { CommandContext } from './context.js';
import { announceEnvironment } from './environment.js';

export interface Project {
  config: ScalingConfig;
  adapters: Map<string, Adapter>; // by provider name
  services: ServiceConfig[]; // the ones selected
  /** What the last observe() saw, by service name. */
  observations?: Map<string, ServiceObservation>;
}

// Loads scaling.yaml, prints its warnings, and selects services by name.
export async function openProject(ctx: CommandContext, only: string[] = []): Promise<Project> {
  const config = await loadConfig({ file: ctx.globals.file, cwd: ctx.io.cwd, env: ctx.io.env });
  announceEnvironment(config, ctx);
  for (const warning of config.warnings) ctx.warn(warning.replace(/: warning: /, ': '));
  const names = config.services.map((s) => s.name);
  for (const name of only) {
    if (!names.includes(name)) {
      const match = closest(name, names);
      throw new UsageError(`no service "${name}" in ${config.file}${match ? ` (did you mean "${match}"?)` : ''}; services: ${names.join(', ')}`);
    }
  }
  const services = only.length ? config.services.filter((s) => only.includes(s.name)) : config.services;
  return { config, adapters: new Map(), services };
}

// Starts (once) the adapter of every provider the selected services use.
export async function startAdapters(project: Project, ctx: CommandContext): Promise<void> {
  const needed = [...new Set(project.services.map((s) => s.provider))].filter((p) => !project.adapters.has(p));
  await Promise.all(
    needed.map(async (name) => {
      const provider = project.config.providers[name];
      const adapter = await loadAdapter({ provider, configDir: project.config.dir, environment: project.config.environment, env: ctx.io.env, debug: ctx.debug }, { allowed: ctx.globals.allowAdapters ?? [] });
      project.adapters.set(name, adapter);
    }),
  );
}

function requestOf(service: ServiceConfig): TargetRequest {
  return { service: service.name, target: service.target, extensions: service.extensions, desired: service.spec };
}

// Reads every selected target; a provider that cannot be read marks its services with the error.
export async function observe(project: Project, ctx: CommandContext): Promise<Map<string, ServiceObservation>> {
  await startAdapters(project, ctx);
  const observations = new Map<string, ServiceObservation>();
  const byProvider = new Map<string, ServiceConfig[]>();
  for (const service of project.services) byProvider.set(service.provider, [...(byProvider.get(service.provider) ?? []), service]);
  // Reading a provider can take up to its timeout: a terminal shows which ones are still being read.
  const pending = new Set(byProvider.keys());
  const label = () => `reading ${[...pending].join(', ')}…`;
  const spinner = startSpinner(ctx.io.stderr, label(), !ctx.globals.quiet && !ctx.globals.verbose && pending.size > 0);
  try {
    await Promise.all(
      [...byProvider].map(async ([providerName, services]) => {
        try {
          await readProvider(project, ctx, project.adapters.get(providerName)!, services, observations);
        } finally {
          pending.delete(providerName);
          spinner.update(label());
        }
      }),
    );
  } finally {
    spinner.stop();
  }
  return observations;
}

// Reads one provider's services into `observations`.
async function readProvider(project: Project, ctx: CommandContext, adapter: Adapter, services: ServiceConfig[], observations: Map<string, ServiceObservation>): Promise<void> {
  const readable: ServiceConfig[] = [];
  for (const service of services) {
    const problem = adapter.parseTarget(service.target);
    if (problem) {
      const at = project.config.positions[`services.${service.name}.target`] ?? project.config.positions[`services.${service.name}`];
      const cause = at ? ` (${displayPath(project.config.file, ctx.io.cwd)}:${at.line}:${at.col})` : '';
      observations.set(service.name, failed(adapter, `target: ${problem}${cause}`));
    } else readable.push(service);
  }
  if (readable.length === 0) return;
  let observed: ObservedTarget[];
  try {
    observed = await adapter.read(readable.map(requestOf), { signal: ctx.signal });
  } catch (error) {
    if (!AdapterError.isAdapterError(error)) throw error;
    for (const service of readable) observations.set(service.name, failed(adapter, error.message));
    return;
  }
  readable.forEach((service, i) => {
    const target = observed[i] ?? { exists: false, fingerprint: '', spec: {}, error: 'the adapter returned no result' };
    observations.set(service.name, { adapter: adapter.name, observed: target, capabilities: adapter.capabilities(service.target, target) });
  });
}

function failed(adapter: Adapter, message: string): ServiceObservation {
  return {
    adapter: adapter.name,
    observed: { exists: false, fingerprint: '', spec: {}, error: message },
    capabilities: { fields: {} },
  };
}

// Observes and plans the selected services.
export async function makePlan(project: Project, ctx: CommandContext, options: { force?: boolean; findings?: Map<string, Finding[]> } = {}): Promise<Plan> {
  const observations = await observe(project, ctx);
  project.observations = observations;
  return plan(project.config, observations, {
    now: new Date().toISOString(),
    force: options.force,
    findings: options.findings,
    only: project.services.map((s) => s.name),
  });
}

// The adapter call for one planned service.
export function changeRequestOf(project: Project, planned: PlannedService): ChangeRequest {
  const service = project.config.services.find((s) => s.name === planned.name)!;
  return {
    service: service.name,
    target: service.target,
    extensions: service.extensions,
    desired: service.spec,
    changes: planned.changes,
    fingerprint: planned.fingerprint,
  };
}

// Releases adapter connections.
export async function closeProject(project: Project): Promise<void> {
  await Promise.all([...project.adapters.values()].map((a) => a.close?.().catch(() => undefined)));
}

// Readiness findings for services that could run more than one instance and name a `source`
// (the gate's input). The checker loads only when some service needs it.
export async function readinessFindings(project: Project, ctx: CommandContext): Promise<Map<string, Finding[]> | undefined> {
  const { peakInstances } = await import('../plan/plan.js');
  const scanned = project.services.filter((s) => s.source !== undefined && peakInstances(s.spec) > 1);
  if (scanned.length === 0) return undefined;
  const { collectFindings } = await import('../readiness/gate.js');
  ctx.debug(`readiness: scanning ${scanned.map((s) => s.name).join(', ')}`);
  return collectFindings({ ...project.config, services: scanned });
}
