// Applies one service's change: scaler (HPA / ScaledObject) first, then container resources,
// replicas through /scale, Service affinity; or one template patch for a Knative Service.
// One read up front proves the plan fresh (the generation it saw); its resourceVersion is then
// the precondition of the writes.
import type { ApplyOptions, ApplyResult, ChangeRequest } from '../contract.js';
import type { ServiceSpec } from '../../src/config/model.js';
import { AdapterError } from '../../src/errors.js';
import { sameValue } from '../../src/plan/fields.js';
import type { Kube } from './client.js';
import { knativeTemplate, specFromKnative } from './knative.js';
import { KNATIVE, parseFingerprint, workloadHash, type Crds, type Seen } from './observe.js';
import { sameQuantity } from './quantity.js';
import { removeScaler, ensureScaler, renderScaler } from './scalers.js';
import { containerOf, wantsKeda } from './spec.js';
import { Steps, type Base } from './steps.js';
import { extensionsOf, parseTargetRef, type Extensions, type TargetRef } from './target.js';

type Obj = Record<string, any>;
const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as Obj;

function moved(change: ChangeRequest, prefix: string): boolean {
  return change.changes.some((c) => c.field === prefix || c.field.startsWith(`${prefix}.`) || c.field.startsWith(`${prefix}[`));
}

// The requests/limits a desired `resources` asks for: only the keys the file sets, so what it
// does not mention stays as it is live.
function resourcesPatch(desired: ServiceSpec): Obj {
  const r = desired.resources ?? {};
  const requests: Obj = {};
  if (r.cpu !== undefined) requests.cpu = r.cpu;
  if (r.memory !== undefined) requests.memory = r.memory;
  return { requests, ...(r.memory !== undefined ? { limits: { memory: r.memory } } : {}) };
}

function sameRequests(container: Obj | undefined, desired: ServiceSpec): boolean {
  const requests = container?.resources?.requests ?? {};
  const want = desired.resources ?? {};
  const same = (live: string | undefined, wanted: string | undefined) => wanted === undefined || (live !== undefined && sameQuantity(live, wanted));
  return same(requests.cpu, want.cpu) && same(requests.memory, want.memory);
}

// Where writes start from: the live resourceVersion, and whether the spec moved since the plan
// (generation, or the spec hash without replicas while a scaler owned them). A moved spec is
// either an earlier attempt of ours (each step then finds itself in place) or a stale plan.
function baseOf(live: Obj, seen: Seen): Base {
  const drifted = seen.hash !== undefined ? workloadHash(live) !== seen.hash
    : seen.generation !== undefined && (live.metadata.generation ?? 0) !== seen.generation;
  return { rv: live.metadata.resourceVersion, generation: drifted ? (seen.generation ?? -1) : live.metadata.generation, drifted };
}

// Writes spec.replicas through /scale with the base's resourceVersion as precondition.
async function scaleTo(kube: Kube, steps: Steps, ref: TargetRef, namespace: string, base: Base, read: () => Promise<Obj>, replicas: number, label: string): Promise<void> {
  const site = { verb: 'patch', object: `${ref.kind}/${ref.name}/scale`, namespace };
  const body = (rv: string | undefined) => ({ metadata: { resourceVersion: rv }, spec: { replicas } });
  const scaled = await steps.guarded(label, site, base,
    (rv) => ref.kind === 'deployment'
      ? kube.apps.patchNamespacedDeploymentScale({ name: ref.name, namespace, body: body(rv), dryRun: steps.dryRun }, kube.options('merge'))
      : kube.apps.patchNamespacedStatefulSetScale({ name: ref.name, namespace, body: body(rv), dryRun: steps.dryRun }, kube.options('merge')),
    async () => {
      const live = await read();
      return { rv: live.metadata.resourceVersion, generation: live.metadata.generation, satisfied: live.spec.replicas === replicas };
    });
  if (scaled) Object.assign(base, { rv: (scaled as Obj).metadata?.resourceVersion ?? base.rv, generation: (base.generation ?? 0) + 1 });
}

