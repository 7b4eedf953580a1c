// Flattens a ServiceSpec into the planner's field vocabulary ("autoscale.metrics[cpu].utilization")
// and matches fields against adapter capability patterns.
import type { Capabilities, FieldSupport } from '../../adapters/contract.js';
import type { ServiceSpec } from '../config/model.js';

// Arrays of objects that are compared item by item, keyed by one of their fields.
const KEYED_ARRAYS: Record<string, string> = {
  'autoscale.metrics': 'type',
  'autoscale.schedules': 'name',
};

// Objects compared as one value: splitting them would make a diff harder to read, not easier.
const LEAF_OBJECTS = new Set(['source', 'recurring', 'dates', 'pause']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Flat map of field path → leaf value, in the spec's key order.
export function flattenSpec(spec: ServiceSpec): Map<string, unknown> {
  const out = new Map<string, unknown>();
  walk(spec as Record<string, unknown>, '', out);
  return out;
}

function walk(value: unknown, path: string, out: Map<string, unknown>): void {
  const lastKey = path.slice(path.lastIndexOf('.') + 1);
  if (isPlainObject(value) && !LEAF_OBJECTS.has(lastKey)) {
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined) continue;
      walk(child, path ? `${path}.${key}` : key, out);
    }
    return;
  }
  const keyField = KEYED_ARRAYS[path];
  if (keyField && Array.isArray(value)) {
    const seen = new Map<string, number>();
    for (const item of value) {
      const base = String((item as Record<string, unknown>)[keyField]);
      const count = (seen.get(base) ?? 0) + 1;
      seen.set(base, count);
      const key = count === 1 ? base : `${base}#${count}`;
      const { [keyField]: _identity, ...rest } = item as Record<string, unknown>;
      const itemPath = `${path}[${key}]`;
      // An item with nothing but its key still exists: record it so adding/removing shows.
      if (Object.keys(rest).length === 0) out.set(itemPath, {});
      else walk(rest, itemPath, out);
    }
    return;
  }
  out.set(path, value);
}

// The top-level item of a field that a capability pattern names: strips "#2" duplicates.
function normalisePattern(field: string): string {
  return field.replace(/#\d+\]/g, ']');
}

// The support an adapter declares for one field (longest matching pattern wins).
export function supportOf(capabilities: Capabilities, field: string): FieldSupport {
  const normal = normalisePattern(field);
  let best: { pattern: string; support: FieldSupport } | undefined;
  for (const [pattern, support] of Object.entries(capabilities.fields)) {
    const matches =
      normal === pattern || normal.startsWith(`${pattern}.`) || normal.startsWith(`${pattern}[`);
    if (matches && (!best || pattern.length > best.pattern.length)) best = { pattern, support };
  }
  return best?.support ?? capabilities.fallback ?? { support: 'unsupported' };
}

// Deep equality for plain JSON values.
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
