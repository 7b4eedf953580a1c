// `scalectl set <service> <path>=<value> …`: changes values in scaling.yaml in place — only the
// bytes of the named values change, comments and formatting stay — after validating the result.
import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parse, parseDocument } from 'yaml';
import { displayPath, parseConfig, resolveConfigFile } from '../config/load.js';
import { suggestion } from '../config/suggest.js';
import { ConfigError, EXIT, UsageError, formatDiagnostic, type Diagnostic } from '../errors.js';
import { writeFileAtomic } from '../init/atomic-write.js';
import { editYaml } from '../init/yaml-edit.js';
import { formatPath, parsePath, type Segment } from '../init/yaml-path.js';
import { formatValue } from '../output/values.js';
import type { CommandContext } from './context.js';
import { announceEnvironment } from './environment.js';

export interface SetOptions {
  /** The service; when absent, the first of `assignments` is the service name. */
  service?: string;
  /** `path=value` pairs (an empty value removes the key). */
  assignments: string[];
  dryRun?: boolean;
}

interface Assignment { raw: string; path: Segment[]; value: unknown }

// Parses `autoscale.max=30`: the value is read as YAML (30 is a number, 5m a string, [Mon, Fri] a list).
export function parseAssignment(raw: string): Assignment {
  const equals = raw.indexOf('=');
  if (equals <= 0) throw new UsageError(`"${raw}" is not an assignment: expected <path>=<value>, e.g. autoscale.max=30 (an empty value removes the key: autoscale.initial=)`);
  const text = raw.slice(equals + 1).trim();
  let value: unknown;
  if (text === '') value = undefined;
  else {
    try {
      value = parse(text);
    } catch {
      value = text;
    }
  }
  return { raw, path: parsePath(raw.slice(0, equals).trim()), value };
}

// One changed region between two texts, as -/+ lines.
function lineDiff(before: string, after: string, shown: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return [`@@ ${shown}:${head + 1}`, ...a.slice(head, a.length - tail).map((l) => `-${l}`), ...b.slice(head, b.length - tail).map((l) => `+${l}`)];
}

