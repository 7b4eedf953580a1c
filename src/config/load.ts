// Finds, reads and validates scaling.yaml into the typed model, or throws one ConfigError
// listing every problem at file:line:col.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { CST, Lexer, LineCounter, parseDocument } from 'yaml';
import { ConfigError, UsageError, formatDiagnostic, type Diagnostic } from '../errors.js';
import { DEFAULT_PROVIDER, type ProviderConfig, type ScalingConfig, type ServiceConfig, type ServiceSpec } from './model.js';
import { attribute, mergeEnvironment, splitEnvironments } from './environments.js';
import { checkRules } from './rules.js';
import { scalingSchema } from './schema.js';
import { closest } from './suggest.js';
import { MAX_DEPTH, MAX_NODES, validateTree, type Place } from './validate-tree.js';

export const CONFIG_NAMES = ['scaling.yaml', 'scaling.yml'];

// The nearest scaling.yaml walking up from `cwd`, or undefined.
export function findConfigFile(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

// The file -f names, or the nearest one; a clear error when there is none.
export function resolveConfigFile(file: string | undefined, cwd: string): string {
  if (file !== undefined) {
    const path = resolve(cwd, file);
    if (!existsSync(path)) {
      throw new ConfigError([{ file, line: 0, col: 0, severity: 'error', message: `no such file: ${file}`, hint: 'check the -f/--file path' }]);
    }
    if (statSync(path).isDirectory()) {
      const inside = CONFIG_NAMES.map((n) => join(path, n)).find((p) => existsSync(p));
      if (inside) return inside;
      throw new ConfigError([{ file, line: 0, col: 0, severity: 'error', message: `${file} is a folder without scaling.yaml`, hint: 'pass the file itself, or run scalectl init there' }]);
    }
    return path;
  }
  const found = findConfigFile(cwd);
  if (!found) {
    throw new ConfigError([
      { file: 'scaling.yaml', line: 0, col: 0, severity: 'error', message: `no scaling.yaml in ${cwd} or any folder above it`, hint: 'run "scalectl init" to write one, or pass -f path/to/scaling.yaml' },
    ]);
  }
  return found;
}

export interface LoadOptions {
  file?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The environment to load; undefined = SCALECTL_ENV from `env`, else the base. */
  environment?: string;
}

// Loads and validates scaling.yaml (see parseConfig for the rules).
export async function loadConfig(options: LoadOptions): Promise<ScalingConfig> {
  const path = resolveConfigFile(options.file, options.cwd);
  const text = readFileSync(path, 'utf8');
  return parseConfig(text, path, options.env, options.cwd, { environment: options.environment });
}

export interface ParseOptions {
  /** The environment to build; undefined = SCALECTL_ENV from `env`, else the base. */
  environment?: string;
  /** Check every environment, not only the selected one (validate, set). */
  every?: boolean;
}

// The environment a command asked for: the option, else SCALECTL_ENV, else the base.
export function selectedEnvironment(explicit: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return explicit || env.SCALECTL_ENV || undefined;
}

// Parses scaling.yaml text. `path` is absolute; messages show it relative to `cwd`.
export function parseConfig(text: string, path: string, env: NodeJS.ProcessEnv, cwd = dirname(path), options: ParseOptions = {}): ScalingConfig {
  const environment = selectedEnvironment(options.environment, env);
  return parseVariants(text, path, env, cwd, { environment, every: options.every }).get(environment ?? BASE)!;
}

// The base and each environment of scaling.yaml text, all checked (throws one ConfigError).
export function parseEveryEnvironment(text: string, path: string, env: NodeJS.ProcessEnv, cwd = dirname(path)): ScalingConfig[] {
  return [...parseVariants(text, path, env, cwd, { every: true }).values()];
}

const BASE = '';

function parseVariants(text: string, path: string, env: NodeJS.ProcessEnv, cwd: string, options: ParseOptions): Map<string, ScalingConfig> {
  const shown = displayPath(path, cwd);
  const lines = new LineCounter();
  const tooBig = prescan(text, shown);
  if (tooBig) throw new ConfigError([tooBig]);
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
  } catch (error) {
    // The prescan bounds nesting; this is the last line of defence against the parser's recursion.
    if (!(error instanceof RangeError)) throw error;
    throw new ConfigError([{ file: shown, line: 1, col: 1, severity: 'error', message: `the file nests too deeply to read (more than ${MAX_DEPTH} levels)`, hint: 'flatten it: scaling.yaml never needs that depth' }]);
  }
  const diagnostics: Diagnostic[] = [];
  const sourceLines = text.split('\n');
  for (const problem of [...doc.errors, ...doc.warnings]) {
    const pos = problem.linePos?.[0] ?? lines.linePos(problem.pos[0]);
    const duplicate = problem.code === 'DUPLICATE_KEY';
    const key = duplicate ? /^\s*([^:#{}[\],]+?)\s*:/.exec(sourceLines[pos.line - 1]?.slice(pos.col - 1) ?? '')?.[1] : undefined;
    const multiple = problem.code === 'MULTIPLE_DOCS';
    const message = duplicate
      ? `duplicate key${key ? ` "${key}"` : ''}: a key may appear only once in a mapping`
      : multiple
        ? 'a second YAML document starts here: scaling.yaml is one document'
        : firstLine(problem.message);
    const hint = duplicate ? 'remove or merge the repeated key' : multiple ? 'remove this "---" line and merge the documents, or split them into two files (-f picks one)' : undefined;
    diagnostics.push({ file: shown, line: pos.line, col: pos.col, severity: problem.name === 'YAMLWarning' ? 'warning' : 'error', message, hint });
  }
  const syntaxErrors = diagnostics.filter((d) => d.severity === 'error');
  if (syntaxErrors.length > 0 && syntaxErrors[0].hint === undefined) {
    // One YAML syntax error cascades into many; the first is the one to fix. An unquoted ${…}
    // inside { … } is the commonest cause: its braces end the flow mapping.
    const first = syntaxErrors[0];
    if (/\{[^}\n]*\$\{/.test(sourceLines[first.line - 1] ?? '')) first.hint = 'quote ${…} inside a { … } mapping: max: "${MAX:-10}"';
    if (syntaxErrors.length > 3) {
      diagnostics.splice(0, diagnostics.length, ...syntaxErrors.slice(0, 3));
      diagnostics[2].hint = `${diagnostics[2].hint ? `${diagnostics[2].hint}; ` : ''}${syntaxErrors.length - 3} more syntax errors follow from these: fix the first and validate again`;
    }
  }
  if (diagnostics.some((d) => d.severity === 'error')) throw new ConfigError(diagnostics);
  if (doc.contents === null) {
    throw new ConfigError([{ file: shown, line: 1, col: 1, severity: 'error', message: 'the file is empty', hint: 'start with "version: 1" and a services mapping, or run scalectl init' }]);
  }
  const block = splitEnvironments(shown, doc, lines);
  const names = block.environments.map((e) => e.name);
  const selected = options.environment === undefined ? undefined : block.environments.find((e) => e.name === options.environment);
  if (options.environment !== undefined && !selected && block.diagnostics.length === 0) throw unknownEnvironment(options.environment, names, shown);
  diagnostics.push(...block.diagnostics);
  const check = (root: unknown) => {
    const tree = validateTree(shown, doc, lines, scalingSchema, env, text, root);
    const found = [...tree.diagnostics];
    const value = (tree.value ?? {}) as Record<string, unknown>;
    if (!found.some((d) => d.severity === 'error')) found.push(...checkRules(shown, value, tree.places, [DEFAULT_PROVIDER.name]));
    return { value, places: tree.places, found };
  };
  const base = check(block.base);
  diagnostics.push(...base.found);
  const variants = new Map<string, { value: Record<string, unknown>; places: Map<string, Place>; found: Diagnostic[] }>([[BASE, base]]);
  for (const environment of options.every ? block.environments : selected ? [selected] : []) {
    const merged = mergeEnvironment(doc, lines, block.base, environment);
    const variant = check(merged.root);
    variant.found = attribute(environment, lines, variant.found, base.found, merged.overrides);
    diagnostics.push(...variant.found.filter((d) => d.environment !== undefined));
    variants.set(environment.name, variant);
  }
  if (diagnostics.some((d) => d.severity === 'error')) throw new ConfigError(sortDiagnostics(diagnostics));
  const configs = new Map<string, ScalingConfig>();
  for (const [name, variant] of variants) {
    const locations: Record<string, string> = Object.create(null) as Record<string, string>;
    const positions: Record<string, { line: number; col: number }> = Object.create(null) as Record<string, { line: number; col: number }>;
    for (const [key, place] of variant.places) {
      locations[key] = `${shown}:${place.line}`;
      positions[key] = place;
    }
    const warnings = sortDiagnostics([...block.diagnostics, ...variant.found]).map(formatDiagnostic);
    const config = buildModel(variant.value, path, text, { locations, positions }, warnings);
    configs.set(name, { ...config, environment: name === BASE ? undefined : name, environments: names });
  }
  return configs;
}

// An --env/SCALECTL_ENV naming no environment of the file: the error lists the known ones.
function unknownEnvironment(name: string, names: string[], shown: string): UsageError {
  if (names.length === 0) {
    return new UsageError(`${shown} has no environments, so there is no environment "${name}": add an environments: block, or drop --env (and unset SCALECTL_ENV)`);
  }
  const match = closest(name, names);
  return new UsageError(`unknown environment "${name}" in ${shown}${match ? ` (did you mean "${match}"?)` : ''}; environments: ${names.join(', ')}`);
}

function buildModel(
  value: Record<string, unknown>,
  path: string,
  text: string,
  where: Pick<ScalingConfig, 'locations' | 'positions'>,
  warnings: string[],
): ScalingConfig {
  const dir = dirname(path);
  // Keyed by the user's names: null-prototype, so a provider called constructor is just a name.
  const providers: Record<string, ProviderConfig> = Object.assign(Object.create(null) as Record<string, ProviderConfig>, { [DEFAULT_PROVIDER.name]: DEFAULT_PROVIDER });
  for (const [name, raw] of Object.entries((value.providers as Record<string, Record<string, unknown>>) ?? {})) {
    const { adapter, ...settings } = raw;
    providers[name] = { name, adapter: String(adapter), settings };
  }
  const defaults = { provider: (value.defaults as { provider?: string } | undefined)?.provider ?? DEFAULT_PROVIDER.name };
  const services: ServiceConfig[] = [];
  for (const [name, raw] of Object.entries((value.services as Record<string, Record<string, unknown>>) ?? {})) {
    const spec: ServiceSpec = {};
    for (const key of ['replicas', 'autoscale', 'traffic', 'resources', 'routing'] as const) {
      if (raw[key] !== undefined) (spec as Record<string, unknown>)[key] = raw[key];
    }
    const extensions: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [key, extension] of Object.entries(raw)) if (key.startsWith('x-')) extensions[key.slice(2)] = extension;
    services.push({
      name,
      provider: (raw.provider as string | undefined) ?? defaults.provider,
      target: (raw.target as string | undefined) ?? name,
      spec,
      source: typeof raw.source === 'string' ? (isAbsolute(raw.source) ? raw.source : resolve(dir, raw.source)) : undefined,
      readiness: raw.readiness as ServiceConfig['readiness'],
      extensions,
    });
  }
  return {
    version: 1,
    file: path,
    dir,
    hash: createHash('sha256').update(text).digest('hex'),
    providers,
    defaults,
    services,
    ...where,
    warnings,
  };
}

export const MAX_FILE_BYTES = 1024 * 1024;
// How deep a line may nest, counting its indentation and its "- ", "? " and ": " indicators.
const MAX_LINE_DEPTH = 4 * MAX_DEPTH;

// Limits checked on the tokens before the parser builds anything (fast, no recursion): file
// size, flow nesting, block nesting, and the number of values.
function prescan(text: string, file: string): Diagnostic | undefined {
  const at = (offset: number, message: string, hint: string): Diagnostic => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return { file, line, col: offset - before.lastIndexOf('\n'), severity: 'error', message, hint };
  };
  if (Buffer.byteLength(text) > MAX_FILE_BYTES) {
    return { file, line: 1, col: 1, severity: 'error', message: `the file is ${(Buffer.byteLength(text) / 1024 / 1024).toFixed(1)} MiB; scaling.yaml may be at most 1 MiB`, hint: 'scaling.yaml describes scaling, not data: move large lists elsewhere' };
  }
  let offset = 0;
  let flow = 0;
  let lineDepth = 0;
  let atLineStart = true;
  let values = 0;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    const here = offset;
    if (type !== 'doc-mode' && type !== 'scalar' && type !== 'flow-error-end') offset += token.length;
    switch (type) {
      case 'flow-map-start':
      case 'flow-seq-start':
        if (++flow > MAX_DEPTH) return at(here, `the file nests more than ${MAX_DEPTH} levels deep`, 'flatten it: scaling.yaml never needs that depth');
        break;
      case 'flow-map-end':
      case 'flow-seq-end':
        flow = Math.max(0, flow - 1);
        break;
      case 'newline':
        lineDepth = 0;
        atLineStart = true;
        continue;
      case 'space':
        if (atLineStart) lineDepth += token.length;
        break;
      case 'seq-item-ind':
      case 'explicit-key-ind':
      case 'map-value-ind':
        lineDepth += 1;
        if (lineDepth > MAX_LINE_DEPTH) return at(here, `the file nests more than ${MAX_DEPTH} levels deep`, 'flatten it: scaling.yaml never needs that depth');
        break;
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar-header':
        if (++values > 2 * MAX_NODES) return at(here, `the file holds more than ${2 * MAX_NODES} values`, 'scaling.yaml describes scaling, not data: shorten this list or mapping');
        break;
      default:
        break;
    }
    atLineStart = false;
  }
  return undefined;
}

function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => a.line - b.line || a.col - b.col);
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

// A path as the user should see it: relative to where they stand when that is shorter.
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
