// A snapshot in scaling.yaml's vocabulary: the live ServiceSpec, instances, details and warnings.
import type { ObservedTarget } from '../contract.js';
import type { Resources, ServiceSpec } from '../../src/config/model.js';
import { autoscaleFromHpa, isOwned, podsMetricName, TOLERANCE_ANNOTATION } from './hpa.js';
import { autoscaleFromScaledObject } from './keda.js';
import { rememberedLine, withRemembered } from './dropped.js';
import { specFromKnative } from './knative.js';
import { unsupportedKeys } from './limits.js';
import { FIELD_MANAGER } from './client.js';
import { fingerprintOf, type Snapshot } from './observe.js';
import { inDesiredSpelling } from './quantity.js';
import { wantsKeda, type Extensions } from './target.js';

type Obj = Record<string, any>;

// The container whose resources scalectl manages (x-kubernetes.container, else the first).
export function containerOf(podSpec: Obj | undefined, ext: Extensions): Obj | undefined {
  const containers: Obj[] = podSpec?.containers ?? [];
  return ext.container ? containers.find((c) => c.name === ext.container) : containers[0];
}

// Only the keys the file manages are reported: what it does not mention is left alone.
function resourcesOf(podSpec: Obj | undefined, ext: Extensions, desired: Resources | undefined): Resources | undefined {
  const requests = containerOf(podSpec, ext)?.resources?.requests ?? {};
  const out: Resources = {};
  const cpu = inDesiredSpelling(requests.cpu, desired?.cpu);
  const memory = inDesiredSpelling(requests.memory, desired?.memory);
  if (cpu !== undefined && desired && 'cpu' in desired) out.cpu = cpu;
  if (memory !== undefined && desired && 'memory' in desired) out.memory = memory;
  return Object.keys(out).length ? out : undefined;
}

// Whether a backend needs KEDA (kept in target.ts so the engine can ask without the client).
export { wantsKeda } from './target.js';

// The live HPA or ScaledObject with what scalectl wrote for the fields the server dropped put
// back (DROPPED_ANNOTATION), said once as a warning, so every later plan does not ask for them
// again. Objects written by older scalectl versions carry only the tolerance (TOLERANCE_ANNOTATION):
// counted the same way when the server dropped it.
function withDropped(scaler: Obj, label: string, warnings: string[]): Obj {
  const { obj, restored } = withRemembered(scaler);
  const line = rememberedLine(label, restored);
  if (line) warnings.push(line);
  return obj;
}

function keepLegacyTolerance(autoscale: NonNullable<ServiceSpec['autoscale']>, scaler: Obj, label: string, why: string, warnings: string[]): void {
  const written = scaler.metadata?.annotations?.[TOLERANCE_ANNOTATION];
  if (written === undefined || autoscale.behavior?.tolerance !== undefined || autoscale.behavior?.scaleUp?.tolerance !== undefined || autoscale.behavior?.scaleDown?.tolerance !== undefined) return;
  warnings.push(`${label}: the API server dropped behavior tolerance ${written} (${why}) — the cluster-wide tolerance (0.1) applies`);
  autoscale.behavior = { ...autoscale.behavior, tolerance: Number(written) };
}

// Managers that write spec.replicas as part of scaling it: scalectl itself, the HPA controller
// (through /scale) and KEDA's operator.
const SCALERS = new Set([FIELD_MANAGER, 'kube-controller-manager', 'keda-operator']);
const REAPPLIERS = /helm|argocd|flux|kustomize|kubectl-client-side-apply|terraform|pulumi/i;

// Who else owns a workload's spec.replicas (metadata.managedFields): a GitOps tool's server-side
// apply conflicts with scalectl's /scale writes (which own the field since Kubernetes 1.21), and
// its next sync or update sets the count back.
export function otherOwners(workload: Obj, kind: string, name: string): string[] {
  const out: string[] = [];
  for (const entry of (workload.metadata?.managedFields ?? []) as Obj[]) {
    if (SCALERS.has(entry.manager) || entry.fieldsV1?.['f:spec']?.['f:replicas'] === undefined) continue;
    // A one-off create (kubectl-create) owns the field too, but writes it once: only a manager
    // that applies again (server-side apply, or a tool known to re-apply) is worth a warning.
    if (entry.operation !== 'Apply' && !REAPPLIERS.test(entry.manager)) continue;
    const how = entry.operation === 'Apply'
      ? 'server-side apply: its next apply conflicts with scalectl, or with --force-conflicts sets the count back'
      : 'its last update wrote it: its next update may set the count back';
    out.push(`${kind}/${name} spec.replicas is also managed by "${entry.manager}" (${how}) — remove replicas from that tool's manifest so one owner decides the count`);
  }
  return out;
}

