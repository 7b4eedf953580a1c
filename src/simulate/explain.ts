// plan --explain: the engine's reasoning for the count a service would hold now — raw count per
// metric, the combining rule, each constraint with its effect, the final count (kubernetes#138992).
import type { ServiceConfig } from '../config/model.js';
import type { Style } from '../output/style.js';
import { Autoscaler } from './decide.js';
import { describeDecision, type ConstraintReason, type MetricReason } from './describe.js';
import { liveCount } from './live.js';
import type { Platform } from './platform.js';
import { DEFAULTS, FIELD, resolvePolicy } from './policy.js';
import { boundsAt, boundsFor, cronDesiredAt, describeSchedule, scheduleAt } from './schedule.js';
import type { LoadSample } from './types.js';

// The plan --explain record for one service (also its --json form).
export interface Explanation {
  service: string;
  at: string;
  mode: 'fixed' | 'autoscale';
  current: number;
  /** Where `current` came from. */
  currentReason: string;
  bounds: { min: number; max: number; schedule?: string; scheduleWhen?: string };
  loadMeasured: boolean;
  metrics: MetricReason[];
  combine: { rule: string; count: number } | null;
  constraints: ConstraintReason[];
  final: number;
}

// Explains one service at `at`; `current` is the live count (undefined = not created yet).
export function explainService(service: ServiceConfig, current: number | undefined, at: Date, load?: LoadSample, platform: Platform = 'mock'): Explanation {
  const auto = service.spec.autoscale;
  if (!auto) {
    const replicas = service.spec.replicas ?? 0;
    return {
      service: service.name, at: at.toISOString(), mode: 'fixed', current: current ?? replicas, currentReason: current === undefined ? 'not created yet' : 'live count',
      bounds: { min: replicas, max: replicas }, loadMeasured: false, metrics: [], combine: null,
      constraints: [{ name: 'replicas', before: current ?? replicas, after: replicas, changed: current !== replicas, detail: `fixed count replicas: ${replicas}` }],
      final: replicas,
    };
  }
  // On KEDA schedules are cron triggers (a metric), so the bounds are the base ones.
  const bounds = platform === 'keda' ? boundsFor(auto, undefined) : boundsAt(auto, at);
  const schedule = scheduleAt(auto.schedules, at.getTime());
  const live = liveCount(auto, at, current);
  const base = current ?? auto.initial ?? bounds.min;
  const bound = { ...bounds, scheduleWhen: schedule ? describeSchedule(schedule) : undefined };
  if (!load) {
    return {
      service: service.name, at: at.toISOString(), mode: 'autoscale', current: base, currentReason: current === undefined ? 'not created yet' : 'live count',
      bounds: bound, loadMeasured: false,
      metrics: (auto.metrics ?? []).map((m) => ({ metric: m.type, observed: Number.NaN, target: resolvePolicy(service, platform).metrics.find((r) => r.type === m.type)?.describe ?? m.type, recommended: null, withinTolerance: false })),
      combine: null,
      constraints: [{ name: 'no load measured', before: base, after: live.count, changed: base !== live.count, detail: live.reason }],
      final: live.count,
    };
  }
  const policy = resolvePolicy(service, platform);
  // No history: one-shot, so neither stabilization window holds anything (a new HPA would hold the current count).
  const scaler = new Autoscaler({ ...policy, up: { ...policy.up, stabilizationMs: 0 }, down: { ...policy.down, stabilizationMs: 0 } }, at.getTime(), base);
  const latency = load.latency ?? DEFAULTS.latencyMs;
  policy.metrics.forEach((metric, i) => {
    let value: number | undefined;
    if (metric.field === FIELD.concurrency && metric.measure === 'inflight') value = load.concurrency ?? (load.rps !== undefined ? (load.rps * latency) / 1000 : undefined);
    else if (metric.field === FIELD.rps || metric.measure === 'rps') value = load.rps ?? (load.concurrency !== undefined ? (load.concurrency * 1000) / latency : undefined);
    else value = (load as Record<string, number | undefined>)[metric.type];
    scaler.totals[i] = value ?? Number.NaN;
  });
  // KEDA: schedules are cron triggers through the HPA (a metric), not bounds.
  if (policy.schedulesAs === 'metric' && auto.schedules?.length) scaler.cron = cronDesiredAt(auto.schedules, at.getTime(), auto.min);
  scaler.evaluate(at.getTime(), base, bounds);
  const reason = describeDecision(scaler);
  if (policy.down.stabilizationMs > 0 && reason.combine.count < base) {
    reason.constraints.push({ name: 'stabilization', before: reason.final, after: reason.final, changed: false, detail: `one-shot explanation: the ${policy.down.stabilizationMs / 1000}s scale-down window has no history here (simulate shows it over time)` });
  }
  return {
    service: service.name, at: at.toISOString(), mode: 'autoscale', current: base, currentReason: current === undefined ? 'not created yet' : 'live count',
    bounds: bound, loadMeasured: true, metrics: reason.metrics, combine: reason.combine, constraints: reason.constraints, final: reason.final,
  };
}

const fmt = (x: number) => String(Math.round(x * 100) / 100);

// Lines for the terminal: the service, each metric, the rule, each constraint, the final count.
export function renderExplanation(e: Explanation, style: Style): string[] {
  const lines: string[] = [];
  const sched = e.bounds.schedule ? `, schedule ${e.bounds.schedule} (${e.bounds.scheduleWhen})` : '';
  lines.push(`${style.bold(e.service)}: ${e.current} → ${style.bold(String(e.final))}  ${style.dim(`(${e.currentReason}; bounds ${e.bounds.min}–${e.bounds.max}${sched})`)}`);
  if (e.mode === 'fixed') {
    for (const c of e.constraints) lines.push(`  ${c.detail}`);
    return lines;
  }
  if (e.metrics.length === 0) lines.push(`  metrics: none (the count only follows the bounds)`);
  for (const m of e.metrics) {
    const rec = m.recommended === null ? style.dim('no recommendation') : `wants ${m.recommended}${m.withinTolerance ? ' (within tolerance)' : ''}`;
    const observed = Number.isNaN(m.observed) ? 'not measured' : `${fmt(m.observed)} observed`;
    lines.push(`  metric ${m.metric}: ${observed}, ${m.target} → ${rec}`);
  }
  if (e.combine) lines.push(`  combine ${e.combine.rule} → ${e.combine.count}`);
  for (const c of e.constraints) {
    const mark = c.changed ? style.yellow('✱') : style.dim('·');
    lines.push(`  ${mark} ${c.name}: ${c.detail}`);
  }
  lines.push(`  final: ${style.bold(String(e.final))}`);
  return lines;
}
