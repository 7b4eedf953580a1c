// `compose:<project>/<service>`: the containers Compose labelled for a service, scaled the way
// Compose scales them (copies of an existing replica, next numbers, Compose's names).
import { resolve } from 'node:path';
import { AdapterError } from '../../src/errors.js';
import { ADAPTER } from './client.js';
import { containerTarget, type ReplicaFactory, type ReplicaSource } from './container-target.js';
import { type Engine, type TargetHandler } from './engine.js';
import { cloneConfig, isObsolete, newestHash, type Replica } from './replicas.js';

// Compose's labels (docker/compose pkg/api/labels.go; the same in docker-compose 1.x).
export const COMPOSE = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  workingDir: 'com.docker.compose.project.working_dir',
} as const;

// The handler for one Compose service.
export function composeTarget(engine: Engine, target: string, project: string, service: string): TargetHandler {
  const source: ReplicaSource = {
    labels: [`${COMPOSE.project}=${project}`, `${COMPOSE.service}=${service}`, `${COMPOSE.oneoff}=False`],
    numberLabel: COMPOSE.number,
    keepTemplate: true,
    stoppedAreReplicas: false,
    removeVolumes: false,
    // Only Compose makes a service's first container: one made from x-docker would lack Compose's
    // version, config-hash, working_dir and config_files labels, which crashes docker-compose 1.x.
    async canCreate(replicas) {
      return replicas.length > 0;
    },
    cannotCreate: () => noContainerMessage(target, project, service),
    missing: () => otherProjects(engine, target, project, service),
    factory: (replicas, desired) => composeFactory(engine, target, project, service, replicas, desired),
  };
  return containerTarget(engine, target, source);
}

async function composeFactory(
  engine: Engine,
  target: string,
  project: string,
  service: string,
  replicas: Replica[],
  desired: number,
): Promise<ReplicaFactory> {
  const numberLabels = (n: number) => ({
    [COMPOSE.project]: project,
    [COMPOSE.service]: service,
    [COMPOSE.number]: String(n),
    [COMPOSE.oneoff]: 'False',
  });
  // Copy what Compose would make now: a replica of the newest config-hash (by Created), live if possible.
  const newest = newestHash(replicas);
  const current = replicas.filter((r) => !isObsolete(r, newest)).sort((a, b) => (b.created ?? 0) - (a.created ?? 0));
  const model = current.find((r) => r.live) ?? current[0] ?? replicas.find((r) => r.live) ?? replicas[0];
  if (!model) {
    const elsewhere = await otherProjects(engine, target, project, service);
    throw new AdapterError(ADAPTER, elsewhere.error ?? (elsewhere.warning ? `${noContainerMessage(target, project, service)} (${elsewhere.warning})` : noContainerMessage(target, project, service)));
  }
  const info = await engine.docker.getContainer(model.id).inspect();
  const modelName = info.Name.replace(/^\//, '');
  const separator = new RegExp(`^${escape(project)}_${escape(service)}_\\d+$`).test(modelName) ? '_' : '-';
  if (desired > 1 && !new RegExp(`^${escape(project)}[-_]${escape(service)}[-_]\\d+$`).test(modelName)) {
    throw new AdapterError(
      ADAPTER,
      `${target} sets container_name ("${modelName}"), so Compose cannot run more than one container of it; ` +
        `remove container_name from the Compose file to scale it, or keep replicas at 1.`,
    );
  }
  const bindings = (info.HostConfig.PortBindings ?? {}) as Record<string, Array<{ HostPort?: string }> | null>;
  const fixed = Object.entries(bindings).filter(([, list]) => (list ?? []).some((b) => b.HostPort && b.HostPort !== '0'));
  if (desired > 1 && fixed.length) {
    throw new AdapterError(
      ADAPTER,
      `${target} publishes fixed host port(s) ${fixed.map(([port, list]) => `${list?.[0]?.HostPort}:${port}`).join(', ')}; ` +
        'a second replica would clash on them. Publish a port range or no host port to scale it, or keep replicas at 1.',
    );
  }
  return (n) => {
    const name = `${project}${separator}${service}${separator}${n}`;
    return cloneConfig(info, name, numberLabels(n));
  };
}

// When the service has no container in `project` but Compose-labelled containers of a service of
// that name run under other projects: an error when they were started from scaling.yaml's folder
// (the stack runs under another name: \`-p other\`, COMPOSE_PROJECT_NAME, \`name:\`), else a
// warning naming them (another stack on the machine may simply have a service of that name).
async function otherProjects(engine: Engine, target: string, project: string, service: string): Promise<{ error?: string; warning?: string }> {
  const containers = await engine.docker.listContainers({ all: true, filters: { label: [`${COMPOSE.service}=${service}`, `${COMPOSE.oneoff}=False`] } });
  const byProject = new Map<string, { names: string[]; here: boolean }>();
  for (const c of containers) {
    const other = c.Labels?.[COMPOSE.project];
    if (!other || other === project) continue;
    const entry = byProject.get(other) ?? { names: [], here: false };
    entry.names.push((c.Names?.[0] ?? c.Id).replace(/^\//, ''));
    const dir = c.Labels?.[COMPOSE.workingDir];
    entry.here ||= dir !== undefined && engine.configDir !== undefined && resolve(dir) === resolve(engine.configDir);
    byProject.set(other, entry);
  }
  if (byProject.size === 0) return {};
  const here = [...byProject.keys()].filter((p) => byProject.get(p)!.here).sort();
  const projects = here.length ? here : [...byProject.keys()].sort();
  const listed = projects.map((p) => `"${p}" (${byProject.get(p)!.names.sort().join(', ')})`).join(', ');
  const many = projects.length > 1;
  if (here.length) {
    return {
      error:
        `${target}: Compose project "${project}" has no container of service ${service}, but ${many ? 'projects' : 'project'} ${listed} ` +
        `started from this folder ${many ? 'have' : 'has'} — the stack runs under another project name (\`-p\`, COMPOSE_PROJECT_NAME or \`name:\`). ` +
        `Set target: compose:${projects[0]}/${service}, or bring project ${project} up first.`,
    };
  }
  return { warning: `${target}: service ${service} runs under Compose ${many ? 'projects' : 'project'} ${listed}, not "${project}": if that is this stack, set target: compose:${projects[0]}/${service}` };
}

// Why scalectl will not make a Compose service's first container, and what to do instead.
function noContainerMessage(target: string, project: string, service: string): string {
  return (
    `${target} has no container to copy: scalectl only adds copies of a container Compose made. Bring the service up ` +
    `once (\`docker compose -p ${project} up -d ${service}\` or \`docker-compose -p ${project} up -d ${service}\`), ` +
    'or use a `container/<name>` target with `x-docker: { image: … }` for replicas scalectl manages itself.'
  );
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
