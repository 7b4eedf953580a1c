// CRUD, patch and /scale semantics of one resource request: resourceVersion preconditions,
// 404/409/415/422 answers with real Status bodies, dry run, defaulting, validation, generation.
import { parse as parseYaml } from 'yaml';
import { admit } from './admission.js';
import { dropFields, managerOf, trackManagers } from './fields.js';
import { PatchError, jsonPatch, mergePatch, serverSideApply, strategicMergePatch } from './patch.js';
import { RESOURCES, validateScale, type Obj, type ResourceDef } from './resources.js';
import type { Store } from './store.js';
import { toTable } from './table.js';

// A non-2xx answer: becomes a meta/v1 Status body.
export class ApiFailure extends Error {
  constructor(readonly code: number, readonly reason: string, message: string, readonly details: Obj = {}) {
    super(message);
  }
}

// One parsed request on a resource.
export interface ApiRequest {
  method: string;
  def: ResourceDef;
  namespace: string | undefined;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  contentType: string;
  body: string;
  table: boolean;
  /** The User-Agent header: the field manager of a write that names none. */
  userAgent?: string;
  /** Feature gates switched off or on (a missing gate is on). */
  gates?: Record<string, boolean>;
  /** Per kind, the dot paths an older API / CRD version on this server does not know (pruned). */
  older?: Record<string, string[]>;
  /** Run the KEDA / Knative validating webhooks (default true). */
  webhooks?: boolean;
  /** Filled by the handler: `Warning` headers of the answer (dropped unknown fields). */
  warnings?: string[];
  /** Server-side apply: the applied configuration and whether conflicts are forced. */
  applied?: Obj;
}

// The status code and body to send.
export interface ApiResponse { status: number; body: unknown }

const clone = <T>(value: T): T => structuredClone(value);
const qualified = (def: ResourceDef) => (def.group ? `${def.resource}.${def.group}` : def.resource);
const apiVersionOf = (def: ResourceDef) => (def.group ? `${def.group}/${def.version}` : def.version);

function notFound(def: ResourceDef, name: string): ApiFailure {
  return new ApiFailure(404, 'NotFound', `${qualified(def)} "${name}" not found`, { name, group: def.group, kind: def.resource });
}

function conflict(def: ResourceDef, name: string): ApiFailure {
  return new ApiFailure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(def)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, group: def.group, kind: def.resource });
}

function invalid(def: ResourceDef, name: string, message: string): ApiFailure {
  return new ApiFailure(422, 'Invalid', `${def.kind} "${name}" is invalid: ${message}`, { name, group: def.group, kind: def.kind });
}

function parseBody(req: ApiRequest): unknown {
  try {
    return req.contentType.startsWith('application/apply-patch+yaml') ? parseYaml(req.body) : JSON.parse(req.body);
  } catch (error) {
    throw new ApiFailure(400, 'BadRequest', `the body of the request could not be decoded: ${(error as Error).message}`);
  }
}

function labelsMatch(obj: Obj, selector: string | null): boolean {
  if (!selector) return true;
  const labels: Record<string, string> = obj.metadata.labels ?? {};
  return selector.split(',').every((term) => {
    const [k, v] = term.includes('!=') ? term.split('!=') : term.split('=');
    if (term.includes('!=')) return labels[k] !== v;
    return v === undefined ? k in labels : labels[k] === v;
  });
}

// Runs defaulting, validation, controller status and bookkeeping, then stores unless dry run.
function commit(store: Store, req: ApiRequest, next: Obj, previous: Obj | undefined): Obj {
  const { def } = req;
  next.apiVersion = apiVersionOf(def);
  next.kind = def.kind;
  next.metadata ??= {};
  if (req.namespace) next.metadata.namespace = req.namespace;
  const warnings = dropFields(def.kind, next, req.query.get('fieldValidation'), req.gates ?? {}, req.older);
  req.warnings?.push(...warnings);
  def.defaults?.(next);
  try {
    def.validate(next);
  } catch (error) {
    throw invalid(def, next.metadata.name, (error as Error).message.replace(/^[^:]+ is invalid: /, ''));
  }
  if (req.webhooks !== false) admit(store, def, next);
  const write = {
    manager: managerOf(req.query, req.userAgent),
    operation: req.applied ? 'Apply' as const : 'Update' as const,
    subresource: req.subresource,
    applied: req.applied,
    force: req.query.get('force') === 'true',
    apiVersion: apiVersionOf(def),
  };
  if (previous) {
    for (const field of ['uid', 'creationTimestamp', 'generation']) next.metadata[field] = previous.metadata[field];
    // Like the API server: generation moves with spec changes only (never with metadata or
    // status), and an object kept without one (HPAs without the HPAGeneration gate) stays so.
    const specChanged = JSON.stringify(previous.spec) !== JSON.stringify(next.spec);
    if (specChanged && previous.metadata.generation !== undefined) next.metadata.generation = previous.metadata.generation + 1;
    if (previous.metadata.generation === undefined) delete next.metadata.generation;
    next.status = previous.status;
    next.metadata.resourceVersion = previous.metadata.resourceVersion;
    next.metadata.managedFields = previous.metadata.managedFields;
    const unchanged = JSON.stringify(previous) === JSON.stringify(next);
    if (!unchanged || write.operation === 'Apply') trackManagers(previous, next, write);
    if (!unchanged && req.query.get('dryRun') !== 'All') next.metadata.resourceVersion = store.nextVersion();
  } else {
    trackManagers(undefined, next, write);
    if (req.query.get('dryRun') !== 'All') store.stampNew(next);
    else next.metadata = { ...next.metadata, uid: 'dry-run', generation: 1, creationTimestamp: new Date().toISOString() };
  }
  def.status?.(next, store);
  if (req.query.get('dryRun') !== 'All') {
    store.put(def, next);
    reconcileAutoscalers(store, next);
  }
  return next;
}

