// plan --emit <dir>: manifests for GitOps instead of touching a cluster (Kubernetes providers).
// Like plan, it never drops a field: a field the manifests cannot express is an error and that
// service's manifests are not written; notes (e.g. a metrics adapter must serve rps) are warnings.
import { diffSpecs } from '../plan/plan.js';
import { EXIT } from '../errors.js';
import type { CommandContext } from './context.js';
import type { Project } from './workflow.js';

// Writes the manifests of every Kubernetes service from the file alone (no cluster is read);
// other providers are named and skipped. Returns the paths written and the exit code.
export async function emitProject(project: Project, dir: string, ctx: CommandContext): Promise<{ written: string[]; exitCode: number }> {
  const { emitCapabilities, emitManifests } = await import('../../adapters/kubernetes/emit.js');
  const written: string[] = [];
  let exitCode: number = EXIT.ok;
  for (const service of project.services) {
    const provider = project.config.providers[service.provider];
    if (provider.adapter !== 'kubernetes') {
      ctx.warn(`--emit: ${service.name} runs on ${provider.adapter}, not Kubernetes; no manifest written for it`);
      continue;
    }
    const request = { service: service.name, target: service.target, desired: service.spec, extensions: service.extensions };
    const changes = diffSpecs(service, {}, emitCapabilities(request, provider.settings), project.config.locations);
    const unsupported = changes.filter((c) => c.support === 'unsupported');
    if (unsupported.length) {
      exitCode = EXIT.error;
      for (const change of unsupported) ctx.io.stderr.write(`${ctx.style.red('error:')} ${service.name}.${change.field} cannot be expressed in the manifests${change.cause ? ` (${change.cause})` : ''}\n`);
      ctx.io.stderr.write(`  ${service.name}: nothing written; run scalectl plan ${service.name} for the alternatives\n`);
      continue;
    }
    for (const note of new Set(changes.filter((c) => c.note && /must serve|needs/.test(c.note)).map((c) => c.note!))) ctx.warn(`${service.name}: ${note}`);
    const paths = await emitManifests([request], provider.settings, dir);
    for (const path of paths) ctx.info(`wrote ${path}`);
    written.push(...paths);
  }
  return { written, exitCode };
}
