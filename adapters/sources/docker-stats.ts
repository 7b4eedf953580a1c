// Docker Engine stats for cpu/memory metrics on Docker targets: each running replica's usage
// relative to its own limit (NanoCpus or CpuQuota/CpuPeriod; Memory), averaged as the HPA does
// (sum of usage over sum of limits), reported as the total the engine expects (that average ×
// the replicas measured). Memory usage excludes the page cache, as `docker stats` shows it.
import type Docker from 'dockerode';
import { COMPOSE } from '../docker/compose.js';
import { MANAGED } from '../docker/managed.js';
import type { DockerTarget } from '../docker/target.js';
import { SourceError, type MetricSource } from './types.js';

// Label filters selecting the running containers of a target.
export function replicaLabels(target: DockerTarget): string[] {
  if (target.kind === 'compose') return [`${COMPOSE.project}=${target.project}`, `${COMPOSE.service}=${target.service}`, `${COMPOSE.oneoff}=False`];
  if (target.kind === 'swarm') return [`com.docker.swarm.service.name=${target.name}`];
  return [`${MANAGED.group}=${target.name}`];
}

interface Sample { usage: number; limit: number }

// One container's cpu usage (cores) and limit (cores), from a non-streamed stats answer (which
// carries the previous sample too, about a second apart).
function cpuSample(stats: any, host: { NanoCpus?: number; CpuQuota?: number; CpuPeriod?: number }): Sample | string {
  const limit = host.NanoCpus ? host.NanoCpus / 1e9 : host.CpuQuota && host.CpuQuota > 0 ? host.CpuQuota / (host.CpuPeriod || 100_000) : 0;
  if (!(limit > 0)) return 'has no CPU limit (set resources.cpu so utilisation has a base)';
  const cpuDelta = (stats.cpu_stats?.cpu_usage?.total_usage ?? 0) - (stats.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (stats.cpu_stats?.system_cpu_usage ?? 0) - (stats.precpu_stats?.system_cpu_usage ?? 0);
  const cpus = stats.cpu_stats?.online_cpus || stats.cpu_stats?.cpu_usage?.percpu_usage?.length || 1;
  if (!(systemDelta > 0)) return 'gave no CPU sample yet';
  return { usage: Math.max(0, cpuDelta / systemDelta) * cpus, limit };
}

function memorySample(stats: any, host: { Memory?: number }): Sample | string {
  const limit = host.Memory ?? 0;
  if (!(limit > 0)) return 'has no memory limit (set resources.memory so utilisation has a base)';
  const usage = stats.memory_stats?.usage;
  if (typeof usage !== 'number') return 'gave no memory sample';
  const s = stats.memory_stats?.stats ?? {};
  const cache = s.inactive_file ?? s.total_inactive_file ?? s.cache ?? 0;
  return { usage: Math.max(0, usage - cache), limit };
}

// The cpu or memory source of one Docker target.
export function dockerStatsSource(docker: Docker, targetText: string, target: DockerTarget, metric: 'cpu' | 'memory'): MetricSource {
  const describe = `docker stats (${metric}) of ${targetText}`;
  return {
    describe,
    async read() {
      let containers: Docker.ContainerInfo[];
      try {
        containers = await docker.listContainers({ filters: { label: replicaLabels(target), status: ['running'] } });
      } catch (error) {
        throw new SourceError(`${describe}: the engine did not list the replicas (${(error as Error).message.split('\n')[0]})`, { cause: error });
      }
      if (containers.length === 0) throw new SourceError(`${describe}: no running replica to measure`);
      const samples = await Promise.all(
        containers.map(async (c): Promise<Sample | string> => {
          try {
            const container = docker.getContainer(c.Id);
            const [stats, info] = await Promise.all([container.stats({ stream: false }), container.inspect()]);
            return metric === 'cpu' ? cpuSample(stats, info.HostConfig as object) : memorySample(stats, info.HostConfig as object);
          } catch (error) {
            return `could not be measured (${(error as Error).message.split('\n')[0]})`;
          }
        }),
      );
      const problems = samples.map((s, i) => (typeof s === 'string' ? `${(c => c.Names?.[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12))(containers[i])} ${s}` : undefined)).filter(Boolean);
      const measured = samples.filter((s): s is Sample => typeof s !== 'string');
      // No limit anywhere is a configuration problem; some replicas unmeasured: HPA averages those it has.
      if (measured.length === 0) throw new SourceError(`${describe}: ${problems.join('; ')}`);
      const usage = measured.reduce((n, s) => n + s.usage, 0);
      const limit = measured.reduce((n, s) => n + s.limit, 0);
      return (usage / limit) * 100 * measured.length;
    },
  };
}
