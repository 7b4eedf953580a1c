// What is around a project before `init` asks anything: an existing scaling.yaml, Compose files
// and their services, kubeconfig contexts, a Docker daemon, folders that look like service source.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_NAMES } from '../config/load.js';

export interface ComposeService { name: string; /** build context, relative to the project folder */ source?: string; replicas?: number }
export interface ComposeFile { file: string; project: string; services: ComposeService[] }
export interface KubeContext { name: string; namespace?: string; cluster?: string }
export interface KubeConfigFound { files: string[]; current?: string; contexts: KubeContext[] }

export interface Discovery {
  dir: string;
  /** scaling.yaml (or .yml) in `dir` itself. */
  existing?: string;
  compose: ComposeFile[];
  kube?: KubeConfigFound;
  /** DOCKER_HOST, or a Docker socket that exists. */
  docker?: string;
  /** Folders (relative, `./`-prefixed) holding a package.json, pyproject.toml, requirements.txt, go.mod or Dockerfile. */
  sources: string[];
  /** Deployments / StatefulSets of the chosen Kubernetes namespace, once a provider is chosen and the cluster answered. */
  workloads?: { name: string; target: string; replicas?: number }[];
}

export interface DiscoverOptions {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** Where to look for a Docker socket (default: /var/run/docker.sock, $XDG_RUNTIME_DIR/docker.sock). */
  socketPaths?: string[];
}

const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const SOURCE_MARKERS = ['package.json', 'pyproject.toml', 'requirements.txt', 'go.mod', 'Dockerfile'];
const SKIP = new Set(['node_modules', 'dist', 'build', 'vendor', 'venv', '__pycache__', 'coverage']);

// Looks around `dir`; never fails: what cannot be read is simply not found.
export function discover(options: DiscoverOptions): Discovery {
  const dir = resolve(options.dir);
  const existing = CONFIG_NAMES.map((name) => join(dir, name)).find((path) => existsSync(path));
  return {
    dir,
    existing,
    compose: COMPOSE_NAMES.map((name) => join(dir, name)).filter((path) => existsSync(path)).flatMap((path) => readCompose(path, dir, options.env)),
    kube: readKubeconfig(options.env),
    docker: findDocker(options),
    sources: findSources(dir),
  };
}

// Compose names a project after its folder unless the file or COMPOSE_PROJECT_NAME says otherwise.
export function composeProjectName(raw: string): string {
  return raw.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
}

function readCompose(path: string, dir: string, env: NodeJS.ProcessEnv): ComposeFile[] {
  let doc: { name?: unknown; services?: Record<string, { build?: unknown; deploy?: { replicas?: unknown } }> };
  try {
    doc = (parse(readFileSync(path, 'utf8')) ?? {}) as typeof doc;
  } catch {
    return [];
  }
  const services = Object.entries(doc.services ?? {}).map(([name, spec]): ComposeService => {
    const build = typeof spec?.build === 'string' ? spec.build : (spec?.build as { context?: unknown } | undefined)?.context;
    const replicas = spec?.deploy?.replicas;
    return {
      name,
      ...(typeof build === 'string' ? { source: dotted(relative(dir, resolve(dir, build))) } : {}),
      ...(typeof replicas === 'number' ? { replicas } : {}),
    };
  });
  const project = composeProjectName(env.COMPOSE_PROJECT_NAME || (typeof doc.name === 'string' ? doc.name : basename(dir))) || 'default';
  return [{ file: path, project, services }];
}

// Contexts of every kubeconfig file KUBECONFIG lists (or ~/.kube/config); no network.
export function readKubeconfig(env: NodeJS.ProcessEnv): KubeConfigFound | undefined {
  const files = (env.KUBECONFIG ? env.KUBECONFIG.split(delimiter) : [join(env.HOME || homedir(), '.kube', 'config')]).filter((f) => f && existsSync(f));
  const contexts: KubeContext[] = [];
  let current: string | undefined;
  for (const file of files) {
    try {
      const doc = parse(readFileSync(file, 'utf8')) as { contexts?: { name?: string; context?: { namespace?: string; cluster?: string } }[]; 'current-context'?: string };
      current ??= doc?.['current-context'] || undefined;
      for (const entry of doc?.contexts ?? []) {
        if (!entry?.name || contexts.some((c) => c.name === entry.name)) continue;
        contexts.push({ name: entry.name, ...(entry.context?.namespace ? { namespace: entry.context.namespace } : {}), ...(entry.context?.cluster ? { cluster: entry.context.cluster } : {}) });
      }
    } catch {
      // unreadable kubeconfig: no contexts from it
    }
  }
  return contexts.length ? { files, current, contexts } : undefined;
}

function findDocker(options: DiscoverOptions): string | undefined {
  if (options.env.DOCKER_HOST) return options.env.DOCKER_HOST;
  const candidates = options.socketPaths ?? ['/var/run/docker.sock', ...(options.env.XDG_RUNTIME_DIR ? [join(options.env.XDG_RUNTIME_DIR, 'docker.sock')] : [])];
  return candidates.find((path) => {
    try {
      return statSync(path).isSocket();
    } catch {
      return false;
    }
  });
}

function dotted(rel: string): string {
  const slashed = rel.split(sep).join('/');
  return slashed === '' ? '.' : slashed.startsWith('.') ? slashed : `./${slashed}`;
}

// The project folder itself and sub-folders up to two levels down that hold a source marker.
function findSources(dir: string): string[] {
  const found: string[] = [];
  const visit = (folder: string, depth: number) => {
    let entries: string[];
    try {
      entries = readdirSync(folder);
    } catch {
      return;
    }
    if (depth > 0 && SOURCE_MARKERS.some((marker) => entries.includes(marker))) {
      found.push(dotted(relative(dir, folder)));
      return;
    }
    if (depth >= 2) return;
    for (const entry of entries.sort()) {
      if (entry.startsWith('.') || SKIP.has(entry)) continue;
      const path = join(folder, entry);
      try {
        if (statSync(path).isDirectory()) visit(path, depth + 1);
      } catch {
        // vanished or unreadable: skip
      }
    }
  };
  visit(dir, 0);
  if (found.length === 0 && SOURCE_MARKERS.some((marker) => existsSync(join(dir, marker)))) found.push('.');
  return found;
}