// Runs the command; returns the exit code.
export async function run(options: SetOptions, ctx: CommandContext): Promise<number> {
  const args = [...options.assignments];
  const service = options.service ?? (args[0] !== undefined && !args[0].includes('=') ? args.shift() : undefined);
  if (!service) throw new UsageError('name the service first: scalectl set <service> <path>=<value> …, e.g. scalectl set web autoscale.max=30');
  if (args.length === 0) throw new UsageError(`nothing to set for "${service}": add <path>=<value>, e.g. scalectl set ${service} autoscale.max=30`);
  const assignments = args.map(parseAssignment);

  const file = resolveConfigFile(ctx.globals.file, ctx.io.cwd);
  const shown = displayPath(file, ctx.io.cwd);
  const original = readFileSync(file, 'utf8');
  const environment = ctx.globals.environment;
  const parsed = parseDocument(original);
  const keysOf = (node: unknown) => (isMap(node) ? node.items.map((p) => String((p.key as { value: unknown }).value)) : []);
  if (environment !== undefined && !keysOf(parsed.get('environments')).includes(environment)) {
    // The loader's message: it lists the environments the file defines.
    parseConfig(original, file, ctx.io.env, ctx.io.cwd, { environment });
  }
  // With --env the override changes (created if needed); a service may exist only in it.
  const prefix: Segment[] = environment === undefined ? ['services', service] : ['environments', environment, 'services', service];
  const names = [...new Set([...keysOf(parsed.get('services')), ...(environment === undefined ? [] : keysOf(parsed.getIn(['environments', environment, 'services'])))])];
  if (!names.includes(service)) {
    throw new UsageError(`no service "${service}" in ${shown} (${suggestion(service, names)}); add new services with scalectl init`);
  }

  let text = original;
  const diffs: string[] = [];
  const changes: { path: string; before: unknown; after: unknown }[] = [];
  for (const assignment of assignments) {
    const full: Segment[] = [...prefix, ...assignment.path];
    const written = valueAt(text, full);
    const before = written === undefined && environment !== undefined ? valueAt(text, ['services', service, ...assignment.path]) : written;
    const next = editYaml(text, full, assignment.value);
    if (next !== text) diffs.push(...lineDiff(text, next, shown));
    changes.push({ path: `${service}.${formatPath(assignment.path)}`, before, after: assignment.value });
    text = next;
  }

  // A safety net under the text surgery: every value must read back as assigned.
  for (const [index, assignment] of assignments.entries()) {
    const full: Segment[] = [...prefix, ...assignment.path];
    if (assignments.slice(index + 1).some((later) => formatPath(later.path).startsWith(formatPath(assignment.path)))) continue;
    if (JSON.stringify(valueAt(text, full)) !== JSON.stringify(assignment.value)) {
      throw new Error(`editing ${formatPath(full)} did not give the value asked for; ${shown} was not changed`);
    }
  }
  try {
    // The base and every environment: a change to the base reaches them all.
    announceEnvironment(parseConfig(text, file, ctx.io.env, ctx.io.cwd, { environment, every: true }), ctx);
  } catch (error) {
    if (!ConfigError.is(error) || error.name !== 'ConfigError') throw error;
    for (const d of (error as ConfigError).diagnostics) ctx.io.stderr.write(`${formatDiagnostic(locateInOriginal(d, assignments, service, original))}\n`);
    ctx.io.stderr.write(`${shown} was not changed: the new value${assignments.length > 1 ? 's' : ''} would make it invalid (see above).\n`);
    return EXIT.error;
  }

  if (ctx.globals.json) ctx.json({ file, ...(environment === undefined ? {} : { environment }), written: !options.dryRun && text !== original, changes });
  else if (options.dryRun) for (const line of diffs) ctx.out(line);
  if (text === original) {
    ctx.info(`${shown} already says that; nothing to change.`);
    return EXIT.ok;
  }
  if (!options.dryRun) writeFileAtomic(file, text);
  for (const change of changes) {
    const after = change.after === undefined ? '(removed)' : formatValue(change.after);
    ctx.info(`${environment === undefined ? '' : `${environment}: `}${change.path}: ${formatValue(change.before)} → ${after}`);
  }
  ctx.info(options.dryRun ? `Dry run: ${shown} was not written.` : `Updated ${shown}. Next: scalectl plan`);
  return EXIT.ok;
}

// The edited text was never written: a problem with an assigned path is shown at the key of the
// deepest part of that path the file on disk has (the service, say), not at a line that exists
// only in the edit.
function locateInOriginal(d: Diagnostic, assignments: Assignment[], service: string, original: string): Diagnostic {
  const path = d.path;
  const assignment = assignments.find((a) => {
    const dotted = `services.${service}.${formatPath(a.path)}`;
    return path !== undefined && (path === dotted || path.startsWith(`${dotted}.`) || path.startsWith(`${dotted}[`) || dotted.startsWith(`${path}.`));
  });
  if (!assignment) return d;
  const lines = new LineCounter();
  let node: unknown = parseDocument(original, { lineCounter: lines }).contents;
  let keyOffset: number | undefined;
  for (const segment of ['services', service, ...assignment.path]) {
    if (typeof segment !== 'string' || !isMap(node)) break;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
    if (!pair || !isScalar(pair.key) || !pair.key.range) break;
    keyOffset = pair.key.range[0];
    node = pair.value;
  }
  if (keyOffset === undefined) return d;
  const { line, col } = lines.linePos(keyOffset);
  return { ...d, line, col };
}

function valueAt(text: string, path: Segment[]): unknown {
  let node: unknown = parse(text);
  let listKey: string | undefined;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    if (typeof segment === 'string') {
      node = (node as Record<string, unknown>)[segment];
      listKey = segment;
    } else if (Array.isArray(node)) {
      const field = listKey === 'metrics' ? 'type' : 'name';
      node = typeof segment.select === 'number' ? node[segment.select] : node.find((item) => (item as Record<string, unknown>)?.[field] === segment.select);
    } else return undefined;
  }
  return node;
}
