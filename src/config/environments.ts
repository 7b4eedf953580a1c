// The `environments:` block of scaling.yaml: finds it, checks its shape, builds each
// environment's merged document, and attributes the merged document's problems to the override
// that causes them (at its line, naming the environment).
import { isMap, isScalar, Pair, YAMLMap, type Document, type LineCounter, type Node } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { mergeNodes } from './merge.js';
import { NAME_HINT, NAME_PATTERN } from './schema.js';
import { suggestion } from './suggest.js';

// What an environment may override.
export const ENVIRONMENT_KEYS = ['providers', 'defaults', 'services'] as const;

export interface Environment {
  name: string;
  /** The environment's name key in the file. */
  key: Node;
  /** Its mapping (only the keys it may override), or null when it overrides nothing. */
  value: YAMLMap | null;
}

export interface EnvironmentBlock {
  /** The document without `environments:`: the base. */
  base: Node | null;
  environments: Environment[];
  diagnostics: Diagnostic[];
}

// Splits the document into the base and its environments, checking the block's shape.
export function splitEnvironments(file: string, doc: Document, lines: LineCounter): EnvironmentBlock {
  const root = doc.contents as Node | null;
  const diagnostics: Diagnostic[] = [];
  const at = (node: Node | null | undefined, message: string, hint?: string, path?: string) => {
    const { line, col } = lines.linePos(node?.range?.[0] ?? 0);
    diagnostics.push({ file, line, col, severity: 'error', message, hint, path });
  };
  const pair = isMap(root) ? root.items.find((p) => isScalar(p.key) && p.key.value === 'environments') : undefined;
  if (!pair || !isMap(root)) return { base: root, environments: [], diagnostics };
  const base = new YAMLMap();
  base.range = root.range;
  base.items = root.items.filter((p) => p !== pair);
  const block = pair.value as Node | null;
  const environments: Environment[] = [];
  if (block === null || (isScalar(block) && block.value === null)) return { base, environments, diagnostics };
  if (!isMap(block)) {
    at(block, 'environments must be a mapping of environment names', 'e.g. environments: { staging: { services: { web: { autoscale: { max: 4 } } } } }', 'environments');
    return { base, environments, diagnostics };
  }
  for (const entry of block.items) {
    const key = entry.key as Node;
    const name = isScalar(key) ? String(key.value) : '';
    if (!new RegExp(NAME_PATTERN).test(name)) {
      at(key, `"${name}" is not a valid environment name`, `use ${NAME_HINT}`, 'environments');
      continue;
    }
    const value = entry.value as Node | null;
    if (value === null || (isScalar(value) && value.value === null)) {
      environments.push({ name, key, value: null });
      continue;
    }
    if (!isMap(value)) {
      at(value, `environments.${name} must be a mapping of overrides`, `it may override ${ENVIRONMENT_KEYS.join(', ')}`, `environments.${name}`);
      continue;
    }
    const kept = new YAMLMap();
    kept.range = value.range;
    for (const override of value.items) {
      const overrideKey = override.key as Node;
      const word = isScalar(overrideKey) ? String(overrideKey.value) : '';
      if ((ENVIRONMENT_KEYS as readonly string[]).includes(word)) kept.items.push(override as Pair);
      else at(overrideKey, `unknown key "${word}" in environments.${name}`, `${suggestion(word, ENVIRONMENT_KEYS)} (an environment overrides ${ENVIRONMENT_KEYS.join(', ')})`, `environments.${name}.${word}`);
    }
    environments.push({ name, key, value: kept });
  }
  return { base, environments, diagnostics };
}

export interface MergedEnvironment {
  root: Node | null;
  /** Where each override is written (path → line/col). */
  overrides: Map<string, { line: number; col: number }>;
}

// The base with one environment's overrides applied; nodes keep their positions.
export function mergeEnvironment(doc: Document, lines: LineCounter, base: Node | null, environment: Environment): MergedEnvironment {
  if (environment.value === null) return { root: base, overrides: new Map() };
  const merged = mergeNodes(doc, base, environment.value, '');
  const overrides = new Map<string, { line: number; col: number }>();
  for (const [path, offset] of merged.overrides) overrides.set(path, lines.linePos(offset));
  // The root keeps the base's place: "missing version" belongs to the base.
  const root = merged.node ?? null;
  if (root && base) root.range = base.range;
  return { root, overrides };
}

const key = (d: Diagnostic) => `${d.line}:${d.col}:${d.message}`;

// An environment's problems, minus those the base already has, each at the override that causes
// it: a problem found at a base line (min above an overridden max) moves to the nearest override.
export function attribute(
  environment: Environment,
  lines: LineCounter,
  found: Diagnostic[],
  baseFound: Diagnostic[],
  overrides: Map<string, { line: number; col: number }>,
): Diagnostic[] {
  const known = new Set(baseFound.map(key));
  const start = lines.linePos(environment.key.range?.[0] ?? 0);
  const end = lines.linePos(environment.value?.range?.[1] ?? environment.key.range?.[1] ?? 0);
  const inside = (d: Diagnostic) => (d.line > start.line || (d.line === start.line && d.col >= start.col)) && (d.line < end.line || (d.line === end.line && d.col <= end.col));
  const out: Diagnostic[] = [];
  for (const d of found) {
    if (known.has(key(d))) continue;
    let moved = d;
    if (!inside(d)) {
      const cause = nearestOverride(d.path ?? '', overrides);
      const baseLine = `the base value is at line ${d.line}`;
      moved = cause
        ? { ...d, ...cause.place, hint: d.hint ? `${d.hint}; ${baseLine}` : baseLine }
        : { ...d, line: start.line, col: start.col, hint: d.hint ? `${d.hint}; ${baseLine}` : baseLine };
    }
    out.push({ ...moved, message: `environment "${environment.name}": ${moved.message}`, environment: environment.name });
  }
  return out;
}

// The override under the closest ancestor of `path` (itself first).
function nearestOverride(path: string, overrides: Map<string, { line: number; col: number }>): { path: string; place: { line: number; col: number } } | undefined {
  // Up to a service (services.web) or a top-level key; "services" alone would match any override.
  const floor = path.startsWith('services.') ? 2 : 1;
  let current = path;
  while (current && current.split(/[.[]/).length >= floor) {
    for (const [written, place] of overrides) {
      if (written === current || written.startsWith(`${current}.`) || written.startsWith(`${current}[`)) return { path: written, place };
    }
    const cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
    current = cut > 0 ? current.slice(0, cut) : '';
  }
  return undefined;
}
