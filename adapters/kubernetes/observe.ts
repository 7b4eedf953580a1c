// Fetches the objects behind targets (workload, HPA, ScaledObject, Service) with as few calls as
// possible: one list per kind and namespace when many targets share a namespace.
import { createHash } from 'node:crypto';
import type { Kube } from './client.js';
import { statusOf } from './client.js';
import { AdapterError } from '../../src/errors.js';
import type { Extensions, TargetRef } from './target.js';

type Obj = Record<string, any>;

// Which optional APIs the cluster serves (from discovery), and whether it has autoscaling/v2
// (GA in Kubernetes 1.23; older servers only serve v1 and v2beta*, so no HPA can be read).
export interface Crds { keda: boolean; knative: boolean; autoscalingV2: boolean; serverVersion?: string }

// Everything observed about one target.
export interface Snapshot {
  ref: TargetRef;
  namespace: string;
  serviceName: string;
  workload?: Obj;
  /** The HPA scaling this target (not KEDA's own), and the ScaledObject scaling it. */
  hpa?: Obj;
  so?: Obj;
  service?: Obj;
  crds: Crds;
}

// Where KEDA ScaledObjects and Knative Services live (CustomObjectsApi coordinates).
export const KEDA = { group: 'keda.sh', version: 'v1alpha1', plural: 'scaledobjects' };
export const KNATIVE = { group: 'serving.knative.dev', version: 'v1', plural: 'services' };
// Above this many targets in one namespace, list instead of getting one by one.
const LIST_THRESHOLD = 8;

// Asks discovery which CRD groups exist.
export async function discoverCrds(kube: Kube): Promise<Crds> {
  try {
    // The first argument is the (empty) request: options passed there would be ignored, and
    // discovery would run without the provider's timeout.
    const groups = await kube.apis.getAPIVersions({}, kube.options());
    const has = (name: string, version: string) => groups.groups.some((g) => g.name === name && g.versions.some((v) => v.version === version));
    const autoscalingV2 = has('autoscaling', 'v2');
    // Only an old server needs its version named (the error says which one it is).
    const serverVersion = autoscalingV2 ? undefined : (await kube.version.getCode({}, kube.options())).gitVersion;
    return { keda: has(KEDA.group, KEDA.version), knative: has(KNATIVE.group, KNATIVE.version), autoscalingV2, serverVersion };
  } catch (error) {
    const e = error as { name?: string; type?: string };
    if (e.name === 'AbortError' || e.type === 'aborted') {
      throw new AdapterError('kubernetes', `timed out after ${kube.timeoutMs} ms connecting to the Kubernetes API at ${kube.server} (context ${kube.contextName}): it did not answer discovery — check that the cluster is up, or raise providers.${kube.providerName}.timeout`, { retryable: true, cause: error });
    }
    throw kube.fail(error, { verb: 'discover APIs of', object: 'the cluster', namespace: kube.namespace });
  }
}

function plain<T>(value: T): Obj {
  return JSON.parse(JSON.stringify(value)) as Obj;
}

const notFoundIsUndefined = async (call: () => Promise<unknown>): Promise<Obj | undefined> => {
  try {
    return plain(await call());
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
};

function targets(obj: Obj, ref: TargetRef): boolean {
  const t = obj.spec?.scaleTargetRef;
  return t?.name === ref.name && (t.kind ?? 'Deployment') === ref.apiKind;
}

function isKedaHpa(hpa: Obj): boolean {
  return hpa.metadata?.name?.startsWith('keda-hpa-') || (hpa.metadata?.ownerReferences ?? []).some((o: Obj) => o.kind === 'ScaledObject');
}

// Reads what one namespace holds for the given targets; lists are shared by every target in it.
export class NamespaceReader {
  private readonly lists = new Map<string, Promise<Obj[]>>();
  constructor(private readonly kube: Kube, readonly namespace: string, private readonly crds: Crds, private readonly many: boolean) {}

  private list(kind: string, call: () => Promise<{ items: unknown[] }>): Promise<Obj[]> {
    if (!this.lists.has(kind)) {
      const pending = call().then((r) => r.items.map(plain));
      pending.catch(() => this.lists.delete(kind)); // a failed list is asked again, not cached
      this.lists.set(kind, pending);
    }
    return this.lists.get(kind)!;
  }

  private async workload(ref: TargetRef): Promise<Obj | undefined> {
    const { kube, namespace } = this;
    const o = kube.options();
    if (ref.kind === 'ksvc') {
      if (!this.crds.knative) return undefined;
      if (this.many) return (await this.list('ksvc', () => kube.custom.listNamespacedCustomObject({ ...KNATIVE, namespace }, o))).find((x) => x.metadata.name === ref.name);
      return notFoundIsUndefined(() => kube.custom.getNamespacedCustomObject({ ...KNATIVE, namespace, name: ref.name }, o));
    }
    if (ref.kind === 'deployment') {
      if (this.many) return (await this.list('deployment', () => kube.apps.listNamespacedDeployment({ namespace }, o))).find((x) => x.metadata.name === ref.name);
      return notFoundIsUndefined(() => kube.apps.readNamespacedDeployment({ name: ref.name, namespace }, o));
    }
    if (this.many) return (await this.list('statefulset', () => kube.apps.listNamespacedStatefulSet({ namespace }, o))).find((x) => x.metadata.name === ref.name);
    return notFoundIsUndefined(() => kube.apps.readNamespacedStatefulSet({ name: ref.name, namespace }, o));
  }

  // Observes one target; throws the client error of the first failed call.
  async snapshot(ref: TargetRef, ext: Extensions, settingsService: string | undefined, wantsRouting: boolean): Promise<Snapshot> {
    const { kube, namespace } = this;
    const o = kube.options();
    const serviceName = ext.service ?? settingsService ?? ref.name;
    const [workload, hpas, sos, service] = await Promise.all([
      this.workload(ref),
      ref.kind === 'ksvc' ? Promise.resolve([]) : this.list('hpa', () => kube.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }, o)),
      ref.kind === 'ksvc' || !this.crds.keda ? Promise.resolve([]) : this.list('so', () => kube.custom.listNamespacedCustomObject({ ...KEDA, namespace }, o) as Promise<{ items: unknown[] }>),
      wantsRouting && ref.kind !== 'ksvc' ? notFoundIsUndefined(() => kube.core.readNamespacedService({ name: serviceName, namespace }, o)) : Promise.resolve(undefined),
    ]);
    const candidates = hpas.filter((h) => targets(h, ref) && !isKedaHpa(h));
    const hpa = candidates.find((h) => h.metadata.name === ref.name) ?? candidates[0];
    const soCandidates = sos.filter((s) => targets(s, ref));
    const so = soCandidates.find((s) => s.metadata.name === ref.name) ?? soCandidates[0];
    return { ref, namespace, serviceName, workload, hpa, so, service, crds: this.crds };
  }
}

