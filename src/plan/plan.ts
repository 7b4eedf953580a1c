// The pure planner: desired (scaling.yaml) × observed (adapters' read) → plan. No I/O.
import type { Capabilities, FieldChange, ObservedTarget } from '../../adapters/contract.js';
import type { ScalingConfig, ServiceConfig, ServiceSpec } from '../config/model.js';
import { boundsAt } from '../simulate/schedule.js';
import { redact, redactValue, seal } from '../util/redact.js';
import { flattenSpec, sameValue, supportOf } from './fields.js';
import { PLAN_FORMAT_VERSION, type Finding, type Plan, type PlannedService } from './types.js';

// What the CLI learned about one service before planning.
export interface ServiceObservation {
  adapter: string;
  observed: ObservedTarget;
  capabilities: Capabilities;
}

export interface PlanOptions {
  /** Readiness findings per service name (the gate's input); absent = not scanned. */
  findings?: Map<string, Finding[]>;
  /** Take services above one instance despite error findings. */
  force?: boolean;
  /** ISO time stamped on the plan. */
  now: string;
  /** Plan only these services (all when empty). */
  only?: string[];
}

// Builds the plan record for every service (or `only` those named).
export function plan(config: ScalingConfig, observations: Map<string, ServiceObservation>, options: PlanOptions): Plan {
  const services = config.services
    .filter((s) => !options.only?.length || options.only.includes(s.name))
    .map((service) => planService(config, service, observations.get(service.name), options));
  const errors = services.reduce((n, s) => n + s.errors.length, 0);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    configFile: config.file,
    configHash: config.hash,
    ...(config.environment ? { environment: config.environment } : {}),
    createdAt: options.now,
    forced: Boolean(options.force),
    services,
    summary: {
      toChange: services.filter((s) => s.errors.length === 0 && s.changes.length > 0).length,
      unchanged: services.filter((s) => s.errors.length === 0 && s.changes.length === 0).length,
      errors,
    },
  };
}

function planService(config: ScalingConfig, service: ServiceConfig, observation: ServiceObservation | undefined, options: PlanOptions): PlannedService {
  const provider = config.providers[service.provider];
  const planned: PlannedService = {
    name: service.name,
    provider: service.provider,
    adapter: observation?.adapter ?? provider?.adapter ?? 'unknown',
    target: service.target,
    action: 'none',
    fingerprint: observation?.observed.fingerprint ?? '',
    changes: [],
    findings: options.findings?.get(service.name) ?? [],
    warnings: [],
    errors: [],
  };
  if (!observation) {
    planned.errors.push(`${service.name}: the ${service.provider} provider was not read`);
    return planned;
  }
  const { observed, capabilities } = observation;
  if (observed.error) {
    planned.errors.push(redact(`${service.name}: ${observed.error}`));
    return planned;
  }
  planned.warnings.push(...(observed.warnings ?? []));
  planned.changes = diffSpecs(service, observed.exists ? observed.spec : {}, capabilities, config.locations);
  const outside = observed.exists ? boundsChange(service, observed, capabilities, options.now) : undefined;
  if (outside) planned.changes.push(outside);
  for (const change of planned.changes) {
    if (change.support !== 'unsupported') continue;
    const alternative = supportOf(capabilities, change.field).alternative;
    planned.errors.push(
      `${service.name}.${change.field} is not supported by the ${planned.adapter} adapter for ${service.target}` +
        (alternative ? `: ${alternative}` : ''),
    );
  }
  const limit = capabilities.maxReplicas;
  const peak = largestCount(service.spec);
  if (limit !== undefined && peak && peak.count > limit) {
    const cause = causeOf(config.locations, `services.${service.name}.${peak.field}`);
    planned.errors.push(
      `${service.name}.${peak.field} asks for ${peak.count} instances; the ${planned.adapter} adapter runs at most ${limit} for ${service.target}` +
        `${cause ? ` (${cause})` : ''}: lower it`,
    );
  }
  applyGate(planned, service.spec, options);
  if (planned.changes.length > 0) planned.action = observed.exists ? 'update' : 'create';
  planned.errors = planned.errors.map(redact);
  planned.warnings = planned.warnings.map(redact);
  return planned;
}

