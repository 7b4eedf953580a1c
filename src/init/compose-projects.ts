// The Compose project a folder's stack actually runs under, from the engine's container labels:
// `docker compose -p other up` (or COMPOSE_PROJECT_NAME in a shell init cannot see) names the
// project "other", while the folder would name it after itself. Compose labels every container
// with its project and the folder it was started from (com.docker.compose.project.working_dir).
import { request } from 'node:http';
import { resolve } from 'node:path';
import type { ComposeFile, Discovery } from './discover.js';

const PROJECT = 'com.docker.compose.project';
const SERVICE = 'com.docker.compose.service';
const WORKING_DIR = 'com.docker.compose.project.working_dir';

interface Labelled { Labels?: Record<string, string> }

// Compose-labelled containers on the engine at `docker` (a socket path, unix://… or tcp://…); [] when it does not answer.
function composeContainers(docker: string, timeoutMs: number): Promise<Labelled[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: [SERVICE] }));
  const path = `/containers/json?all=1&filters=${filters}`;
  const target = docker.startsWith('tcp://') ? (() => { const url = new URL(docker.replace(/^tcp:/, 'http:')); return { host: url.hostname, port: Number(url.port) || 2375 }; })()
    : { socketPath: docker.replace(/^unix:\/\//, '') };
  return new Promise((done) => {
    const req = request({ ...target, path, method: 'GET', timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          const list = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
          done(Array.isArray(list) ? (list as Labelled[]) : []);
        } catch {
          done([]);
        }
      });
    });
    req.on('error', () => done([]));
    req.on('timeout', () => {
      req.destroy();
      done([]);
    });
    req.end();
  });
}

// The project running this Compose file's services when the labels say it differs from the one
// the file and folder give: only containers started from this very folder count (another stack
// on the machine may well run a service called "web" too).
export function labelledProject(compose: ComposeFile, dir: string, containers: Labelled[]): string | undefined {
  const names = new Set(compose.services.map((s) => s.name));
  const fromHere = containers.filter((c) => names.has(c.Labels?.[SERVICE] ?? '') && c.Labels?.[WORKING_DIR] !== undefined && resolve(c.Labels[WORKING_DIR]) === resolve(dir));
  const projects = new Set(fromHere.map((c) => c.Labels?.[PROJECT]).filter((p): p is string => Boolean(p)));
  if (projects.has(compose.project) || projects.size !== 1) return undefined;
  return [...projects][0];
}

// Discovery with each Compose file's project taken from the running containers' labels, and a
// line for each one that changed (nothing when the engine is not there).
export async function withComposeProjects(discovery: Discovery, report: (line: string) => void, timeoutMs = 2000): Promise<Discovery> {
  if (!discovery.docker || discovery.compose.length === 0) return discovery;
  const containers = await composeContainers(discovery.docker, timeoutMs);
  if (containers.length === 0) return discovery;
  const compose = discovery.compose.map((file) => {
    const project = labelledProject(file, discovery.dir, containers);
    if (!project) return file;
    report(`Compose project "${project}": its containers run under that name (the folder would name it "${file.project}").`);
    return { ...file, project };
  });
  return { ...discovery, compose };
}
