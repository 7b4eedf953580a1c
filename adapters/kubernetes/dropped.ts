// Fields the API server accepted but did not keep: unknown to its schema (an older API or CRD
// version prunes them, with only a Warning header) or behind a feature gate that is off (dropped
// silently whatever fieldValidation says). Found by reading back what a write stored, and
// remembered on the object itself (DROPPED_ANNOTATION) so that later plans count what scalectl
// wrote instead of asking for the same change forever.
import { isCredential } from './trigger-auth.js';
import { sameValue } from '../../src/plan/fields.js';

type Obj = Record<string, any>;

/** What scalectl wrote for the fields the server dropped: {"<API path>": value} (JSON). */
export const DROPPED_ANNOTATION = 'scalectl.dev/dropped';

// Fields known to sit behind a feature gate, and what that means for the user.
const GATED: Array<{ path: RegExp; why: string }> = [
  {
    path: /^spec\.behavior\.scale(Up|Down)\.tolerance$/,
    why: 'the HPAConfigurableTolerance feature gate is off (alpha in Kubernetes 1.33): the cluster-wide tolerance (0.1) applies',
  },
  {
    path: /^spec\.advanced\.horizontalPodAutoscalerConfig\.behavior\.scale(Up|Down)\.tolerance$/,
    why: "this KEDA's ScaledObject schema has no behavior tolerance (KEDA built on the Kubernetes API before 1.33): the cluster-wide tolerance (0.1) applies",
  },
];
const UNKNOWN = 'the server does not know the field (an older API or CRD version): upgrade it to use this setting';

function leaves(value: unknown, path: string[], out: string[]): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value as Obj)) leaves(child, [...path, key], out);
  } else if (value !== undefined && value !== null) out.push(path.join('.'));
}

function valueAt(obj: Obj, path: string): unknown {
  let at: any = obj;
  for (const key of path.split('.')) {
    if (!at || typeof at !== 'object' || !(key in at)) return undefined;
    at = at[key];
  }
  return at ?? undefined;
}

function has(obj: Obj, path: string): boolean {
  return valueAt(obj, path) !== undefined;
}

function setAt(obj: Obj, path: string, value: unknown): void {
  const keys = path.split('.');
  let at: Obj = obj;
  for (const key of keys.slice(0, -1)) {
    if (!at[key] || typeof at[key] !== 'object' || Array.isArray(at[key])) at[key] = {};
    at = at[key];
  }
  at[keys[keys.length - 1]] = value;
}

// The spec fields `sent` sets that `stored` (the server's answer) no longer has.
export function droppedFields(sent: Obj, stored: Obj): string[] {
  const paths: string[] = [];
  leaves(sent.spec, ['spec'], paths);
  return paths.filter((path) => !has(stored, path));
}

// Why the server dropped these paths: the gate when known, else an old API/CRD.
function reasonsOf(paths: string[]): string {
  return [...new Set(paths.map((path) => GATED.find((g) => g.path.test(path))?.why ?? UNKNOWN))].join('; ');
}

// One line naming what the server dropped from `label` and why (the gate, or an old API/CRD).
export function droppedLine(label: string, dropped: string[]): string | undefined {
  if (!dropped.length) return undefined;
  return `${label}: the API server dropped ${dropped.join(', ')} — ${reasonsOf(dropped)}`;
}

// True when a value (or anything in it) is a credential: such a value is never remembered in an
// annotation. A ScaledObject's credentials left for a Secret before it is written, so none
// should reach here; this keeps it so whatever a future field carries.
export function carriesCredential(key: string, value: unknown): boolean {
  if (typeof value === 'string') return isCredential(key, value);
  if (Array.isArray(value)) return value.some((item) => carriesCredential(key, item));
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => carriesCredential(k, v));
  return false;
}

// What `sent` wrote at each dropped path, leaving out any value carrying a credential.
export function rememberedOf(sent: Obj, dropped: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of [...dropped].sort()) {
    const value = valueAt(sent, path);
    if (value !== undefined && !carriesCredential(path.split('.').pop()!, value)) out[path] = value;
  }
  return out;
}

// The remembered map an object carries ({} when none, or not JSON scalectl wrote).
export function rememberedOn(obj: Obj | undefined): Record<string, unknown> {
  try {
    const parsed = JSON.parse(obj?.metadata?.annotations?.[DROPPED_ANNOTATION] ?? '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

// The annotation value for a remembered map (undefined when empty).
export function rememberedText(remembered: Record<string, unknown>): string | undefined {
  const keys = Object.keys(remembered).sort();
  return keys.length ? JSON.stringify(Object.fromEntries(keys.map((k) => [k, remembered[k]]))) : undefined;
}

// True when the object's annotation already says `remembered`.
export function remembers(obj: Obj, remembered: Record<string, unknown>): boolean {
  return sameValue(rememberedOn(obj), remembered);
}

// A copy of a live object with each remembered value put back where the server did not keep it
// (a value the server keeps wins), and the paths put back.
export function withRemembered(obj: Obj): { obj: Obj; restored: Array<[string, unknown]> } {
  const remembered = Object.entries(rememberedOn(obj)).filter(([path]) => path.startsWith('spec.') && !has(obj, path));
  if (!remembered.length) return { obj, restored: [] };
  const copy = structuredClone(obj);
  for (const [path, value] of remembered) setAt(copy, path, value);
  return { obj: copy, restored: remembered };
}

// The warning observe gives once per object for the values it put back.
export function rememberedLine(label: string, restored: Array<[string, unknown]>): string | undefined {
  if (!restored.length) return undefined;
  const fields = restored.map(([path, value]) => `${path} (wrote ${JSON.stringify(value)})`).join(', ');
  return `${label}: the API server does not keep ${fields} — ${reasonsOf(restored.map(([path]) => path))}. scalectl counts what it wrote (annotation ${DROPPED_ANNOTATION}), so plans show no change for it (once the server keeps it, remove that annotation and apply to write it)`;
}