// Field-by-field difference, each change classified by the adapter's capabilities.
export function diffSpecs(
  service: ServiceConfig,
  live: ServiceSpec,
  capabilities: Capabilities,
  locations: Record<string, string>,
): FieldChange[] {
  const desired = flattenSpec(service.spec);
  const observed = flattenSpec(live);
  const changes: FieldChange[] = [];
  // Values are compared sealed (a secret as a stable digest: the mock cloud stores it so) and
  // recorded redacted: a plan, its JSON, a saved plan and show's drift never carry a credential.
  const record = (field: string, before: unknown, after: unknown) => {
    const support = supportOf(capabilities, field);
    const change: FieldChange = { field, before: redactValue(before ?? null), after: redactValue(after ?? null), support: support.support };
    const cause = causeOf(locations, `services.${service.name}.${field}`);
    if (cause) change.cause = cause;
    if (support.note) change.note = support.note;
    // Redacted alike on both sides, yet different: only a secret moved.
    if (before !== undefined && JSON.stringify(change.before) === JSON.stringify(change.after)) {
      change.note = `${change.note ? `${change.note}; ` : ''}a secret changed (shown as ***)`;
    }
    changes.push(change);
  };
  for (const [field, after] of desired) {
    const before = observed.get(field);
    if (!observed.has(field) || !sameValue(seal(before), seal(after))) record(field, before, after);
  }
  // An autoscaled service's count belongs to the autoscaler: a live count is not a field to remove.
  const countIsOwned = service.spec.autoscale !== undefined && service.spec.replicas === undefined;
  for (const [field, before] of observed) {
    if (desired.has(field) || (countIsOwned && field === 'replicas')) continue;
    record(field, before, null);
  }
  return changes;
}

// Where the platform has no autoscaler (`autoscale` emulated by scalectl autoscale), a live count
// outside the bounds in force is a change: raised to min, lowered to max, as an autoscaler would.
function boundsChange(service: ServiceConfig, observed: ObservedTarget, capabilities: Capabilities, now: string): FieldChange | undefined {
  const auto = service.spec.autoscale;
  if (!auto || service.spec.replicas !== undefined || supportOf(capabilities, 'autoscale').support !== 'emulated') return undefined;
  const live = observed.instances?.desired ?? observed.spec.replicas;
  if (live === undefined) return undefined;
  const bounds = boundsAt(auto, new Date(now));
  const after = Math.min(Math.max(live, bounds.min), bounds.max);
  if (after === live) return undefined;
  const where = bounds.schedule ? ` (schedule ${bounds.schedule})` : '';
  return {
    field: 'replicas',
    before: live,
    after,
    support: 'emulated',
    note: `${after > live ? `below min ${bounds.min}` : `above max ${bounds.max}`}${where}; scalectl autoscale takes it from there`,
  };
}

// The scaling.yaml line a field comes from (or its nearest written ancestor).
function causeOf(locations: Record<string, string>, path: string): string | undefined {
  let current = path;
  while (current) {
    if (locations[current]) return locations[current];
    const cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
    current = cut > 0 ? current.slice(0, cut) : '';
  }
  return undefined;
}

// Most instances the spec may run: replicas, or autoscale max (schedules may raise it).
export function peakInstances(spec: ServiceSpec): number {
  if (spec.replicas !== undefined) return spec.replicas;
  if (!spec.autoscale) return 0;
  const scheduled = (spec.autoscale.schedules ?? []).map((s) => Math.max(s.max ?? 0, s.min ?? 0));
  return Math.max(spec.autoscale.max, ...scheduled);
}

// The largest instance count a spec names, and the field that names it.
function largestCount(spec: ServiceSpec): { field: string; count: number } | undefined {
  const auto = spec.autoscale;
  const pause = typeof auto?.pause === 'object' ? auto.pause.replicas : undefined;
  const counts: Array<[string, number | undefined]> = [
    ['replicas', spec.replicas],
    ['autoscale.max', auto?.max],
    ['autoscale.pause.replicas', pause],
    ['autoscale.fallback.replicas', auto?.fallback?.replicas],
    ...(auto?.schedules ?? []).flatMap((s): Array<[string, number | undefined]> => [
      [`autoscale.schedules[${s.name}].max`, s.max],
      [`autoscale.schedules[${s.name}].min`, s.min],
    ]),
  ];
  let best: { field: string; count: number } | undefined;
  for (const [field, count] of counts) if (count !== undefined && (!best || count > best.count)) best = { field, count };
  return best;
}

// The readiness gate: no second instance while the source has error findings, unless forced.
function applyGate(planned: PlannedService, spec: ServiceSpec, options: PlanOptions): void {
  const blocking = planned.findings.filter((f) => f.severity === 'error');
  const peak = peakInstances(spec);
  if (blocking.length === 0 || peak <= 1) return;
  const list = blocking.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`).join(', ');
  if (options.force) {
    planned.gate = 'forced';
    planned.warnings.push(`readiness gate overridden with --force: ${blocking.length} error finding(s) would break ${peak} instances (${list})`);
    return;
  }
  planned.gate = 'blocked';
  planned.errors.push(
    `readiness: ${blocking.length} error finding(s) make more than one instance unsafe (${list}); ` +
      'fix them (scalectl check shows how), keep 1 instance, or pass --force',
  );
}
