// `plan --emit <dir>`: the HPA / ScaledObject / patch manifests for GitOps, rendered from the
// desired state alone (no cluster). A workload patch is a strategic-merge patch (kustomize style).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { ServiceSpec } from '../../src/config/model.js';
import type { Capabilities } from '../contract.js';
import { AdapterError } from '../../src/errors.js';
import { renderHpa } from './hpa.js';
import { renderScaledObject } from './keda.js';
import { capabilitiesFor } from './capabilities.js';
import { unsupportedKeys } from './limits.js';
import { knativeTemplate } from './knative.js';
import { extractTriggerAuth } from './trigger-auth.js';
import { wantsKeda } from './spec.js';
import { extensionsOf, parseTargetRef, targetError } from './target.js';

type Obj = Record<string, any>;

// One service to render.
export interface EmitRequest { service: string; target: string; desired: ServiceSpec; extensions: Record<string, unknown> }

function resourcesBlock(desired: ServiceSpec): Obj | undefined {
  const r = desired.resources;
  if (!r) return undefined;
  return {
    requests: { ...(r.cpu ? { cpu: r.cpu } : {}), ...(r.memory ? { memory: r.memory } : {}) },
    ...(r.memory ? { limits: { memory: r.memory } } : {}),
  };
}

// The manifests of one service, as [file name, document, comment].
export function manifestsFor(request: EmitRequest, settings: Record<string, unknown>): [string, Obj, string][] {
  const error = targetError(request.target);
  if (error) throw new AdapterError('kubernetes', `service ${request.service}: ${error}`);
  const ref = parseTargetRef(request.target);
  const ext = extensionsOf(request.extensions);
  // Without x-kubernetes.namespace or settings.namespace, `kubectl apply -n` decides.
  const namespace = ext.namespace ?? (typeof settings.namespace === 'string' ? settings.namespace : undefined);
  const meta = (name: string) => ({ name, ...(namespace ? { namespace } : {}) });
  const { desired, service } = request;
  const out: [string, Obj, string][] = [];
  const resources = resourcesBlock(desired);
  const container = ext.container ?? (ref.kind === 'ksvc' ? 'user-container' : ref.name);
  if (ref.kind === 'ksvc') {
    const t = knativeTemplate(desired);
    const annotations = Object.fromEntries(Object.entries(t.annotations).filter(([, v]) => v !== null));
    const spec: Obj = { containerConcurrency: t.containerConcurrency };
    if (t.timeoutSeconds !== undefined) spec.timeoutSeconds = t.timeoutSeconds;
    if (resources) spec.containers = [{ name: container, resources }];
    out.push([`${service}-ksvc-patch.yaml`, { apiVersion: ref.apiVersion, kind: ref.apiKind, metadata: meta(ref.name), spec: { template: { metadata: { annotations }, spec } } }, 'patch for the Knative Service (revision template)']);
    return out;
  }
  const workloadSpec: Obj = {};
  if (!desired.autoscale && desired.replicas !== undefined) workloadSpec.replicas = desired.replicas;
  if (resources) workloadSpec.template = { spec: { containers: [{ name: container, resources }] } };
  if (Object.keys(workloadSpec).length) {
    const note = desired.autoscale ? 'strategic-merge patch; remove spec.replicas from the base manifest so the autoscaler owns it' : 'strategic-merge patch for the workload';
    out.push([`${service}-${ref.kind}-patch.yaml`, { apiVersion: ref.apiVersion, kind: ref.apiKind, metadata: meta(ref.name), spec: workloadSpec }, note]);
  }
  if (desired.autoscale) {
    const keda = settings.keda === true || (settings.keda !== false && wantsKeda(desired));
    try {
      const doc = keda ? renderScaledObject(ref, service, namespace ?? '', desired.autoscale) : renderHpa(ref, service, namespace ?? '', desired.autoscale, ext);
      if (!namespace) delete doc.metadata.namespace;
      if (keda) {
        // Credentials never go inline: a TriggerAuthentication reads them from a Secret the user makes.
        const auth = extractTriggerAuth(doc, service);
        out.push([`${service}-scaledobject.yaml`, doc, 'KEDA ScaledObject (needs KEDA in the cluster)']);
        auth.documents.forEach((document, i) => {
          const secret = auth.secrets[i];
          const create = `kubectl create secret generic ${secret.name}${namespace ? ` -n ${namespace}` : ''} ${secret.keys.map((k) => `--from-literal=${k}=…`).join(' ')}`;
          out.push([`${secret.name}-triggerauthentication.yaml`, document, `KEDA TriggerAuthentication; the credential stays out of git: create the Secret with \`${create}\` (the value from scaling.yaml)`]);
        });
      }
      else out.push([`${service}-hpa.yaml`, doc, 'HorizontalPodAutoscaler autoscaling/v2']);
    } catch (e) {
      throw new AdapterError('kubernetes', `service ${service}: ${(e as Error).message}`);
    }
  }
  if (desired.routing?.affinity) {
    const name = ext.service ?? (typeof settings.service === 'string' ? settings.service : ref.name);
    out.push([`${service}-service-patch.yaml`, { apiVersion: 'v1', kind: 'Service', metadata: meta(name), spec: { sessionAffinity: desired.routing.affinity === 'sticky' ? 'ClientIP' : 'None' } }, 'patch for the Service in front of the workload']);
  }
  return out;
}

// What the emitted manifests can express for one service: the capabilities plan would use,
// with KEDA chosen as emit chooses it (so the CLI can refuse fields instead of dropping them).
export function emitCapabilities(request: EmitRequest, settings: Record<string, unknown>): Capabilities {
  if (targetError(request.target)) return { fields: {} };
  const ref = parseTargetRef(request.target);
  const keda = settings.keda === true || (settings.keda !== false && wantsKeda(request.desired));
  const details: Record<string, string | number | boolean> = { keda };
  const schedules = (request.desired.autoscale?.schedules ?? []).map((s) => s.name).join(',');
  if (schedules) details.schedules = schedules;
  if (request.desired.autoscale) details.backend = ref.kind === 'ksvc' ? 'knative' : keda ? 'keda' : 'hpa';
  const cannot = unsupportedKeys(ref.kind, request.desired, details.backend === 'keda');
  if (cannot.length) details.unsupported = cannot.join(', ');
  return capabilitiesFor(ref.kind, { exists: false, fingerprint: '', spec: {}, details });
}

// Writes every service's manifests under `dir` and returns the files' paths.
export async function emitManifests(requests: EmitRequest[], settings: Record<string, unknown>, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const request of requests) {
    for (const [file, doc, note] of manifestsFor(request, settings)) {
      const path = join(dir, file);
      await writeFile(path, `# generated by scalectl plan --emit (service ${request.service}): ${note}\n${stringify(doc)}`);
      paths.push(path);
    }
  }
  return paths;
}
