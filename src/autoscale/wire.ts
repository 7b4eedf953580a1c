// Builds the loop's services from a project: the engine policy and one source per metric
// (queue/external: the `source` block; cpu/memory on Docker targets: Docker Engine stats).
import type Docker from 'dockerode';
import type { Adapter } from '../../adapters/contract.js';
import type { MetricSource, SourceContext } from '../../adapters/sources/types.js';
import type { ProviderConfig, ServiceConfig } from '../config/model.js';
import { platformOf } from '../simulate/platform.js';
import { resolvePolicy } from '../simulate/policy.js';
import type { LoopService } from './evaluate.js';

// Adapters whose platform scales by itself: the loop leaves their services alone.
export const NATIVE_AUTOSCALERS: Record<string, string> = {
  kubernetes: 'Kubernetes scales it (HPA, KEDA or Knative from `scalectl apply`)',
};

export interface WireOptions {
  env: NodeJS.ProcessEnv;
  configDir: string;
  /** One source read gives up after this long (default: half the interval, at most 10 s). */
  timeoutMs?: number;
}

// Why a service is not driven by the loop, or undefined when it is.
export function skipReason(service: ServiceConfig, adapterName: string): string | undefined {
  if (!service.spec.autoscale) return 'fixed replicas: nothing to autoscale';
  return NATIVE_AUTOSCALERS[adapterName];
}

// The loop's view of each service, sources opened.
export async function wireServices(
  services: ServiceConfig[],
  adapters: Map<string, Adapter>,
  providers: Record<string, ProviderConfig>,
  options: WireOptions,
): Promise<LoopService[]> {
  const { openSource } = await import('../../adapters/sources/index.js');
  const dockers = new Map<string, Promise<Docker>>();
  const dockerFor = async (provider: ProviderConfig): Promise<Docker> => {
    let pending = dockers.get(provider.name);
    if (!pending) {
      const { connect, resolveAddress } = await import('../../adapters/docker/client.js');
      pending = connect(resolveAddress(provider.settings.host, options.env), 30_000);
      dockers.set(provider.name, pending);
    }
    return pending;
  };
  return Promise.all(
    services.map(async (service): Promise<LoopService> => {
      const adapter = adapters.get(service.provider)!;
      // The semantics of the platform the count lands on (docker or mock), as simulate uses for it.
      const policy = resolvePolicy(service, platformOf(adapter.name, service));
      const context: SourceContext = { env: options.env, configDir: options.configDir, timeoutMs: options.timeoutMs ?? Math.min(10_000, Math.max(1000, policy.intervalMs / 2)) };
      const declared = service.spec.autoscale?.metrics ?? [];
      const notLive = new Set<number>();
      const sources = await Promise.all(
        policy.metrics.map(async (resolved, index): Promise<MetricSource | string> => {
          const metric = declared.find((m) => m.type === resolved.type)!;
          try {
            if (metric.type === 'cpu' || metric.type === 'memory') {
              if (adapter.name !== 'docker') {
                notLive.add(index);
                return `no ${metric.type} source on the ${adapter.name} provider (scalectl reads cpu/memory from Docker stats)`;
              }
              const { parseDockerTarget } = await import('../../adapters/docker/target.js');
              const { dockerStatsSource } = await import('../../adapters/sources/docker-stats.js');
              const target = parseDockerTarget(service.target);
              if (typeof target === 'string') return target;
              return dockerStatsSource(await dockerFor(providers[service.provider]), service.target, target, metric.type);
            }
            if (metric.type === 'concurrency' || metric.type === 'rps') {
              notLive.add(index);
              return adapter.name === 'mock'
                ? `no requests reach the mock cloud, so ${metric.type} is not measured live (scalectl simulate plays it against a load curve); to drive it live, measure it with Prometheus and use an external metric`
                : `${metric.type} needs a proxy counting requests; scalectl reads none: measure it with Prometheus and use an external metric`;
            }
            return openSource(metric, context);
          } catch (error) {
            return (error as Error).message;
          }
        }),
      );
      return { service, adapter, policy, sources, ...(notLive.size > 0 ? { notLive } : {}) };
    }),
  );
}

// Closes the sources that keep connections.
export async function closeSources(services: LoopService[]): Promise<void> {
  await Promise.all(services.flatMap((s) => s.sources.map((source) => (typeof source === 'string' ? undefined : source.close?.().catch(() => undefined)))));
}
