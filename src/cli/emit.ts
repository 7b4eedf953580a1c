// plan --emit <dir>: manifests for GitOps instead of touching a cluster (Kubernetes providers).
import type { CommandContext } from './context.js';
import type { Project } from './workflow.js';

// Writes the manifests of every Kubernetes service from the file alone (no cluster is read);
// other providers are named and skipped. Returns the paths written.
export async function emitProject(project: Project, dir: string, ctx: CommandContext): Promise<string[]> {
  const written: string[] = [];
  const byProvider = new Map<string, typeof project.services>();
  for (const service of project.services) {
    const provider = project.config.providers[service.provider];
    if (provider.adapter !== 'kubernetes') {
      ctx.warn(`--emit: ${service.name} runs on ${provider.adapter}, not Kubernetes; no manifest written for it`);
      continue;
    }
    byProvider.set(provider.name, [...(byProvider.get(provider.name) ?? []), service]);
  }
  if (byProvider.size === 0) return written;
  const { emitManifests } = await import('../../adapters/kubernetes/emit.js');
  for (const [name, services] of byProvider) {
    const requests = services.map((s) => ({ service: s.name, target: s.target, desired: s.spec, extensions: s.extensions }));
    const paths = await emitManifests(requests, project.config.providers[name].settings, dir);
    for (const path of paths) ctx.info(`wrote ${path}`);
    written.push(...paths);
  }
  return written;
}
