// What the API server does with the fields of a write beyond validation: drops the ones it does
// not know (or that a disabled feature gate hides), and records who manages which field.
//
// Upstream behaviour modelled here:
// - fieldValidation (CreateOptions/PatchOptions/UpdateOptions, GA in 1.27): "Ignore" drops unknown
//   fields silently, "Warn" (the server's default) drops them with a `Warning` header, "Strict"
//   fails the request with 400 `strict decoding error: unknown field "<path>"`. Custom resources
//   are pruned to their structural schema the same way.
// - Feature-gated fields are dropped whatever fieldValidation says (the registry strategies'
//   dropDisabledFields), e.g. HPA behavior.*.tolerance without HPAConfigurableTolerance
//   (kubernetes/kubernetes pkg/api/autoscaling dropDisabledFields, alpha in 1.33).
// - managedFields: each write records its manager (the `fieldManager` query parameter, else the
//   user agent up to the first "/") and the fields it set; a later write of another manager takes
//   the fields it changes. A write through /scale owns `spec.replicas` of the parent object
//   (kubernetes/kubernetes#98377, 1.21), and server-side apply answers 409 when it would change a
//   field another manager owns, unless `force=true`.
import { ApiFailure } from './api.js';
import type { Obj } from './resources.js';

type KeyTree = { [key: string]: KeyTree | true };

// The keys the server knows below `spec`, per kind, where the double checks them (the Go types
// of autoscaling/v2 and KEDA's ScaledObject CRD v2.17); deeper or unlisted objects are free.
// A CRD's structural schema prunes unknown fields the same way.
const RULES: KeyTree = { stabilizationWindowSeconds: true, selectPolicy: true, policies: true, tolerance: true };
// KEDA 2.17 embeds the HPA behavior of the Kubernetes 1.32 API: no `tolerance`, so its CRD
// schema prunes it.
const KEDA_RULES: KeyTree = { stabilizationWindowSeconds: true, selectPolicy: true, policies: true };
const KNOWN: Record<string, KeyTree> = {
  HorizontalPodAutoscaler: { scaleTargetRef: true, minReplicas: true, maxReplicas: true, metrics: true, behavior: { scaleUp: RULES, scaleDown: RULES } },
  ScaledObject: {
    scaleTargetRef: true, pollingInterval: true, initialCooldownPeriod: true, cooldownPeriod: true, idleReplicaCount: true,
    minReplicaCount: true, maxReplicaCount: true, triggers: true, fallback: true,
    advanced: {
      restoreToOriginalReplicaCount: true, scalingModifiers: true,
      horizontalPodAutoscalerConfig: { name: true, behavior: { scaleUp: KEDA_RULES, scaleDown: KEDA_RULES } },
    },
  },
};

// Fields behind a feature gate: dropped while the gate is off.
export const GATED: Array<{ gate: string; kind: string; paths: string[][] }> = [
  { gate: 'HPAConfigurableTolerance', kind: 'HorizontalPodAutoscaler', paths: [['spec', 'behavior', 'scaleUp', 'tolerance'], ['spec', 'behavior', 'scaleDown', 'tolerance']] },
];

function unknownPaths(value: unknown, tree: KeyTree, path: string[], out: string[][]): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value as Obj)) {
    const known = tree[key];
    if (known === undefined) out.push([...path, key]);
    else if (known !== true) unknownPaths(child, known, [...path, key], out);
  }
}

function removePath(obj: Obj, path: string[]): boolean {
  let at: any = obj;
  for (const key of path.slice(0, -1)) {
    if (!at || typeof at !== 'object') return false;
    at = at[key];
  }
  if (!at || typeof at !== 'object' || !(path[path.length - 1] in at)) return false;
  delete at[path[path.length - 1]];
  return true;
}

function present(obj: Obj, path: string[]): boolean {
  let at: any = obj;
  for (const key of path) {
    if (!at || typeof at !== 'object' || !(key in at)) return false;
    at = at[key];
  }
  return true;
}

// Drops unknown and gate-disabled fields from a body about to be stored; returns the warnings a
// "Warn" request gets. Strict: unknown fields are a 400 (gated ones are dropped all the same).
// `older` lists, per kind, the dot paths an older API or CRD version installed on this server
// does not know (e.g. ScaledObject `spec.fallback` before KEDA 2.1): pruned like any unknown field.
export function dropFields(kind: string, body: Obj, fieldValidation: string | null, gates: Record<string, boolean>, older: Record<string, string[]> = {}): string[] {
  for (const gated of GATED) {
    if (gated.kind !== kind || gates[gated.gate] !== false) continue;
    for (const path of gated.paths) removePath(body, path);
  }
  const tree = KNOWN[kind];
  if (!tree) return [];
  const unknown: string[][] = [];
  unknownPaths(body.spec, tree, ['spec'], unknown);
  for (const path of older[kind] ?? []) if (present(body, path.split('.'))) unknown.push(path.split('.'));
  if (!unknown.length) return [];
  const names = unknown.map((p) => p.join('.'));
  if (fieldValidation === 'Strict') {
    throw new ApiFailure(400, 'BadRequest', `strict decoding error: ${names.map((n) => `unknown field "${n}"`).join(', ')}`);
  }
  for (const path of unknown) removePath(body, path);
  return fieldValidation === 'Ignore' ? [] : names.map((n) => `unknown field "${n}"`);
}

