// `scalectl simulate <service> --load <spec>`: runs the service's policy against a load curve on the
// mock cloud's engine; text chart + summary, --json every step, --html report, --compare other.yaml.
import { closest } from '../config/suggest.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { announceEnvironment } from './environment.js';
import { parseDuration } from '../config/duration.js';
import type { ScalingConfig, ServiceConfig } from '../config/model.js';
import { EXIT, UsageError } from '../errors.js';
import { MIN_WIDTH, renderChart } from '../simulate/chart.js';
import { renderHtml } from '../simulate/html.js';
import { simulate, type PastScaleEvent } from '../simulate/index.js';
import type { EngineState } from '../simulate/decide.js';
import { PLATFORMS, platformOf, type Platform } from '../simulate/platform.js';
import { toJson } from '../simulate/json.js';
import { LoadSpecError, parseLoadSpec } from '../simulate/load.js';
import { renderEvents, renderSummary } from '../simulate/summary.js';
import { parseCsvTrace, parseJsonTrace } from '../simulate/trace.js';
import type { LoadCurve, SimulationResult } from '../simulate/types.js';
import type { CommandContext } from './context.js';

// The options main.ts passes from the command line.
export interface SimulateCliOptions {
  service: string;
  load: string;
  duration?: string;
  step?: string;
  json: boolean;
  html?: string;
  compare?: string;
  start?: string;
  platform?: string;
  history?: string;
}

const MAX_STEPS = 5_000_000;

function durationFlag(flag: string, value: string | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new UsageError(`${flag} "${value}" is not a positive duration; expected e.g. 30s, 15m, 24h`);
  return ms;
}

function findService(config: ScalingConfig, name: string, file: string): ServiceConfig {
  const service = config.services.find((s) => s.name === name);
  if (!service) {
    const names = config.services.map((s) => s.name);
    const match = closest(name, names);
    throw new UsageError(`no service "${name}" in ${file}${match ? ` (did you mean "${match}"?)` : ''}; services: ${names.join(', ') || '(none)'}`);
  }
  return service;
}

interface LoadInput { curve: LoadCurve; startsAt?: Date; lengthMs?: number }

function readLoad(spec: string, cwd: string, start: () => Date): LoadInput {
  const path = resolve(cwd, spec);
  const looksLikeFile = /\.(csv|json)$/i.test(spec);
  try {
    if (looksLikeFile || existsSync(path)) {
      if (!existsSync(path)) throw new UsageError(`--load ${spec}: no such file (a trace must be a .csv or .json file; inline shapes look like "rps=steps(100,800@10m)")`);
      const text = readFileSync(path, 'utf8');
      const trace = /\.json$/i.test(spec) ? parseJsonTrace(text, basename(spec)) : parseCsvTrace(text, basename(spec));
      return { curve: trace.curve, startsAt: trace.startsAt, lengthMs: trace.lengthMs };
    }
    return { curve: parseLoadSpec(spec, start()) };
  } catch (error) {
    if (error instanceof LoadSpecError) throw new UsageError(`--load: ${error.message}`);
    throw error;
  }
}

// Load fields only a metric of the same type reads (requests and latency always drive the traffic).
const METRIC_FIELDS = ['queue', 'cpu', 'memory', 'external'];

// A load field no metric of the service reads changes nothing: say so rather than ignore it quietly.
function warnUnusedFields(service: ServiceConfig, curve: LoadCurve, ctx: CommandContext): void {
  const types = new Set<string>((service.spec.autoscale?.metrics ?? []).map((m) => m.type));
  const unused = curve.fields.filter((field) => METRIC_FIELDS.includes(field) && !types.has(field));
  if (unused.length === 0) return;
  const list = unused.join(', ');
  const has = types.size ? `its metrics are ${[...types].join(', ')}` : 'it has no autoscale metrics';
  ctx.warn(`--load gives ${list}, which no metric of ${service.name} reads (${has}): ${unused.length === 1 ? 'it is' : 'they are'} ignored; add a ${unused[0]} metric to autoscale.metrics, or leave ${list} out of --load`);
}