// Builds one reader per namespace for a batch of targets.
export function readersFor(kube: Kube, crds: Crds, namespaces: string[]): Map<string, NamespaceReader> {
  const counts = new Map<string, number>();
  for (const ns of namespaces) counts.set(ns, (counts.get(ns) ?? 0) + 1);
  return new Map([...counts].map(([ns, n]) => [ns, new NamespaceReader(kube, ns, crds, n > LIST_THRESHOLD)]));
}

function token(label: string, obj: Obj | undefined): string {
  if (!obj) return `${label}@-`;
  return `${label}@${obj.metadata.resourceVersion}:${obj.metadata.generation ?? 0}`;
}

// Workloads: their generation moves with spec changes only, not with pod readiness (status).
function generationToken(label: string, obj: Obj | undefined): string {
  return obj ? `${label}@g${obj.metadata.generation ?? 0}` : `${label}@-`;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Obj)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

// A short hash of an object's spec (key order ignored). HPAs carry metadata.generation only
// behind a feature gate, and autoscalers rewrite their status every few seconds: the spec is
// what scalectl manages and what a plan saw.
export function specHash(obj: Obj): string {
  return createHash('sha256').update(canonical(obj.spec ?? {})).digest('hex').slice(0, 12);
}

// A workload's spec hash without replicas: what a plan saw while a scaler moved replicas.
export function workloadHash(obj: Obj): string {
  const { replicas: _replicas, ...spec } = obj.spec ?? {};
  return specHash({ spec });
}

function specToken(label: string, obj: Obj | undefined): string {
  return obj ? `${label}@h${specHash(obj)}` : `${label}@-`;
}

// The fingerprint of a snapshot: the generation of the target (its spec hash without replicas
// while a scaler moves them), resourceVersion:generation of its
// Service, a spec hash of its HPA / ScaledObject; "-" marks an absent object.
export function fingerprintOf(snap: Snapshot, wantsRouting: boolean): string {
  const label = `${snap.ref.kind}/${snap.ref.name}`;
  // With an HPA / ScaledObject in charge, replicas move at any time: they are not part of the plan.
  const scaled = snap.workload && snap.ref.kind !== 'ksvc' && (snap.hpa || snap.so);
  const parts = [scaled ? `${label}@h${workloadHash(snap.workload!)}` : generationToken(label, snap.workload)];
  if (snap.ref.kind !== 'ksvc') {
    parts.push(specToken(`hpa/${snap.hpa?.metadata.name ?? snap.ref.name}`, snap.hpa));
    if (snap.crds.keda) parts.push(specToken(`scaledobject/${snap.so?.metadata.name ?? snap.ref.name}`, snap.so));
    if (wantsRouting) parts.push(token(`service/${snap.serviceName}`, snap.service));
  }
  return `k8s:${snap.namespace}:${parts.join(';')}`;
}

// One object as a fingerprint saw it: its name, whether it existed, its resourceVersion
// (Services), generation (targets, Services) or spec hash (HPA, ScaledObject).
export interface Seen { name: string; present: boolean; rv?: string; generation?: number; hash?: string }

// A fingerprint's parts by kind (deployment, statefulset, ksvc, hpa, scaledobject, service).
export function parseFingerprint(fingerprint: string): Map<string, Seen> {
  const out = new Map<string, Seen>();
  const body = fingerprint.split(':').slice(2).join(':');
  for (const part of body.split(';').filter(Boolean)) {
    const [label, value] = part.split('@');
    const [kind, name] = label.split('/');
    if (value === '-') out.set(kind, { name, present: false });
    else if (value.startsWith('g')) out.set(kind, { name, present: true, generation: Number(value.slice(1)) });
    else if (value.startsWith('h')) out.set(kind, { name, present: true, hash: value.slice(1) });
    else {
      const [rv, generation] = value.split(':');
      out.set(kind, { name, present: true, rv, generation: Number(generation) });
    }
  }
  return out;
}