// FieldsV1 leaves ("f:spec" → "f:replicas") of the values set in `obj`; lists are atomic.
function leaves(value: unknown, path: string[], out: string[][]): void {
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
    for (const [key, child] of Object.entries(value as Obj)) leaves(child, [...path, key], out);
  } else out.push(path);
}

// The fields a write set: metadata labels/annotations and spec leaves (status is the controller's).
function managedLeaves(obj: Obj): string[][] {
  const out: string[][] = [];
  leaves(obj.spec, ['spec'], out);
  for (const key of ['labels', 'annotations']) if (obj.metadata?.[key]) leaves(obj.metadata[key], ['metadata', key], out);
  return out.filter((p) => p.length > 1);
}

function get(obj: Obj | undefined, path: string[]): unknown {
  let at: any = obj;
  for (const key of path) at = at && typeof at === 'object' ? at[key] : undefined;
  return at;
}

function toFieldsV1(paths: string[][]): Obj {
  const root: Obj = {};
  for (const path of paths) {
    let at = root;
    for (const key of path) at = at[`f:${key}`] ??= {};
  }
  return root;
}

// The paths of a fieldsV1 tree (the inverse of toFieldsV1).
export function fromFieldsV1(tree: Obj, path: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [key, child] of Object.entries(tree ?? {})) {
    if (!key.startsWith('f:')) continue;
    const next = [...path, key.slice(2)];
    if (child && Object.keys(child).length) out.push(...fromFieldsV1(child, next));
    else out.push(next);
  }
  return out;
}

// The manager a request names: ?fieldManager=, else the user agent's first word (what the
// API server does when none is given — which is how writes show up as "node-fetch").
export function managerOf(query: URLSearchParams, userAgent: string | undefined): string {
  return query.get('fieldManager') || (userAgent ?? 'unknown').split('/')[0].trim() || 'unknown';
}

export interface Write {
  manager: string;
  operation: 'Update' | 'Apply';
  /** 'scale' for a write through /scale (owns spec.replicas only). */
  subresource?: string;
  /** For Apply: the fields the applied configuration names. For Update: computed from the change. */
  applied?: Obj;
  force?: boolean;
  apiVersion: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const key = (path: string[]) => path.join('\u0000');

// Updates next.metadata.managedFields for one write (conflicts for Apply without force → 409).
export function trackManagers(previous: Obj | undefined, next: Obj, write: Write): void {
  const entries: Obj[] = structuredClone(previous?.metadata?.managedFields ?? []);
  let taken: string[][];
  if (write.operation === 'Apply') {
    taken = managedLeaves(write.applied ?? {});
    const conflicts: string[] = [];
    for (const entry of entries) {
      if (entry.manager === write.manager) continue;
      const theirs = new Set(fromFieldsV1(entry.fieldsV1).map(key));
      for (const path of taken) {
        if (theirs.has(key(path)) && !same(get(previous, path), get(write.applied, path))) conflicts.push(`conflict with "${entry.manager}"${entry.subresource ? ` with subresource "${entry.subresource}"` : ''} using ${entry.apiVersion}: .${path.join('.')}`);
      }
    }
    if (conflicts.length && !write.force) {
      throw new ApiFailure(409, 'Conflict', `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: ${conflicts.join('\n')}`);
    }
  } else if (write.subresource === 'scale') {
    taken = [['spec', 'replicas']];
  } else {
    taken = managedLeaves(next).filter((path) => !previous || !same(get(previous, path), get(next, path)));
  }
  const takenKeys = new Set(taken.map(key));
  const kept: Obj[] = [];
  for (const entry of entries) {
    const mine = entry.manager === write.manager && entry.operation === write.operation && (entry.subresource ?? '') === (write.subresource ?? '');
    const paths = fromFieldsV1(entry.fieldsV1).filter((p) => !takenKeys.has(key(p)) && (!mine || write.operation !== 'Apply'));
    if (mine) {
      taken = [...paths, ...taken];
      continue;
    }
    if (paths.length) kept.push({ ...entry, fieldsV1: toFieldsV1(paths) });
  }
  if (taken.length) {
    kept.push({
      manager: write.manager, operation: write.operation, apiVersion: write.apiVersion, time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(taken), ...(write.subresource ? { subresource: write.subresource } : {}),
    });
  }
  next.metadata.managedFields = kept;
}
