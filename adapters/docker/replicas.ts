// Container-backed replicas (Compose services and scalectl-managed containers): listing them by
// label, their fingerprint, and the engine steps that create, start, update and stop them.
import { createHash } from 'node:crypto';
import type Docker from 'dockerode';

// The limits the engine holds for one container (HostConfig), as scalectl reads and writes them.
export interface ReplicaLimits {
  nanoCpus: number;
  cpuQuota: number;
  cpuPeriod: number;
  memory: number;
}

// One replica container as the engine lists and inspects it.
export interface Replica {
  id: string;
  name: string;
  number: number;
  state: string;
  /** Running (or paused/restarting): counts towards `replicas`. */
  live: boolean;
  /** Seconds since the epoch, as the engine lists it. */
  created?: number;
  /** Compose's `com.docker.compose.config-hash` (which version of the service made it). */
  configHash?: string;
  /** The container's own stop grace (`Config.StopTimeout`, Compose's stop_grace_period). */
  stopTimeout?: number;
  limits?: ReplicaLimits;
}

const LIVE_STATES = new Set(['running', 'restarting', 'paused']);
const CONFIG_HASH = 'com.docker.compose.config-hash';

// The containers carrying all of `labels` (key=value), sorted by their number label, each inspected for its limits.
export async function listReplicas(docker: Docker, labels: string[], numberLabel: string): Promise<Replica[]> {
  const containers = await docker.listContainers({ all: true, filters: { label: labels } });
  const replicas = await Promise.all(
    containers.map(async (c): Promise<Replica | undefined> => {
      let info: Docker.ContainerInspectInfo;
      try {
        info = await docker.getContainer(c.Id).inspect();
      } catch (error) {
        // Removed between the list and the inspect: not a replica any more.
        if ((error as { statusCode?: number }).statusCode === 404) return undefined;
        throw error;
      }
      const host = info.HostConfig as { NanoCpus?: number; CpuQuota?: number; CpuPeriod?: number; Memory?: number };
      const stopTimeout = (info.Config as { StopTimeout?: number | null }).StopTimeout;
      return {
        id: c.Id,
        name: (c.Names?.[0] ?? c.Id).replace(/^\//, ''),
        number: Number.parseInt(c.Labels?.[numberLabel] ?? '', 10) || 0,
        state: c.State,
        live: LIVE_STATES.has(c.State),
        created: c.Created,
        configHash: c.Labels?.[CONFIG_HASH],
        ...(typeof stopTimeout === 'number' ? { stopTimeout } : {}),
        limits: { nanoCpus: host.NanoCpus ?? 0, cpuQuota: host.CpuQuota ?? 0, cpuPeriod: host.CpuPeriod ?? 0, memory: host.Memory ?? 0 },
      };
    }),
  );
  return replicas.filter((r): r is Replica => r !== undefined).sort((a, b) => a.number - b.number || a.name.localeCompare(b.name));
}

// Ids, states and limits of the replicas: equal for two reads of an unchanged target, also when there are none.
export function replicasFingerprint(replicas: Replica[]): string {
  const lines = replicas
    .map((r) => {
      const l = r.limits;
      return `${r.id}:${r.state}` + (l ? `:${l.nanoCpus}:${l.cpuQuota}/${l.cpuPeriod}:${l.memory}` : '');
    })
    .sort();
  return `containers:${replicas.length}:${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 24)}`;
}

// The config-hash of the newest replica (by Created): what Compose would make now; undefined outside Compose.
export function newestHash(replicas: Replica[]): string | undefined {
  const hashed = replicas.filter((r) => r.configHash !== undefined);
  if (!hashed.length) return undefined;
  return [...hashed].sort((a, b) => (b.created ?? 0) - (a.created ?? 0) || b.number - a.number)[0].configHash;
}

// True when a replica was made from an older version of the Compose service than the newest one.
export function isObsolete(replica: Replica, newest: string | undefined): boolean {
  return newest !== undefined && replica.configHash !== undefined && replica.configHash !== newest;
}

// NanoCPUs and memory bytes of one replica (a CPU quota counts as its NanoCPUs).
export function replicaLimits(replica: Replica): { nanoCpus: number; memory: number } {
  const l = replica.limits ?? { nanoCpus: 0, cpuQuota: 0, cpuPeriod: 0, memory: 0 };
  let nanoCpus = l.nanoCpus;
  if (!nanoCpus && l.cpuQuota > 0) nanoCpus = Math.round((l.cpuQuota / (l.cpuPeriod || 100_000)) * 1e9);
  return { nanoCpus, memory: l.memory };
}

// A network a new replica joins after it is created and before it starts (all but its primary one).
export interface ExtraNetwork {
  network: string;
  aliases?: string[];
}

// The create body of a new replica, and the further networks it joins before starting.
export interface ReplicaBody {
  name: string;
  body: Docker.ContainerCreateOptions;
  networks?: ExtraNetwork[];
}

// A new replica copying `source` (an inspected container) with a new name and labels. It is created
// on its primary network only and joins the others before it starts: engines before API 1.44 refuse
// more than one network in a create request.
export function cloneConfig(source: Docker.ContainerInspectInfo, name: string, labels: Record<string, string>): ReplicaBody {
  const config = source.Config;
  const host = { ...(source.HostConfig as Record<string, unknown>) };
  // Engine-assigned or per-container values that must not be copied.
  for (const key of ['ContainerIDFile', 'Links']) delete host[key];
  const networkMode = String(host.NetworkMode ?? '');
  const endpoints: Array<{ network: string; aliases?: string[] }> = [];
  if (!['none', 'host', 'default', 'bridge', ''].includes(networkMode) && !networkMode.startsWith('container:')) {
    for (const [network, settings] of Object.entries(source.NetworkSettings?.Networks ?? {})) {
      const s = settings as { Aliases?: string[] | null };
      // Container-id aliases belong to the source; service aliases carry over.
      const aliases = (s.Aliases ?? []).filter((alias) => !source.Id.startsWith(alias) && alias !== source.Config.Hostname);
      endpoints.push({ network, ...(aliases.length ? { aliases } : {}) });
    }
  }
  const primaryIndex = Math.max(0, endpoints.findIndex((e) => e.network === networkMode));
  const primary = endpoints[primaryIndex];
  const extra = endpoints.filter((_, i) => i !== primaryIndex);
  // The engine sets Hostname to the short container id unless one was given; only a given one carries over.
  const hostname = config.Hostname && !(config.Hostname.length === 12 && source.Id.startsWith(config.Hostname)) ? config.Hostname : undefined;
  const body: Docker.ContainerCreateOptions = {
    name,
    Image: config.Image,
    Hostname: hostname,
    Domainname: config.Domainname || undefined,
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
    NetworkingConfig: primary
      ? { EndpointsConfig: { [primary.network]: (primary.aliases ? { Aliases: primary.aliases } : {}) as never } }
      : undefined,
  };
  return { name, body, ...(extra.length ? { networks: extra } : {}) };
}

// Sets the desired limits on a create body (unlimited swap, so a later `docker update` may raise memory).
export function withLimits(body: Docker.ContainerCreateOptions, nanoCpus?: number, memory?: number): Docker.ContainerCreateOptions {
  const host = { ...(body.HostConfig ?? {}) } as Record<string, unknown>;
  if (nanoCpus !== undefined) Object.assign(host, { NanoCpus: nanoCpus, CpuQuota: 0, CpuPeriod: 0 });
  if (memory !== undefined) Object.assign(host, { Memory: memory, MemorySwap: -1 });
  return { ...body, HostConfig: host as Docker.ContainerCreateOptions['HostConfig'] };
}

// `docker update` of one replica's cpu/memory. A container limited by a CPU quota keeps being
// limited that way: the engine refuses NanoCpus on it ("Conflicting options: CPU Quota cannot be
// updated as NanoCPUs has already been set" and its reverse).
export async function updateLimits(docker: Docker, replica: Replica, nanoCpus?: number, memory?: number): Promise<void> {
  const body: Record<string, number> = {};
  if (nanoCpus !== undefined) {
    if ((replica.limits?.cpuQuota ?? 0) > 0) Object.assign(body, { CpuPeriod: 100_000, CpuQuota: Math.round(nanoCpus / 1e4) });
    else Object.assign(body, { NanoCpus: nanoCpus });
  }
  if (memory !== undefined) Object.assign(body, { Memory: memory, MemorySwap: -1 });
  await docker.getContainer(replica.id).update(body);
}

// Why a stop request failed: 304 and 404 are fine; any other error is checked against the container's state.
function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

// SIGTERM, up to `graceSeconds` (the container's own StopTimeout when undefined), then SIGKILL;
// then removes the container unless `keep`. `docker` should have an HTTP timeout longer than the
// grace. A stop call that errored (a timeout, a cut connection) is forgiven when the container
// has exited all the same.
export async function stopReplica(
  docker: Docker,
  id: string,
  graceSeconds: number | undefined,
  keep: boolean,
  removeVolumes: boolean,
): Promise<void> {
  const container = docker.getContainer(id);
  try {
    await container.stop(graceSeconds === undefined ? {} : { t: graceSeconds });
  } catch (error) {
    // 304: already stopped; 404: already gone (idempotent re-runs).
    const status = statusOf(error);
    if (status === 404) {
      if (keep) throw error;
      return;
    }
    if (status !== 304) {
      const running = await container.inspect().then(
        (info) => info.State.Running,
        () => true,
      );
      if (running) throw error;
    }
  }
  if (keep) return;
  try {
    await container.remove({ v: removeVolumes, force: true });
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
}