// Columns to lay the chart out in: $COLUMNS, else the terminal's width, else 80; at least 60.
function terminalWidth(ctx: CommandContext): number {
  const fromEnv = Number(ctx.io.env.COLUMNS);
  const columns = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : (ctx.io.stdout as { columns?: number }).columns || 80;
  return Math.max(MIN_WIDTH, columns);
}

// --history: an engine state (scalectl autoscale's memory) or a list of past scale events
// [{ "at": ISO time or ms, "from": n, "to": n }], all before the start.
function readHistory(file: string, cwd: string, start: Date, serviceName: string): EngineState | PastScaleEvent[] {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new UsageError(`--history: no such file: ${file} (give the engine state scalectl autoscale saved, or a JSON list of {at, from, to})`);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--history ${file}: not JSON (${(error as Error).message}); expected an engine state or [{"at": "2026-03-02T07:55:00Z", "from": 2, "to": 5}]`);
  }
  if (Array.isArray(doc)) {
    return doc.map((e, i) => {
      const at = typeof e?.at === 'number' ? e.at : Date.parse(String(e?.at));
      if (!Number.isFinite(at) || !Number.isInteger(e?.from) || !Number.isInteger(e?.to) || e.from < 0 || e.to < 0) {
        throw new UsageError(`--history ${file}: event ${i + 1} is not {at, from, to} with an ISO time and whole counts; e.g. {"at": "2026-03-02T07:55:00Z", "from": 2, "to": 5}`);
      }
      if (at > start.getTime()) throw new UsageError(`--history ${file}: event ${i + 1} (${new Date(at).toISOString()}) is after the start ${start.toISOString()}; past events only`);
      return { at, from: e.from, to: e.to };
    });
  }
  // scalectl autoscale's own file (.scalectl/autoscale-state.json): this service's engine memory.
  const saved = (doc as { services?: Record<string, { engine?: EngineState }> })?.services;
  if (saved && typeof saved === 'object') {
    const engine = Object.hasOwn(saved, serviceName) ? saved[serviceName]?.engine : undefined;
    if (!engine) throw new UsageError(`--history ${file}: scalectl autoscale saved no engine state for "${serviceName}" (services there: ${Object.keys(saved).join(', ') || 'none'})`);
    doc = engine;
  }
  const state = doc as Partial<EngineState>;
  if (state?.version !== 1 || !Array.isArray(state.upWindow) || !Array.isArray(state.downWindow) || !Array.isArray(state.scaleEvents)) {
    throw new UsageError(`--history ${file}: neither an engine state (version 1, upWindow, downWindow, scaleEvents) nor a list of {at, from, to}`);
  }
  return state as EngineState;
}

// Runs the command; returns the exit code.
export async function run(options: SimulateCliOptions, ctx: CommandContext): Promise<number> {
  if (!options.service) throw new UsageError('simulate needs a service name: scalectl simulate <service> --load "rps=steps(100,800@10m)"');
  if (!options.load) throw new UsageError('simulate needs --load: a CSV/JSON trace or a shape such as "rps=steps(100,800@10m,100@30m)"');
  let start: Date | undefined;
  if (options.start !== undefined) {
    start = new Date(options.start);
    if (Number.isNaN(start.getTime())) throw new UsageError(`--start "${options.start}" is not a date-time; expected ISO 8601 such as 2026-03-02T08:00:00Z`);
  }
  const config = await loadConfig({ file: ctx.globals.file, cwd: ctx.io.cwd, env: ctx.io.env });
  announceEnvironment(config, ctx);
  const service = findService(config, options.service, basename(config.file));
  // Wall-clock time only here, at the edge: the engine takes it as input.
  const startAt = () => start ?? new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const load = readLoad(options.load, ctx.io.cwd, startAt);
  warnUnusedFields(service, load.curve, ctx);
  const begin = start ?? load.startsAt ?? startAt();
  const stepMs = durationFlag('--step', options.step, 1000);
  // Default: a trace runs to its last row (plus one step); a shape runs for an hour.
  const durationMs = durationFlag('--duration', options.duration, load.lengthMs ? load.lengthMs + stepMs : 3_600_000);
  if (durationMs / stepMs > MAX_STEPS) {
    throw new UsageError(`--duration ${options.duration ?? '1h'} at --step ${options.step ?? '1s'} is ${Math.ceil(durationMs / stepMs)} steps; the limit is ${MAX_STEPS}: use a larger --step`);
  }
  if (options.platform !== undefined && !PLATFORMS.includes(options.platform as Platform)) {
    const match = closest(options.platform, [...PLATFORMS]);
    throw new UsageError(`--platform "${options.platform}" is not one of ${PLATFORMS.join(', ')}${match ? ` (did you mean "${match}"?)` : ''}`);
  }
  const history = options.history === undefined ? undefined : readHistory(options.history, ctx.io.cwd, begin, service.name);
  const sim = (s: ServiceConfig, c: ScalingConfig) => {
    const platform = (options.platform as Platform | undefined) ?? platformOf(c.providers[s.provider]?.adapter ?? 'mock', s);
    try {
      return simulate(s, load.curve, { start: begin, durationMs, stepMs, platform, history });
    } catch (error) {
      throw new UsageError(`cannot simulate ${s.name}: ${(error as Error).message}`);
    }
  };
  const results: SimulationResult[] = [sim(service, config)];
  const labels = [basename(config.file)];
  if (options.compare !== undefined) {
    if (!existsSync(resolve(ctx.io.cwd, options.compare))) throw new UsageError(`--compare: no such file: ${options.compare} (give another scaling.yaml to simulate side by side)`);
    const other = await loadConfig({ file: options.compare, cwd: ctx.io.cwd, env: ctx.io.env });
    results.push(sim(findService(other, options.service, basename(other.file)), other));
    labels.push(basename(other.file) === labels[0] ? options.compare : basename(other.file));
  }

  if (options.html !== undefined) {
    const path = resolve(ctx.io.cwd, options.html);
    // Schedules run on wall-clock time: the report's time axis then shows it, in their zone.
    const schedules = service.spec.autoscale?.schedules ?? [];
    const timeZone = schedules.length ? (schedules.find((sc) => sc.timezone)?.timezone ?? 'UTC') : undefined;
    writeFileSync(path, renderHtml(results, { title: `scalectl simulate ${service.name}`, load: load.curve.describe, labels, timeZone }));
    ctx.info(`wrote ${options.html}`);
  }
  if (options.json || ctx.globals.json) {
    const docs = results.map((r, i) => ({ config: labels[i], ...toJson(r) }));
    ctx.json(docs.length === 1 ? docs[0] : { runs: docs });
    return EXIT.ok;
  }
  const style = ctx.style;
  const width = terminalWidth(ctx);
  const heading = `load: ${load.curve.describe} · start ${begin.toISOString()} · step ${options.step ?? '1s'}`;
  if (heading.length <= width) ctx.out(style.dim(heading));
  else for (const line of [`load: ${load.curve.describe}`, `start ${begin.toISOString()} · step ${options.step ?? '1s'}`]) ctx.out(style.dim(line));
  results.forEach((result, i) => {
    if (results.length > 1) ctx.out(style.bold(`— ${labels[i]}`));
    for (const line of renderChart(result, style, width)) ctx.out(line);
    ctx.out('');
  });
  for (const line of renderSummary(results, style, results.length > 1 ? labels : undefined)) ctx.out(line);
  results.forEach((result, i) => {
    if (result.events.length === 0) return;
    ctx.out('');
    ctx.out(style.bold(results.length > 1 ? `events — ${labels[i]}` : 'events'));
    for (const line of renderEvents(result, style, ctx.globals.verbose ? Infinity : 20, width)) ctx.out(line);
  });
  return EXIT.ok;
}