// The ObservedTarget for a snapshot, read against the desired spec (for spelling and defaults).
export function observedOf(snap: Snapshot, desired: ServiceSpec, ext: Extensions, context: string): ObservedTarget {
  const wantsRouting = desired.routing !== undefined;
  const fingerprint = fingerprintOf(snap, wantsRouting);
  const { ref, workload } = snap;
  const where = `${ref.kind}/${ref.name} in namespace ${snap.namespace} (context ${context})`;
  const details: Record<string, string | number | boolean> = { namespace: snap.namespace, keda: snap.crds.keda, knative: snap.crds.knative };
  const scheduleNames = (desired.autoscale?.schedules ?? []).map((s) => s.name).join(',');
  if (scheduleNames) details.schedules = scheduleNames;
  if (desired.autoscale) details.backend = ref.kind === 'ksvc' ? 'knative' : snap.crds.keda && wantsKeda(desired) ? 'keda' : 'hpa';
  const cannot = unsupportedKeys(ref.kind, desired, details.backend === 'keda');
  if (cannot.length) details.unsupported = cannot.join(', ');
  if (!workload) {
    const error = ref.kind === 'ksvc' && !snap.crds.knative
      ? `Knative Serving (serving.knative.dev/v1) is not installed, so ${where} cannot exist — install Knative Serving or target a deployment`
      : `${where} not found — check target: and namespace (scalectl scales existing workloads; create it first)`;
    return { exists: false, fingerprint, spec: {}, details, error };
  }
  const warnings: string[] = [];
  let spec: ServiceSpec = {};
  const podSpec = workload.spec?.template?.spec;
  if (ref.kind === 'ksvc') {
    spec = specFromKnative(workload, desired);
    details.revision = workload.status?.latestReadyRevisionName ?? '';
  } else {
    if (snap.so) {
      spec.autoscale = autoscaleFromScaledObject(withDropped(snap.so, `ScaledObject ${snap.so.metadata.name}`, warnings), desired.autoscale);
      keepLegacyTolerance(spec.autoscale, snap.so, `ScaledObject ${snap.so.metadata.name}`, "this KEDA's ScaledObject schema has no behavior tolerance (KEDA built on the Kubernetes API before 1.33)", warnings);
      details.scaledObject = snap.so.metadata.name;
      details.owner = isOwned(snap.so) ? 'scalectl' : 'other';
    } else if (snap.hpa) {
      spec.autoscale = autoscaleFromHpa(withDropped(snap.hpa, `HPA ${snap.hpa.metadata.name}`, warnings), desired.autoscale, ext);
      keepLegacyTolerance(spec.autoscale, snap.hpa, `HPA ${snap.hpa.metadata.name}`, 'it needs Kubernetes ≥ 1.33 with the HPAConfigurableTolerance feature gate', warnings);
      if (workload.spec?.replicas === 0 && (snap.hpa.spec?.minReplicas ?? 1) > 0) {
        warnings.push(`HPA ${snap.hpa.metadata.name} does not scale ${ref.kind}/${ref.name}: it is at 0 replicas, and the HPA controller leaves a workload at 0 alone ("scaling is disabled since the replica count of the target is zero") — scale it to ${snap.hpa.spec?.minReplicas ?? 1} (kubectl scale ${ref.kind}/${ref.name} --replicas=${snap.hpa.spec?.minReplicas ?? 1}) or set replicas in scaling.yaml`);
      }
      details.hpa = snap.hpa.metadata.name;
      details.owner = isOwned(snap.hpa) ? 'scalectl' : 'other';
    } else spec.replicas = workload.spec?.replicas ?? 1;
    const scaler = snap.so ?? snap.hpa;
    if (scaler && !isOwned(scaler) && !ext.adopt) {
      warnings.push(`${scaler.kind ?? (snap.so ? 'ScaledObject' : 'HorizontalPodAutoscaler')} ${scaler.metadata.name} scales ${ref.kind}/${ref.name} but was not created by scalectl: apply leaves it alone unless x-kubernetes.adopt: true`);
    }
    if (desired.replicas !== undefined || desired.autoscale) warnings.push(...otherOwners(workload, ref.kind, ref.name));
    const service = snap.service;
    if (wantsRouting && service) spec.routing = { affinity: service.spec?.sessionAffinity === 'ClientIP' ? 'sticky' : 'none' };
    if (wantsRouting && !service) warnings.push(`Service ${snap.serviceName} not found in namespace ${snap.namespace}: routing needs it (set x-kubernetes.service)`);
  }
  const resources = resourcesOf(podSpec, ext, desired.resources);
  if (resources) spec.resources = resources;
  for (const metric of desired.autoscale?.metrics ?? []) {
    if (ref.kind === 'ksvc') break;
    const useKeda = snap.crds.keda && wantsKeda(desired);
    if ((metric.type === 'rps' || metric.type === 'concurrency') && !useKeda) {
      warnings.push(`${metric.type} becomes an HPA Pods metric "${podsMetricName(metric.type, ext)}": a custom metrics adapter (e.g. prometheus-adapter) must serve it`);
    }
    if ((metric.type === 'queue' || metric.type === 'external') && !snap.crds.keda) {
      warnings.push(`${metric.type} becomes an HPA External metric: without KEDA an external metrics adapter must serve it`);
    }
  }
  if (details.backend === 'keda') {
    for (const schedule of desired.autoscale?.schedules ?? []) {
      if (schedule.min !== undefined && schedule.min < desired.autoscale!.min) {
        warnings.push(`schedule ${schedule.name}: min ${schedule.min} is below autoscale.min ${desired.autoscale!.min} — a KEDA cron trigger only raises the minimum, so this window changes nothing`);
      }
    }
  }
  if (desired.autoscale?.min === 0 && ref.kind !== 'ksvc' && !snap.crds.keda) {
    warnings.push('autoscale.min: 0 needs KEDA (or the HPAScaleToZero feature gate): the HPA will refuse minReplicas 0');
  }
  const replicas = ref.kind === 'ksvc' ? undefined : workload.spec?.replicas;
  const instances = replicas === undefined ? undefined : { desired: replicas, ready: workload.status?.readyReplicas ?? 0 };
  return { exists: true, fingerprint, spec, ...(instances ? { instances } : {}), details, ...(warnings.length ? { warnings } : {}) };
}
