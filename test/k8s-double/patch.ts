// The patch formats the API server accepts: JSON Patch (RFC 6902), JSON merge patch (RFC 7386),
// strategic merge patch (built-in kinds only) and a server-side apply approximation.
type Json = unknown;
type JsonObject = Record<string, unknown>;

// A patch the server cannot apply; the server answers 422 (or 400 for malformed input).
export class PatchError extends Error {
  constructor(message: string, readonly status: number = 422) {
    super(message);
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

// RFC 7386: objects merge, null deletes, everything else (arrays included) replaces.
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

// List merge keys of the built-in types we serve (patchMergeKey in the Go types).
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  volumes: 'name',
  imagePullSecrets: 'name',
  conditions: 'type',
};
// Lists merged by key only where their parent makes them unambiguous (service vs container ports).
function mergeKeyFor(key: string, parentKey: string | undefined): string | undefined {
  if (key === 'ports') return parentKey === 'spec' ? 'port' : 'containerPort';
  return MERGE_KEYS[key];
}

// Strategic merge patch: merge patch plus keyed list merging and the `$patch` directives.
export function strategicMergePatch(target: Json, patch: Json, parentKey?: string): Json {
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _directive, ...rest } = patch;
    return clone(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$setElementOrder/') || key.startsWith('$retainKeys') || key === '$patch') continue;
    if (value === null) {
      delete out[key];
      continue;
    }
    const mergeKey = mergeKeyFor(key, parentKey);
    if (mergeKey && Array.isArray(value)) {
      out[key] = mergeList(Array.isArray(out[key]) ? (out[key] as Json[]) : [], value, mergeKey, key);
      continue;
    }
    const merged = strategicMergePatch(out[key], value, key);
    if (merged === undefined) delete out[key];
    else out[key] = merged;
  }
  return out;
}

function mergeList(existing: Json[], patch: Json[], mergeKey: string, listKey: string): Json[] {
  const out = existing.map((item) => clone(item));
  for (const item of patch) {
    if (!isObject(item) || !(mergeKey in item)) {
      throw new PatchError(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey} (list ${listKey})`);
    }
    const index = out.findIndex((old) => isObject(old) && old[mergeKey] === item[mergeKey]);
    if (item.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1);
      continue;
    }
    if (index >= 0) out[index] = strategicMergePatch(out[index], item, listKey);
    else out.push(strategicMergePatch({}, item, listKey));
  }
  return out;
}

// RFC 6901 pointer → path segments.
function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer "${path}"`, 400);
  return path.slice(1).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, segments: string[]): { parent: JsonObject | Json[]; key: string } {
  let node = doc;
  for (const segment of segments.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isObject(node)) node = node[segment];
    else node = undefined;
    if (node === undefined) throw new PatchError(`doc is missing path: /${segments.join('/')}`);
  }
  if (!Array.isArray(node) && !isObject(node)) throw new PatchError(`doc is missing path: /${segments.join('/')}`);
  return { parent: node, key: segments[segments.length - 1] };
}

function getAt(doc: Json, segments: string[]): Json {
  let node = doc;
  for (const segment of segments) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isObject(node)) node = node[segment];
    else return undefined;
  }
  return node;
}

// RFC 6902: add, remove, replace, move, copy, test — applied in order, all or nothing.
export function jsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations)) throw new PatchError('json patch must be a list of operations', 400);
  let doc = clone(target);
  for (const op of operations as JsonObject[]) {
    const segments = pointer(String(op.path));
    if (op.op === 'test') {
      if (JSON.stringify(getAt(doc, segments)) !== JSON.stringify(op.value)) {
        throw new PatchError(`testing value ${String(op.path)} failed`);
      }
      continue;
    }
    if (op.op === 'move' || op.op === 'copy') {
      const from = pointer(String(op.from));
      const value = clone(getAt(doc, from));
      if (value === undefined) throw new PatchError(`doc is missing from path: ${String(op.from)}`);
      if (op.op === 'move') doc = remove(doc, from);
      doc = add(doc, segments, value);
      continue;
    }
    if (op.op === 'add') doc = add(doc, segments, clone(op.value));
    else if (op.op === 'remove') doc = remove(doc, segments);
    else if (op.op === 'replace') {
      if (getAt(doc, segments) === undefined) throw new PatchError(`replace operation does not apply: doc is missing key: ${String(op.path)}`);
      doc = segments.length === 0 ? clone(op.value) : add(remove(doc, segments), segments, clone(op.value));
    } else throw new PatchError(`Unexpected kind: ${String(op.op)}`, 400);
  }
  return doc;
}

function add(doc: Json, segments: string[], value: Json): Json {
  if (segments.length === 0) return value;
  const { parent, key } = parentOf(doc, segments);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new PatchError(`add operation does not apply: index ${key} out of bounds`);
    parent.splice(index, 0, value);
  } else parent[key] = value;
  return doc;
}

function remove(doc: Json, segments: string[]): Json {
  const { parent, key } = parentOf(doc, segments);
  if (Array.isArray(parent)) {
    const index = Number(key);
    if (!(index >= 0 && index < parent.length)) throw new PatchError(`remove operation does not apply: index ${key} out of bounds`);
    parent.splice(index, 1);
  } else {
    if (!(key in parent)) throw new PatchError(`remove operation does not apply: doc is missing path: /${segments.join('/')}`);
    delete parent[key];
  }
  return doc;
}

// Server-side apply, approximated: fields this manager applied before and no longer applies are
// removed, then the applied configuration is merged with strategic-merge list semantics.
// (Real SSA also tracks per-field ownership and conflicts between managers; the double does not.)
export function serverSideApply(target: Json, applied: JsonObject, previous: JsonObject | undefined): Json {
  const pruned = previous ? prune(clone(target), previous, applied) : clone(target);
  return strategicMergePatch(pruned, applied);
}

function prune(live: Json, previous: Json, applied: Json): Json {
  if (!isObject(live) || !isObject(previous)) return live;
  for (const key of Object.keys(previous)) {
    const next = isObject(applied) ? applied[key] : undefined;
    if (next === undefined) delete live[key];
    else if (isObject(previous[key])) live[key] = prune(live[key], previous[key], next);
  }
  return live;
}