async function applyWorkload(kube: Kube, crds: Crds, change: ChangeRequest, ref: TargetRef, ext: Extensions, namespace: string, steps: Steps, settingsService: string | undefined): Promise<void> {
  const desired = change.desired;
  const seen = parseFingerprint(change.fingerprint);
  const workloadSeen = seen.get(ref.kind);
  const where = `${ref.kind}/${ref.name} in namespace ${namespace} (context ${kube.contextName})`;
  if (!workloadSeen?.present) {
    throw new AdapterError('kubernetes', `${where} not found — scalectl scales existing workloads; create it first`);
  }
  const site = { verb: 'patch', object: `${ref.kind}/${ref.name}`, namespace };
  const read = async () => plain(ref.kind === 'deployment'
    ? await kube.apps.readNamespacedDeployment({ name: ref.name, namespace }, kube.options())
    : await kube.apps.readNamespacedStatefulSet({ name: ref.name, namespace }, kube.options()));
  const current = await steps.read({ ...site, verb: 'read' }, read);
  const base = baseOf(current, workloadSeen);
  const recheck = (satisfied: (live: Obj) => boolean) => async () => {
    const live = await read();
    return { rv: live.metadata.resourceVersion, generation: live.metadata.generation, satisfied: satisfied(live) };
  };
  if (moved(change, 'resources')) {
    const containerName = ext.container ?? (containerOf(current.spec.template.spec, ext)?.name as string);
    const body = (rv: string | undefined) => ({ metadata: { resourceVersion: rv }, spec: { template: { spec: { containers: [{ name: containerName, resources: resourcesPatch(desired) }] } } } });
    const updated = await steps.guarded(`set resources of ${ref.kind}/${ref.name} container ${containerName} (rolls the pods out)`, site, base,
      async (rv) => plain(ref.kind === 'deployment'
        ? await kube.apps.patchNamespacedDeployment({ name: ref.name, namespace, body: body(rv), dryRun: steps.dryRun }, kube.options('strategic'))
        : await kube.apps.patchNamespacedStatefulSet({ name: ref.name, namespace, body: body(rv), dryRun: steps.dryRun }, kube.options('strategic'))),
      recheck((live) => sameRequests(containerOf(live.spec.template.spec, ext), desired)));
    if (updated) Object.assign(base, { rv: updated.metadata.resourceVersion, generation: updated.metadata.generation });
  }
  // Scalers after the workload's own writes: an HPA moves replicas (and the generation) at once.
  const backend = !desired.autoscale ? undefined : crds.keda && wantsKeda(desired) ? 'scaledobject' : 'hpa';
  const hpa = seen.get('hpa');
  const so = seen.get('scaledobject');
  // Render before any delete: a scaler that cannot be written must not cost the one in place.
  const rendered = backend && desired.autoscale ? renderScaler(backend, ref, change.service, namespace, desired.autoscale, ext, [...steps.done]) : undefined;
  if (backend !== 'hpa' && hpa?.present) await removeScaler(kube, steps, 'hpa', ref, namespace, ext, hpa, backend ? 'a ScaledObject takes over' : 'fixed replicas');
  if (backend !== 'scaledobject' && so?.present) await removeScaler(kube, steps, 'scaledobject', ref, namespace, ext, so, backend ? 'an HPA takes over' : 'fixed replicas');
  if (backend && desired.autoscale && desired.autoscale.min > 0 && current.spec.replicas === 0) {
    // The HPA controller never scales a target at 0 replicas ("scaling is disabled since the
    // replica count of the target is zero"): start it at min, then hand it to the scaler.
    await scaleTo(kube, steps, ref, namespace, base, read, desired.autoscale.min, `scaled ${ref.kind}/${ref.name} 0 → ${desired.autoscale.min} (an autoscaler leaves a workload at 0 alone)`);
  }
  if (backend && desired.autoscale && (moved(change, 'autoscale') || !seen.get(backend)?.present)) {
    await ensureScaler(kube, steps, backend, ref, change.service, namespace, desired.autoscale, ext, backend === 'hpa' ? hpa : so, rendered);
  }
  if (!desired.autoscale && desired.replicas !== undefined && moved(change, 'replicas')) {
    let before = change.changes.find((c) => c.field === 'replicas')?.before;
    if (hpa?.present || so?.present) {
      // The removed scaler owned replicas until now and may have moved them: write on what is live.
      const live = await steps.read({ ...site, verb: 'read' }, read);
      Object.assign(base, { rv: live.metadata.resourceVersion, generation: live.metadata.generation, drifted: false });
      before = live.spec.replicas;
    }
    await scaleTo(kube, steps, ref, namespace, base, read, desired.replicas, `scaled ${ref.kind}/${ref.name} ${before === null || before === undefined ? 'to' : `${before} →`} ${desired.replicas}`);
  }
  if (desired.routing?.affinity && moved(change, 'routing')) {
    const name = seen.get('service')?.name ?? ext.service ?? settingsService ?? ref.name;
    const affinity = desired.routing.affinity === 'sticky' ? 'ClientIP' : 'None';
    const svcSite = { verb: 'patch', object: `Service ${name}`, namespace };
    const svcSeen = seen.get('service');
    await steps.guarded(`set Service ${name} sessionAffinity ${affinity}`, svcSite, { rv: svcSeen?.rv, generation: svcSeen?.generation },
      (rv) => kube.core.patchNamespacedService({ name, namespace, body: { metadata: { resourceVersion: rv }, spec: { sessionAffinity: affinity } }, dryRun: steps.dryRun }, kube.options('merge')),
      async () => {
        const live = plain(await kube.core.readNamespacedService({ name, namespace }, kube.options()));
        return { rv: live.metadata.resourceVersion, generation: live.metadata.generation ?? 0, satisfied: (live.spec.sessionAffinity ?? 'None') === affinity };
      });
  }
}

