// Creating, replacing and removing the scalectl-owned HPA or ScaledObject of a workload.
import type { Autoscale } from '../../src/config/model.js';
import { AdapterError } from '../../src/errors.js';
import { sameValue } from '../../src/plan/fields.js';
import { statusOf, type Kube } from './client.js';
import { DROPPED_ANNOTATION, droppedFields, droppedLine, rememberedOf, rememberedOn, rememberedText, remembers, withRemembered } from './dropped.js';
import { autoscaleFromHpa, isOwned, ownedLabels, renderHpa, TOLERANCE_ANNOTATION } from './hpa.js';
import { autoscaleFromScaledObject, renderScaledObject } from './keda.js';
import { KEDA, specHash, type Seen } from './observe.js';
import type { Steps } from './steps.js';
import { CREDENTIALS_ANNOTATION, extractForCluster, type NeededSecret } from './trigger-auth.js';
import type { Extensions, TargetRef } from './target.js';

type Obj = Record<string, any>;
export type ScalerKind = 'hpa' | 'scaledobject';

// A rendered scaler and, for a ScaledObject, the Secrets and TriggerAuthentications holding the
// credentials of its triggers (written before it, so KEDA finds them).
export interface RenderedScaler { manifest: Obj; credentials: { documents: Obj[]; secrets: NeededSecret[] } }
const TRIGGER_AUTH = { group: 'keda.sh', version: 'v1alpha1', plural: 'triggerauthentications' };

// Typed access to either scaler through one shape.
function api(kube: Kube, kind: ScalerKind, namespace: string, dryRun: 'All' | undefined) {
  const o = kube.options();
  const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as Obj;
  if (kind === 'hpa') {
    const a = kube.autoscaling;
    return {
      label: 'HPA',
      get: async (name: string) => plain(await a.readNamespacedHorizontalPodAutoscaler({ name, namespace }, o)),
      create: async (body: Obj) => plain(await a.createNamespacedHorizontalPodAutoscaler({ namespace, body, dryRun }, o)),
      replace: async (name: string, body: Obj) => plain(await a.replaceNamespacedHorizontalPodAutoscaler({ name, namespace, body, dryRun }, o)),
      remove: async (name: string, rv: string) => a.deleteNamespacedHorizontalPodAutoscaler({ name, namespace, dryRun, body: { preconditions: { resourceVersion: rv } } }, o),
      patch: async (name: string, body: Obj) => a.patchNamespacedHorizontalPodAutoscaler({ name, namespace, body, dryRun }, kube.options('merge')),
    };
  }
  const c = kube.custom;
  return {
    label: 'ScaledObject',
    get: async (name: string) => plain(await c.getNamespacedCustomObject({ ...KEDA, namespace, name }, o)),
    create: async (body: Obj) => plain(await c.createNamespacedCustomObject({ ...KEDA, namespace, body, dryRun }, o)),
    replace: async (name: string, body: Obj) => plain(await c.replaceNamespacedCustomObject({ ...KEDA, namespace, name, body, dryRun }, o)),
    remove: async (name: string, rv: string) => c.deleteNamespacedCustomObject({ ...KEDA, namespace, name, dryRun, body: { preconditions: { resourceVersion: rv } } }, o),
    patch: async (name: string, body: Obj) => c.patchNamespacedCustomObject({ ...KEDA, namespace, name, body, dryRun }, kube.options('merge')),
  };
}

