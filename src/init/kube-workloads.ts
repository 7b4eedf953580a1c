// The Deployments and StatefulSets of a kubeconfig context's namespace, when the cluster answers
// quickly: init proposes them as services. Uses the Kubernetes adapter's connection (loaded lazily).
import { DEFAULT_PROVIDER } from '../config/model.js';

export interface KubeWorkload { name: string; target: string; replicas?: number }
export type KubeLookup = { namespace: string; context: string; workloads: KubeWorkload[] } | { error: string };

// Lists workloads; never throws — an unreachable cluster is an `error` to show, not a failure.
export async function listWorkloads(settings: Record<string, string>, dir: string, env: NodeJS.ProcessEnv, timeout = '3s'): Promise<KubeLookup> {
  try {
    const { connect } = await import('../../adapters/kubernetes/client.js');
    const provider = { ...DEFAULT_PROVIDER, name: 'init', adapter: 'kubernetes', settings: { ...settings, timeout } };
    const kube = await connect({ provider, configDir: dir, env, debug: () => undefined });
    try {
      const site = (object: string) => ({ verb: 'list', object, namespace: kube.namespace });
      const [deployments, statefulSets] = await Promise.all([
        kube.apps.listNamespacedDeployment({ namespace: kube.namespace }, kube.options()).catch((error: unknown) => { throw kube.fail(error, site('deployments')); }),
        kube.apps.listNamespacedStatefulSet({ namespace: kube.namespace }, kube.options()).catch((error: unknown) => { throw kube.fail(error, site('statefulsets')); }),
      ]);
      const byName = (a: { metadata?: { name?: string } }, b: { metadata?: { name?: string } }) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
      const workloads: KubeWorkload[] = [
        ...deployments.items.sort(byName).map((d) => ({ name: d.metadata?.name ?? '', target: `deployment/${d.metadata?.name}`, replicas: d.spec?.replicas })),
        ...statefulSets.items.sort(byName).map((s) => ({ name: s.metadata?.name ?? '', target: `statefulset/${s.metadata?.name}`, replicas: s.spec?.replicas })),
      ].filter((w) => w.name !== '');
      return { namespace: kube.namespace, context: kube.contextName, workloads };
    } finally {
      kube.close();
    }
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0] };
  }
}
