// Container-backed replicas (Compose services and scalectl-managed containers): listing them by
// label, their fingerprint, and the engine steps that create, start, update and stop them.
import { createHash } from 'node:crypto';
import type Docker from 'dockerode';

// One replica container as the engine lists it.
export interface Replica {
  id: string;
  name: string;
  number: number;
  state: string;
  /** Running (or paused/restarting): counts towards `replicas`. */
  live: boolean;
}

const LIVE_STATES = new Set(['running', 'restarting', 'paused']);

// The containers carrying all of `labels` (key=value), sorted by their number label.
export async function listReplicas(docker: Docker, labels: string[], numberLabel: string): Promise<Replica[]> {
  const containers = await docker.listContainers({ all: true, filters: { label: labels } });
  return containers
    .map((c) => ({
      id: c.Id,
      name: (c.Names?.[0] ?? c.Id).replace(/^\//, ''),
      number: Number.parseInt(c.Labels?.[numberLabel] ?? '', 10) || 0,
      state: c.State,
      live: LIVE_STATES.has(c.State),
    }))
    .sort((a, b) => a.number - b.number || a.name.localeCompare(b.name));
}

// Ids and states of the replicas: equal for two reads of an unchanged target, also when there are none.
export function replicasFingerprint(replicas: Replica[]): string {
  const lines = replicas.map((r) => `${r.id}:${r.state}`).sort();
  return `containers:${replicas.length}:${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 24)}`;
}

// NanoCPUs and memory bytes of one container (a CPU quota counts as its NanoCPUs).
export async function containerLimits(docker: Docker, id: string): Promise<{ nanoCpus: number; memory: number }> {
  const info = await docker.getContainer(id).inspect();
  const host = info.HostConfig as { NanoCpus?: number; CpuQuota?: number; CpuPeriod?: number; Memory?: number };
  let nanoCpus = host.NanoCpus ?? 0;
  if (!nanoCpus && host.CpuQuota && host.CpuQuota > 0) nanoCpus = Math.round((host.CpuQuota / (host.CpuPeriod || 100_000)) * 1e9);
  return { nanoCpus, memory: host.Memory ?? 0 };
}

// The create body of a new replica: a copy of `source` (an inspected container) with new name/labels.
export function cloneConfig(
  source: Docker.ContainerInspectInfo,
  name: string,
  labels: Record<string, string>,
): Docker.ContainerCreateOptions {
  const config = source.Config;
  const host = { ...(source.HostConfig as Record<string, unknown>) };
  // Engine-assigned or per-container values that must not be copied.
  for (const key of ['ContainerIDFile', 'Links']) delete host[key];
  const networkMode = String(host.NetworkMode ?? '');
  const endpoints: Record<string, { Aliases?: string[]; IPAMConfig?: unknown; Links?: string[] }> = {};
  if (!['none', 'host', 'default', 'bridge', ''].includes(networkMode) && !networkMode.startsWith('container:')) {
    for (const [network, settings] of Object.entries(source.NetworkSettings?.Networks ?? {})) {
      const s = settings as { Aliases?: string[] | null };
      // Container-id aliases belong to the source; service aliases carry over.
      const aliases = (s.Aliases ?? []).filter((alias) => !source.Id.startsWith(alias) && alias !== source.Config.Hostname);
      endpoints[network] = aliases.length ? { Aliases: aliases } : {};
    }
  }
  return {
    name,
    Image: config.Image,
    Cmd: config.Cmd ?? undefined,
    Entrypoint: (config.Entrypoint as string[] | null) ?? undefined,
    Env: config.Env ?? undefined,
    WorkingDir: config.WorkingDir || undefined,
    User: config.User || undefined,
    Labels: { ...(config.Labels ?? {}), ...labels },
    ExposedPorts: config.ExposedPorts,
    Volumes: config.Volumes,
    StopSignal: (config as { StopSignal?: string }).StopSignal,
    StopTimeout: (config as { StopTimeout?: number }).StopTimeout,
    Healthcheck: (config as { Healthcheck?: Docker.ContainerCreateOptions['Healthcheck'] }).Healthcheck,
    Tty: config.Tty,
    OpenStdin: config.OpenStdin,
    HostConfig: host as Docker.ContainerCreateOptions['HostConfig'],
    NetworkingConfig: Object.keys(endpoints).length ? { EndpointsConfig: endpoints as never } : undefined,
  };
}

// Sets the desired limits on a create body (unlimited swap, so a later `docker update` may raise memory).
export function withLimits(body: Docker.ContainerCreateOptions, nanoCpus?: number, memory?: number): Docker.ContainerCreateOptions {
  const host = { ...(body.HostConfig ?? {}) } as Record<string, unknown>;
  if (nanoCpus !== undefined) Object.assign(host, { NanoCpus: nanoCpus, CpuQuota: 0, CpuPeriod: 0 });
  if (memory !== undefined) Object.assign(host, { Memory: memory, MemorySwap: -1 });
  return { ...body, HostConfig: host as Docker.ContainerCreateOptions['HostConfig'] };
}

// `docker update` of one container's cpu/memory.
export async function updateLimits(docker: Docker, id: string, nanoCpus?: number, memory?: number): Promise<void> {
  const body: Record<string, number> = {};
  if (nanoCpus !== undefined) Object.assign(body, { NanoCpus: nanoCpus, CpuQuota: 0, CpuPeriod: 0 });
  if (memory !== undefined) Object.assign(body, { Memory: memory, MemorySwap: -1 });
  await docker.getContainer(id).update(body);
}

// SIGTERM, up to `graceSeconds`, then SIGKILL; then removes the container unless `keep`.
export async function stopReplica(docker: Docker, id: string, graceSeconds: number, keep: boolean, removeVolumes: boolean): Promise<void> {
  const container = docker.getContainer(id);
  try {
    await container.stop({ t: graceSeconds });
  } catch (error) {
    // 304: already stopped; 404: already gone (idempotent re-runs).
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 404 && !keep) return;
    if (status !== 304) throw error;
  }
  if (keep) return;
  try {
    await container.remove({ v: removeVolumes, force: true });
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
}