// The HPA controller (and KEDA's, through its HPA) keeps a scaled workload within its bounds:
// a write to either side may move the workload's replicas, as in a cluster.
function reconcileAutoscalers(store: Store, changed: Obj): void {
  const scalers = RESOURCES.filter((d) => d.kind === 'HorizontalPodAutoscaler' || d.kind === 'ScaledObject');
  const namespace = changed.metadata.namespace;
  for (const scalerDef of scalers) {
    for (const scaler of store.list(scalerDef, namespace)) {
      const ref = scaler.spec.scaleTargetRef ?? {};
      const targetDef = RESOURCES.find((d) => d.scale && d.kind === (ref.kind ?? 'Deployment'));
      const target = targetDef && store.get(targetDef, namespace, ref.name);
      if (!target || (changed !== scaler && changed !== target)) continue;
      // The HPA controller leaves a target at 0 replicas alone while minReplicas > 0: "scaling is
      // disabled since the replica count of the target is zero" (kubernetes/kubernetes
      // pkg/controller/podautoscaler/horizontal.go, reconcileAutoscaler). KEDA's scale executor
      // does raise a target below minReplicaCount (kedacore/keda pkg/scaling/executor/
      // scale_scaledobjects.go; TestScaleToMinReplicasWhenNotActive).
      if (scalerDef.kind !== 'ScaledObject' && (target.spec.replicas ?? 1) === 0 && (scaler.spec.minReplicas ?? 1) !== 0) continue;
      const min = scalerDef.kind === 'ScaledObject' ? Math.max(1, scaler.spec.minReplicaCount ?? 0) : scaler.spec.minReplicas ?? 1;
      const max = scalerDef.kind === 'ScaledObject' ? scaler.spec.maxReplicaCount ?? 100 : scaler.spec.maxReplicas;
      const replicas = Math.min(max, Math.max(min, target.spec.replicas ?? 1));
      if (replicas === target.spec.replicas) continue;
      const next = structuredClone(target);
      next.spec.replicas = replicas;
      next.metadata.generation += 1;
      next.metadata.resourceVersion = store.nextVersion();
      targetDef.status?.(next, store);
      store.put(targetDef, next);
    }
  }
}

function checkPrecondition(def: ResourceDef, current: Obj, wanted: unknown): void {
  if (wanted !== undefined && wanted !== '' && wanted !== current.metadata.resourceVersion) throw conflict(def, current.metadata.name);
}

function toScale(obj: Obj): Obj {
  const selector = Object.entries(obj.spec.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: obj.spec.replicas ?? 1 },
    status: { replicas: obj.status?.replicas ?? 0, selector },
  };
}

