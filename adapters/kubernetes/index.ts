// The Kubernetes adapter: Deployments and StatefulSets (/scale, HPA autoscaling/v2, KEDA
// ScaledObjects) and Knative Services. @kubernetes/client-node loads on first use only.
import { defineAdapter, type Adapter, type ObservedTarget, type TargetRequest } from '../contract.js';
import { AdapterError, ScalectlError } from '../../src/errors.js';
import type { ScaleEvent } from '../../src/autoscale/events.js';
import type { Kube } from './client.js';
import { capabilitiesFor } from './capabilities.js';
import type { Crds } from './observe.js';
import { extensionsOf, parseTargetRef, targetError } from './target.js';

// Why a cluster before 1.23 cannot be managed: it serves no autoscaling/v2 for HPAs.
function oldCluster(kube: Kube, crds: Crds): string {
  return `the API server at ${kube.server} (context ${kube.contextName}) runs Kubernetes ${crds.serverVersion ?? 'older than 1.23'}, which does not serve autoscaling/v2 (GA in 1.23): scalectl reads and writes HPAs through it — upgrade the cluster to 1.23 or later`;
}

// The adapter factory the registry loads for `adapter: kubernetes`.
export default defineAdapter((ctx) => {
  let connection: Promise<{ kube: Kube; crds: Crds }> | undefined;
  const settingsService = typeof ctx.provider.settings.service === 'string' ? ctx.provider.settings.service : undefined;
  // Connects once: kubeconfig, client, discovery of the KEDA / Knative APIs.
  const connected = () => {
    connection ??= (async () => {
      const { connect } = await import('./client.js');
      const { discoverCrds } = await import('./observe.js');
      const kube = await connect(ctx);
      ctx.debug(`kubernetes: context ${kube.contextName}, server ${kube.server}, namespace ${kube.namespace}`);
      const crds = await discoverCrds(kube);
      ctx.debug(`kubernetes: KEDA ${crds.keda ? 'present' : 'absent'}, Knative Serving ${crds.knative ? 'present' : 'absent'}`);
      return { kube, crds };
    })();
    connection.catch(() => { connection = undefined; });
    return connection;
  };

  const adapter: Adapter & { events(target: string, extensions: Record<string, unknown>): Promise<ScaleEvent[]> } = {
    name: 'kubernetes',
    parseTarget: targetError,
    capabilities(target, observed) {
      return capabilitiesFor(targetError(target) ? undefined : parseTargetRef(target).kind, observed);
    },
    async read(requests: TargetRequest[], options): Promise<ObservedTarget[]> {
      if (requests.length === 0) return [];
      const { kube, crds } = await connected();
      const { readersFor } = await import('./observe.js');
      const { observedOf } = await import('./spec.js');
      const items = requests.map((request) => {
        const ext = extensionsOf(request.extensions);
        return { request, ext, ref: parseTargetRef(request.target), namespace: ext.namespace ?? kube.namespace };
      });
      const readers = readersFor(kube, crds, items.map((i) => i.namespace));
      let unreachable: Error | undefined;
      const results = await Promise.all(items.map(async ({ request, ext, ref, namespace }): Promise<ObservedTarget> => {
        if (options.signal.aborted) throw new AdapterError('kubernetes', 'interrupted while reading');
        const wantsRouting = request.desired.routing !== undefined;
        const site = { verb: 'read', object: `${ref.kind}/${ref.name}`, namespace };
        if (ref.kind !== 'ksvc' && !crds.autoscalingV2) {
          return { exists: false, fingerprint: `k8s:${namespace}:unreadable`, spec: {}, error: oldCluster(kube, crds) };
        }
        const attempt = () => readers.get(namespace)!.snapshot(ref, ext, settingsService, wantsRouting);
        try {
          // Reads are safe to repeat: one more try when the failure was transient (a reset keep-alive socket, a 503).
          const snap = await attempt().catch((error) => {
            const failure = kube.fail(error, site);
            if (AdapterError.isAdapterError(failure) && failure.retryable) return attempt();
            throw error;
          });
          return observedOf(snap, request.desired, ext, kube.contextName);
        } catch (error) {
          const failure = kube.fail(error, site);
          if (ScalectlError.is(failure) && /cannot reach|rejected the credentials/.test(failure.message)) unreachable = failure;
          return { exists: false, fingerprint: `k8s:${namespace}:unreadable`, spec: {}, error: failure.message };
        }
      }));
      if (unreachable && results.every((r) => r.error)) throw unreachable;
      return results;
    },
    // Not in the contract: `scalectl events` asks for it (the HPA's conditions, the target's Events).
    async events(target: string, extensions: Record<string, unknown>) {
      const { kube } = await connected();
      const { clusterEvents } = await import('./events.js');
      return clusterEvents(kube, target, extensions);
    },
    async apply(change, options) {
      const { kube, crds } = await connected();
      if (parseTargetRef(change.target).kind !== 'ksvc' && !crds.autoscalingV2) throw new AdapterError('kubernetes', oldCluster(kube, crds));
      const { applyChange } = await import('./apply.js');
      return applyChange(kube, crds, change, options, settingsService);
    },
    async close() {
      if (!connection) return;
      const current = connection;
      connection = undefined;
      try {
        (await current).kube.close();
      } catch {
        // connecting failed: nothing to release
      }
    },
  };
  return adapter;
});
