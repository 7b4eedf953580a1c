// Checks a `container/<name>` target's `x-docker` settings when the adapter first sees them (read),
// so a typo or an unusable network is the service's read error in the plan, not a failure at apply.
import type Docker from 'dockerode';
import { closest } from '../../src/config/suggest.js';
import { AdapterError } from '../../src/errors.js';
import { ADAPTER } from './client.js';

// Every key `x-docker` takes for managed containers.
export const X_DOCKER_KEYS = ['image', 'command', 'entrypoint', 'env', 'labels', 'network', 'from'] as const;

// Docker's own networks a replica must not join: the default bridge (and its alias `default`).
const DEFAULT_BRIDGE = new Set(['bridge', 'default']);

// Throws an AdapterError naming the first wrong `x-docker` setting of `target`, with the fix.
export async function checkXDocker(docker: Docker, target: string, extensions: Record<string, unknown>): Promise<void> {
  const raw = extensions.docker;
  if (raw === undefined || raw === null) return;
  const fail = (message: string): never => {
    throw new AdapterError(ADAPTER, `${target}: ${message}`);
  };
  if (typeof raw !== 'object' || Array.isArray(raw)) fail(`x-docker must be a mapping of settings (${X_DOCKER_KEYS.join(', ')}); got ${JSON.stringify(raw)}`);
  const settings = raw as Record<string, unknown>;
  for (const key of Object.keys(settings)) {
    if ((X_DOCKER_KEYS as readonly string[]).includes(key)) continue;
    const match = closest(key, X_DOCKER_KEYS);
    fail(`x-docker.${key} is not a setting${match ? `: did you mean "${match}"?` : ''} (x-docker takes ${X_DOCKER_KEYS.join(', ')})`);
  }
  for (const key of ['image', 'from'] as const) {
    const value = settings[key];
    if (value !== undefined && (typeof value !== 'string' || value === '')) fail(`x-docker.${key} must be a non-empty string; got ${JSON.stringify(value)}`);
  }
  for (const key of ['command', 'entrypoint'] as const) {
    const value = settings[key];
    if (value !== undefined && typeof value !== 'string' && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
      fail(`x-docker.${key} must be a string or a list of strings, e.g. [node, worker.js]; got ${JSON.stringify(value)}`);
    }
  }
  for (const key of ['env', 'labels'] as const) {
    const value = settings[key];
    const list = key === 'env' && Array.isArray(value) && value.every((v) => typeof v === 'string');
    if (value !== undefined && !list && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      fail(`x-docker.${key} must be a mapping${key === 'env' ? ' (or a list of KEY=value strings)' : ''}, e.g. { team: backend }; got ${JSON.stringify(value)}`);
    }
  }
  if (settings.network !== undefined) await checkNetwork(docker, settings.network, fail);
}

// `none`, `host`, or an existing user-defined network a container can join.
async function checkNetwork(docker: Docker, network: unknown, fail: (message: string) => never): Promise<void> {
  if (network === 'none' || network === 'host') return;
  const userNetworks = async () =>
    (await docker.listNetworks())
      .filter((n) => !['bridge', 'host', 'none'].includes(n.Name) && !(n as { Ingress?: boolean }).Ingress)
      .map((n) => n.Name)
      .sort();
  const expected = async () => {
    const names = await userNetworks();
    return `expected none (the default), host, or the name of an existing user-defined network (${names.length ? `there are: ${names.join(', ')}` : 'there are none; create one with `docker network create <name>`'})`;
  };
  if (typeof network !== 'string' || network === '') fail(`x-docker.network must be a string; ${await expected()}; got ${JSON.stringify(network)}`);
  const name = network as string;
  if (DEFAULT_BRIDGE.has(name)) {
    fail(`x-docker.network "${name}" is Docker's default bridge, which scalectl never attaches replicas to; ${await expected()}`);
  }
  let info: { Name: string; Driver?: string; Attachable?: boolean; Ingress?: boolean; Scope?: string };
  try {
    info = (await docker.getNetwork(name).inspect()) as typeof info;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    const names = await userNetworks();
    const match = closest(name, ['none', 'host', ...names]);
    return fail(`x-docker.network "${name}" is not a network on this engine${match ? ` (did you mean "${match}"?)` : ''}; ${await expected()}`);
  }
  if (info.Name !== name) fail(`x-docker.network "${name}" is not a network's name (it matches "${info.Name}"); ${await expected()}`);
  if (info.Ingress || (info.Scope === 'swarm' && !info.Attachable)) {
    fail(`x-docker.network "${name}" is a Swarm network containers cannot join (create it with \`--attachable\`); ${await expected()}`);
  }
}
