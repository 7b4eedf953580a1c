// `container/<name>`: scalectl-managed replicas of a template (the service's `x-docker` settings,
// or a copy of a named container), labelled so scalectl finds them again.
import type Docker from 'dockerode';
import { AdapterError } from '../../src/errors.js';
import { ADAPTER } from './client.js';
import { containerTarget, type ReplicaSource } from './container-target.js';
import { dockerExtensions, type Engine, type TargetHandler } from './engine.js';
import { cloneConfig } from './replicas.js';
import { checkXDocker } from './x-docker.js';

// Labels on every managed replica.
export const MANAGED = {
  group: 'io.scalectl.replica-of',
  number: 'io.scalectl.number',
} as const;

// A container template from `x-docker`.
export interface ContainerTemplate {
  image: string;
  command?: string[];
  entrypoint?: string[];
  env?: string[];
  labels?: Record<string, string>;
  /** `none` (default), `host`, or an existing user-defined network (checked by checkXDocker). */
  network: string;
}

// The template in `x-docker` (image, command, entrypoint, env, labels, network), or undefined without an image.
export function templateFromExtensions(settings: Record<string, unknown>): ContainerTemplate | undefined {
  if (typeof settings.image !== 'string' || settings.image === '') return undefined;
  const list = (key: string): string[] | undefined => {
    const value = settings[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
    throw new AdapterError(ADAPTER, `x-docker.${key} must be a string or a list of strings; got ${JSON.stringify(value)}`);
  };
  const env = settings.env;
  const envList = Array.isArray(env)
    ? env.map(String)
    : env && typeof env === 'object'
      ? Object.entries(env as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`)
      : undefined;
  const labels = settings.labels && typeof settings.labels === 'object' ? (settings.labels as Record<string, unknown>) : undefined;
  return {
    image: settings.image,
    command: list('command'),
    entrypoint: list('entrypoint'),
    env: envList,
    labels: labels ? Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])) : undefined,
    network: typeof settings.network === 'string' ? settings.network : 'none',
  };
}

// The create body of one replica of a template.
export function templateBody(template: ContainerTemplate, name: string, labels: Record<string, string>): Docker.ContainerCreateOptions {
  return {
    name,
    Image: template.image,
    Cmd: template.command,
    Entrypoint: template.entrypoint,
    Env: template.env,
    Labels: { ...(template.labels ?? {}), ...labels },
    HostConfig: { NetworkMode: template.network },
  };
}

// The handler for one group of managed replicas.
export function managedTarget(engine: Engine, target: string, name: string): TargetHandler {
  const labelsOf = (n: number) => ({ [MANAGED.group]: name, [MANAGED.number]: String(n) });
  const fromContainer = (extensions: Record<string, unknown>) => {
    const settings = dockerExtensions(extensions);
    return typeof settings.from === 'string' ? settings.from : templateFromExtensions(settings) ? undefined : name;
  };
  const inspectSource = async (container: string) => {
    try {
      return await engine.docker.getContainer(container).inspect();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  };
  const source: ReplicaSource = {
    labels: [`${MANAGED.group}=${name}`],
    numberLabel: MANAGED.number,
    keepTemplate: false,
    stoppedAreReplicas: true,
    check: (extensions) => checkXDocker(engine.docker, target, extensions),
    removeVolumes: true,
    recreateStopped: true,
    async canCreate(_replicas, extensions) {
      const from = fromContainer(extensions);
      return from === undefined || (await inspectSource(from)) !== undefined;
    },
    async factory(_replicas, _desired, extensions) {
      const template = templateFromExtensions(dockerExtensions(extensions));
      const from = fromContainer(extensions);
      if (template && from === undefined) return (n) => ({ name: `${name}-${n}`, body: templateBody(template, `${name}-${n}`, labelsOf(n)) });
      const info = from === undefined ? undefined : await inspectSource(from);
      if (!info) {
        throw new AdapterError(
          ADAPTER,
          `${target} has no template: give the image (and command, env, labels) in the service's ` +
            `\`x-docker: { image: … }\`, or a container to copy with \`x-docker: { from: <container> }\`` +
            (from ? ` (no container named "${from}" exists)` : '') +
            '.',
        );
      }
      return (n) => {
        const made = cloneConfig(info, `${name}-${n}`, labelsOf(n));
        // A copy of a Compose container must not be counted as one of Compose's replicas.
        for (const key of Object.keys(made.body.Labels ?? {})) if (key.startsWith('com.docker.compose.')) delete made.body.Labels![key];
        return made;
      };
    },
  };
  return containerTarget(engine, target, source);
}