async function getOrUndefined(get: () => Promise<Obj>): Promise<Obj | undefined> {
  try {
    return await get();
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

function refuseForeign(kube: Kube, obj: Obj, label: string, ref: TargetRef, namespace: string, ext: Extensions, done: string[]): void {
  if (isOwned(obj) || ext.adopt) return;
  throw new AdapterError('kubernetes', `${label} ${obj.metadata.name} scales ${ref.kind}/${ref.name} in namespace ${namespace} (context ${kube.contextName}) but was not created by scalectl — set x-kubernetes.adopt: true to let scalectl manage it, or delete it`, { done });
}

// Makes the owned HPA (or ScaledObject) express `autoscale`: create, replace, or nothing if equal.
export async function ensureScaler(kube: Kube, steps: Steps, kind: ScalerKind, ref: TargetRef, service: string, namespace: string, autoscale: Autoscale, ext: Extensions, seen: Seen | undefined, rendered?: RenderedScaler): Promise<void> {
  const ops = api(kube, kind, namespace, steps.dryRun);
  const { manifest, credentials } = rendered ?? renderScaler(kind, ref, service, namespace, autoscale, ext, [...steps.done]);
  const meaning = (obj: Obj) => (kind === 'hpa' ? autoscaleFromHpa(obj, autoscale, ext) : autoscaleFromScaledObject(obj, autoscale));
  // A live object counts the values it remembers the server dropped (see observe, spec.ts).
  const same = (obj: Obj) => isOwned(obj) && sameValue(meaning(withRemembered(obj).obj), meaning(manifest));
  const summary = `${ops.label} ${manifest.metadata.name} (min ${autoscale.min}, max ${autoscale.max})`;
  if (!seen?.present && steps.dryRun && steps.done.some((d) => d.startsWith('deleted '))) {
    // The dry-run delete left the old scaler in place, so a dry-run create would only collide with it.
    const left = steps.done.find((d) => d.startsWith('deleted '))!.split(' ')[1];
    return steps.record(`create ${summary} skipped: the dry-run delete left the ${left} in place`);
  }
  const site = { verb: 'write', object: `${ops.label} ${manifest.metadata.name}`, namespace };
  await ensureCredentials(kube, steps, service, namespace, credentials, ext);
  if (!seen?.present) {
    steps.checkSignal(`create ${summary}`);
    try {
      const created = await ops.create(manifest);
      steps.record(`created ${summary}`);
      await noteDropped(steps, ops, `${ops.label} ${manifest.metadata.name}`, manifest, created);
      return;
    } catch (error) {
      if (statusOf(error) !== 409) throw steps.fail(error, site);
    }
    const live = await getOrUndefined(() => ops.get(manifest.metadata.name)).catch((e) => { throw steps.fail(e, site); });
    if (live && same(live)) return steps.record(`created ${summary} (already in place)`);
    if (!live) throw new AdapterError('kubernetes', `creating ${ops.label} ${manifest.metadata.name} in namespace ${namespace} met a conflict but nothing is there — try again`, { retryable: true, done: [...steps.done] });
    throw steps.fail(Object.assign(new Error('conflict'), { code: 409, body: { message: `${ops.label} ${manifest.metadata.name} was created by someone else since the plan` } }), site);
  }
  const live = await getOrUndefined(() => ops.get(seen.name)).catch((e) => { throw steps.fail(e, site); });
  if (!live) throw steps.fail(Object.assign(new Error('conflict'), { code: 409, body: { message: `${ops.label} ${seen.name} was deleted since the plan` } }), site);
  refuseForeign(kube, live, ops.label, ref, namespace, ext, [...steps.done]);
  if (same(live)) return;
  // Spec changed by someone else since the plan (an earlier attempt of ours would make it `same`).
  if (seen.hash !== undefined ? specHash(live) !== seen.hash : live.metadata.generation !== seen.generation) {
    throw steps.fail(Object.assign(new Error('conflict'), { code: 409, body: { message: `${ops.label} ${seen.name} changed since the plan (its spec was edited)` } }), site);
  }
  const base = { rv: live.metadata.resourceVersion as string, generation: live.metadata.generation as number, hash: specHash(live) };
  // Keep what others hang on the live object (annotations, finalizers, owners); scalectl's own win.
  // The fields the server dropped before and the manifest still sets are remembered in the same
  // replace (the read-back corrects it when the server now keeps one); the tolerance annotation of
  // older scalectl versions goes, the remembered map replaces it.
  const meta = live.metadata;
  const { [DROPPED_ANNOTATION]: _dropped, [TOLERANCE_ANNOTATION]: _tolerance, ...others } = meta.annotations ?? {};
  const expected = rememberedText(rememberedOf(manifest, Object.keys(rememberedOn(live))));
  const annotations = { ...others, ...manifest.metadata.annotations, ...(expected ? { [DROPPED_ANNOTATION]: expected } : {}) };
  const body = {
    ...manifest,
    metadata: {
      ...manifest.metadata,
      name: meta.name,
      labels: { ...meta.labels, ...manifest.metadata.labels },
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ...(meta.finalizers ? { finalizers: meta.finalizers } : {}),
      ...(meta.ownerReferences ? { ownerReferences: meta.ownerReferences } : {}),
    },
  };
  const replaced = await steps.guarded(`updated ${ops.label} ${meta.name} (min ${autoscale.min}, max ${autoscale.max})`, site, base,
    (rv) => ops.replace(meta.name, { ...body, metadata: { ...body.metadata, resourceVersion: rv } }),
    async () => {
      const again = await getOrUndefined(() => ops.get(meta.name));
      return again && { rv: again.metadata.resourceVersion, generation: again.metadata.generation, hash: specHash(again), satisfied: same(again) };
    });
  if (replaced) await noteDropped(steps, ops, `${ops.label} ${meta.name}`, manifest, replaced);
}

// Reads back what a write stored: a field the server dropped is reported, and what scalectl
// wrote for it is remembered in DROPPED_ANNOTATION, so that later plans count it instead of
// asking for it again. When the write did not already carry the right map (a first drop, a field
// the server now keeps, one no longer set), a merge patch of that one annotation follows.
async function noteDropped(steps: Steps, ops: ReturnType<typeof api>, label: string, sent: Obj, stored: Obj): Promise<void> {
  const dropped = droppedFields(sent, stored);
  const line = droppedLine(label, dropped);
  if (line) steps.record(line);
  const remembered = rememberedOf(sent, dropped);
  if (steps.dryRun || remembers(stored, remembered)) return;
  try {
    await ops.patch(stored.metadata.name, { metadata: { annotations: { [DROPPED_ANNOTATION]: rememberedText(remembered) ?? null } } });
  } catch (error) {
    // The write itself stands; only the memory of it is missing.
    steps.record(`${label}: could not record the dropped fields in annotation ${DROPPED_ANNOTATION} (HTTP ${statusOf(error) ?? 'error'}) — the next plan asks for them again`);
  }
}

// The HPA or ScaledObject manifest for `autoscale` (a ScaledObject's credentials moved out to
// Secrets); what cannot be rendered is an AdapterError.
export function renderScaler(kind: ScalerKind, ref: TargetRef, service: string, namespace: string, autoscale: Autoscale, ext: Extensions, done: string[]): RenderedScaler {
  try {
    if (kind === 'hpa') return { manifest: renderHpa(ref, service, namespace, autoscale, ext), credentials: { documents: [], secrets: [] } };
    const manifest = renderScaledObject(ref, service, namespace, autoscale);
    return { manifest, credentials: extractForCluster(manifest, service) };
  } catch (error) {
    throw new AdapterError('kubernetes', `service ${service}: ${(error as Error).message}`, { done });
  }
}

// Deletes the HPA or ScaledObject a fingerprint saw (scalectl's, or adopted), if still there.
export async function removeScaler(kube: Kube, steps: Steps, kind: ScalerKind, ref: TargetRef, namespace: string, ext: Extensions, seen: Seen, why: string): Promise<void> {
  const ops = api(kube, kind, namespace, steps.dryRun);
  const site = { verb: 'delete', object: `${ops.label} ${seen.name}`, namespace };
  const live = await getOrUndefined(() => ops.get(seen.name)).catch((e) => { throw steps.fail(e, site); });
  if (!live) return;
  refuseForeign(kube, live, ops.label, ref, namespace, ext, [...steps.done]);
  await steps.guarded(`deleted ${ops.label} ${seen.name} (${why})`, site, { rv: live.metadata.resourceVersion, generation: live.metadata.generation },
    (rv) => ops.remove(seen.name, rv!),
    async () => {
      const again = await getOrUndefined(() => ops.get(seen.name));
      return { rv: again?.metadata.resourceVersion ?? '', generation: again?.metadata.generation ?? 0, satisfied: !again };
    });
  if (kind === 'scaledobject') await removeCredentials(kube, steps, namespace, live);
}

// Get, create or replace (when `same` says it differs) one object scalectl owns beside a scaler.
interface OwnedOps { get: () => Promise<Obj>; create: (body: Obj) => Promise<unknown>; replace: (body: Obj) => Promise<unknown>; remove: () => Promise<unknown> }

function secretOps(kube: Kube, namespace: string, name: string, dryRun: 'All' | undefined): OwnedOps {
  const o = kube.options();
  const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as Obj;
  return {
    get: async () => plain(await kube.core.readNamespacedSecret({ name, namespace }, o)),
    create: (body) => kube.core.createNamespacedSecret({ namespace, body, dryRun }, o),
    replace: (body) => kube.core.replaceNamespacedSecret({ name, namespace, body, dryRun }, o),
    remove: () => kube.core.deleteNamespacedSecret({ name, namespace, dryRun }, o),
  };
}

function triggerAuthOps(kube: Kube, namespace: string, name: string, dryRun: 'All' | undefined): OwnedOps {
  const o = kube.options();
  const c = kube.custom;
  return {
    get: async () => JSON.parse(JSON.stringify(await c.getNamespacedCustomObject({ ...TRIGGER_AUTH, namespace, name }, o))) as Obj,
    create: (body) => c.createNamespacedCustomObject({ ...TRIGGER_AUTH, namespace, body, dryRun }, o),
    replace: (body) => c.replaceNamespacedCustomObject({ ...TRIGGER_AUTH, namespace, name, body, dryRun }, o),
    remove: () => c.deleteNamespacedCustomObject({ ...TRIGGER_AUTH, namespace, name, dryRun }, o),
  };
}

async function ensureOwned(steps: Steps, label: string, namespace: string, ops: OwnedOps, body: Obj, same: (live: Obj) => boolean, ext: Extensions, why: string): Promise<void> {
  const live = await getOrUndefined(ops.get).catch((e) => { throw steps.fail(e, { verb: 'get', object: label, namespace }); });
  const site = { verb: live ? 'update' : 'create', object: label, namespace };
  if (live && !isOwned(live) && !ext.adopt) {
    throw new AdapterError('kubernetes', `${label} in namespace ${namespace} exists but was not created by scalectl — delete it, or set x-kubernetes.adopt: true to let scalectl manage it`, { done: [...steps.done] });
  }
  if (live && same(live)) return;
  steps.checkSignal(`${live ? 'update' : 'create'} ${label}`);
  try {
    if (live) await ops.replace({ ...body, metadata: { ...body.metadata, resourceVersion: live.metadata.resourceVersion } });
    else await ops.create(body);
  } catch (error) {
    throw steps.fail(error, site);
  }
  steps.record(`${live ? 'updated' : 'created'} ${label} (${why})`);
}

// The Secrets (values from the resolved scaling.yaml, i.e. its environment variables) and the
// TriggerAuthentications reading them; the values are never printed.
async function ensureCredentials(kube: Kube, steps: Steps, service: string, namespace: string, credentials: RenderedScaler['credentials'], ext: Extensions): Promise<void> {
  for (const [index, needed] of credentials.secrets.entries()) {
    const data = Object.fromEntries(Object.entries(needed.values).map(([key, value]) => [key, Buffer.from(value).toString('base64')]));
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: needed.name, namespace, labels: ownedLabels(service) }, type: 'Opaque', data };
    await ensureOwned(steps, `Secret ${needed.name}`, namespace, secretOps(kube, namespace, needed.name, steps.dryRun), secret,
      (live) => sameValue(live.data ?? {}, data), ext, `credential of a KEDA trigger of ${service}`);
    const document = credentials.documents[index];
    const auth: Obj = { ...document, metadata: { ...document.metadata, namespace, labels: ownedLabels(service) } };
    await ensureOwned(steps, `TriggerAuthentication ${needed.name}`, namespace, triggerAuthOps(kube, namespace, needed.name, steps.dryRun), auth,
      (live) => sameValue(live.spec, auth.spec), ext, `reads Secret ${needed.name}`);
  }
}

// After its ScaledObject is deleted: the TriggerAuthentications and Secrets scalectl made for it.
async function removeCredentials(kube: Kube, steps: Steps, namespace: string, scaledObject: Obj): Promise<void> {
  if (!scaledObject.metadata?.annotations?.[CREDENTIALS_ANNOTATION]) return;
  const names = new Set<string>((scaledObject.spec?.triggers ?? []).map((t: Obj) => t.authenticationRef?.name).filter(Boolean));
  for (const name of names) {
    for (const [label, ops] of [[`TriggerAuthentication ${name}`, triggerAuthOps(kube, namespace, name, steps.dryRun)], [`Secret ${name}`, secretOps(kube, namespace, name, steps.dryRun)]] as const) {
      const site = { verb: 'delete', object: label, namespace };
      const live = await getOrUndefined(ops.get).catch((e) => { throw steps.fail(e, site); });
      if (!live || !isOwned(live)) continue;
      await ops.remove().catch((e) => { if (statusOf(e) !== 404) throw steps.fail(e, site); });
      steps.record(`deleted ${label} (its ScaledObject is gone)`);
    }
  }
}