function patched(req: ApiRequest, current: Obj | undefined, body: unknown): Obj {
  const type = req.contentType.split(';')[0].trim();
  if (type === 'application/json-patch+json') return jsonPatch(current, body) as Obj;
  if (type === 'application/merge-patch+json') return mergePatch(current, body) as Obj;
  if (type === 'application/strategic-merge-patch+json' && !req.def.crd) return strategicMergePatch(current, body) as Obj;
  if (type === 'application/apply-patch+yaml') {
    const manager = req.query.get('fieldManager');
    if (!manager) throw new ApiFailure(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    return serverSideApply(current ?? {}, body as Obj, undefined) as Obj;
  }
  throw new ApiFailure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml${req.def.crd ? '' : ', application/strategic-merge-patch+json'}`);
}

function handleScale(store: Store, req: ApiRequest, current: Obj): ApiResponse {
  if (req.method === 'GET') return { status: 200, body: toScale(current) };
  const body = parseBody(req);
  let scale: Obj;
  try {
    scale = req.method === 'PUT' ? (body as Obj) : patched({ ...req, def: { ...req.def, crd: undefined } }, toScale(current), body);
  } catch (error) {
    if (error instanceof PatchError) throw new ApiFailure(error.status, error.status === 400 ? 'BadRequest' : 'Invalid', error.message);
    throw error;
  }
  try {
    validateScale(scale);
  } catch (error) {
    throw new ApiFailure(422, 'Invalid', `Scale.autoscaling "${current.metadata.name}" is invalid: ${(error as Error).message.replace(/^Scale is invalid: /, '')}`);
  }
  checkPrecondition(req.def, current, scale.metadata?.resourceVersion);
  const next = clone(current);
  next.spec.replicas = scale.spec?.replicas ?? next.spec.replicas;
  return { status: 200, body: toScale(commit(store, { ...req, method: 'PUT' }, next, current)) };
}

// Answers one request on a resource (collection, object or subresource).
export function handleResource(store: Store, req: ApiRequest): ApiResponse {
  const { def, namespace, name, method } = req;
  const dryRun = req.query.get('dryRun');
  if (dryRun !== null && dryRun !== 'All') throw new ApiFailure(400, 'BadRequest', `Invalid dry run value "${dryRun}": valid values are "All"`);
  if (!name) {
    if (method === 'GET') {
      const items = store.list(def, namespace).filter((obj) => labelsMatch(obj, req.query.get('labelSelector')));
      // Controllers keep status current (e.g. an HPA's currentReplicas follows its target).
      for (const item of items) def.status?.(item, store);
      if (req.table) return { status: 200, body: toTable(def, items, store.currentVersion()) };
      const stripped = items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
      return { status: 200, body: { apiVersion: apiVersionOf(def), kind: `${def.kind}List`, metadata: { resourceVersion: store.currentVersion() }, items: stripped } };
    }
    if (method !== 'POST') throw new ApiFailure(405, 'MethodNotAllowed', `${method} is not supported on a collection`);
    const body = parseBody(req) as Obj;
    if (body?.kind !== def.kind || body.apiVersion !== apiVersionOf(def)) {
      throw new ApiFailure(400, 'BadRequest', `the API version in the data (${body?.apiVersion}) does not match the expected API version (${apiVersionOf(def)})`);
    }
    const objName = body.metadata?.name;
    if (!objName) throw invalid(def, '', 'metadata.name: Required value: name or generateName is required');
    if (body.metadata.namespace && body.metadata.namespace !== namespace) {
      throw new ApiFailure(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    }
    if (store.get(def, namespace!, objName)) {
      throw new ApiFailure(409, 'AlreadyExists', `${qualified(def)} "${objName}" already exists`, { name: objName, group: def.group, kind: def.resource });
    }
    const { resourceVersion: _ignored, ...metadata } = body.metadata;
    return { status: 201, body: commit(store, req, { ...clone(body), metadata: clone(metadata), status: undefined }, undefined) };
  }
  const current = store.get(def, namespace!, name);
  const isApply = method === 'PATCH' && req.contentType.startsWith('application/apply-patch+yaml');
  if (!current && !isApply) throw notFound(def, name);
  if (req.subresource === 'scale' && def.scale) return handleScale(store, req, current!);
  if (req.subresource) throw new ApiFailure(404, 'NotFound', 'the server could not find the requested resource');
  if (method === 'GET') def.status?.(current!, store);
  if (method === 'GET') return { status: 200, body: req.table ? toTable(def, [current!], current!.metadata.resourceVersion) : current };
  if (method === 'DELETE') {
    const options = req.body ? (parseBody(req) as Obj) : {};
    checkPrecondition(def, current!, options?.preconditions?.resourceVersion);
    if (dryRun !== 'All') store.delete(def, namespace!, name);
    return { status: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: def.group, kind: def.resource, uid: current!.metadata.uid } } };
  }
  const body = parseBody(req) as Obj;
  let next: Obj;
  if (method === 'PUT') {
    if (body?.metadata?.name !== name) throw new ApiFailure(400, 'BadRequest', `the name of the object (${body?.metadata?.name}) does not match the name on the URL (${name})`);
    if (def.crd && !body.metadata.resourceVersion) throw invalid(def, name, 'metadata.resourceVersion: Invalid value: 0x0: must be specified for an update');
    next = clone(body);
  } else if (method === 'PATCH') {
    try {
      next = patched(req, current ? clone(current) : undefined, body);
      if (isApply) {
        // Recompute with what this manager applied last time, so dropped fields are removed.
        const manager = req.query.get('fieldManager')!;
        const previous = store.lastApplied(def, namespace!, name, manager);
        next = serverSideApply(current ? clone(current) : {}, body, previous) as Obj;
        req.applied = clone(body);
        if (!current) {
          const created = commit(store, { ...req, method: 'POST' }, { ...next, metadata: { ...next.metadata, name } }, undefined);
          if (dryRun !== 'All') store.recordApplied(def, namespace!, name, manager, clone(body));
          return { status: 201, body: created };
        }
      }
    } catch (error) {
      if (error instanceof PatchError) throw new ApiFailure(error.status, error.status === 400 ? 'BadRequest' : 'Invalid', error.message);
      throw error;
    }
  } else throw new ApiFailure(405, 'MethodNotAllowed', `${method} is not supported`);
  if (next.metadata?.name !== name) throw invalid(def, name, 'metadata.name: Invalid value: field is immutable');
  checkPrecondition(def, current!, next.metadata?.resourceVersion);
  const stored = commit(store, req, next, current);
  if (isApply && dryRun !== 'All') store.recordApplied(def, namespace!, name, req.query.get('fieldManager')!, clone(body));
  return { status: 200, body: stored };
}