// The ksvc as it would be after the template patch (JSON merge patch semantics).
function afterPatch(live: Obj, patch: Obj): Obj {
  const merge = (t: any, p: any): any => {
    if (p === null || typeof p !== 'object' || Array.isArray(p)) return p;
    const out = { ...(t && typeof t === 'object' && !Array.isArray(t) ? t : {}) };
    for (const [k, v] of Object.entries(p)) if (v === null) delete out[k]; else out[k] = merge(out[k], v);
    return out;
  };
  return merge(live, patch);
}

async function applyKnative(kube: Kube, change: ChangeRequest, ref: TargetRef, ext: Extensions, namespace: string, steps: Steps): Promise<void> {
  const seen = parseFingerprint(change.fingerprint).get('ksvc');
  if (!seen?.present) throw new AdapterError('kubernetes', `ksvc/${ref.name} not found in namespace ${namespace} (context ${kube.contextName}) — deploy the Knative Service first`);
  if (!['replicas', 'autoscale', 'traffic', 'resources'].some((p) => moved(change, p))) return;
  const desired = change.desired;
  const template = knativeTemplate(desired);
  const site = { verb: 'patch', object: `ksvc/${ref.name}`, namespace };
  const get = async () => plain(await kube.custom.getNamespacedCustomObject({ ...KNATIVE, namespace, name: ref.name }, kube.options()));
  const live = await steps.read({ ...site, verb: 'read' }, get);
  const patchFor = (rv: string | undefined, current: Obj | undefined): Obj => {
    const spec: Obj = { containerConcurrency: template.containerConcurrency };
    if (template.timeoutSeconds !== undefined) spec.timeoutSeconds = template.timeoutSeconds;
    if (current && moved(change, 'resources')) {
      const target = containerOf(current.spec.template.spec, ext);
      spec.containers = current.spec.template.spec.containers.map((c: Obj) => (c === target ? { ...c, resources: { ...c.resources, ...afterPatch(c.resources ?? {}, resourcesPatch(desired)) } } : c));
    }
    return { metadata: { resourceVersion: rv }, spec: { template: { metadata: { annotations: template.annotations }, spec } } };
  };
  const meaning = (obj: Obj) => ({ ...specFromKnative(obj, desired), resources: sameRequests(containerOf(obj.spec?.template?.spec, ext), desired) });
  await steps.guarded(`updated ksvc/${ref.name} revision template (new revision)`, site, baseOf(live, seen),
    (rv) => kube.custom.patchNamespacedCustomObject({ ...KNATIVE, namespace, name: ref.name, body: patchFor(rv, live), dryRun: steps.dryRun }, kube.options('merge')),
    async () => {
      const again = await get();
      const wanted = afterPatch(again, patchFor(undefined, again));
      return { rv: again.metadata.resourceVersion, generation: again.metadata.generation, satisfied: sameValue(meaning(again), meaning(wanted)) && meaning(again).resources };
    });
}

// Makes one planned change true (see Adapter.apply in the contract).
export async function applyChange(kube: Kube, crds: Crds, change: ChangeRequest, options: ApplyOptions, settingsService: string | undefined): Promise<ApplyResult> {
  const ref = parseTargetRef(change.target);
  const ext = extensionsOf(change.extensions);
  const namespace = ext.namespace ?? kube.namespace;
  const steps = new Steps(kube, options);
  if (ref.kind === 'ksvc') await applyKnative(kube, change, ref, ext, namespace, steps);
  else await applyWorkload(kube, crds, change, ref, ext, namespace, steps, settingsService);
  return { done: steps.done };
}
