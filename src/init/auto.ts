// init --yes: the answers from flags and discovery, no questions. Readiness findings are explained
// and the proposal (one instance) is taken, as a person pressing Enter would.
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { Discovery } from './discover.js';
import { peakOf, type InitAnswers, type ServicePlan } from './model.js';
import { kubeSettings, planService, proposedNames, providerFor, refuseTaken, withWorkloads, type ExistingFile, type Presets } from './proposals.js';
import { checkSource, explainFindings, holdAtOne } from './readiness.js';

export interface AutoReport { info(line: string): void; warn(line: string): void }

// Decides everything init would ask.
export async function autoAnswers(discovery: Discovery, presets: Presets, existing: ExistingFile | undefined, check: boolean, report: AutoReport, env: NodeJS.ProcessEnv = {}): Promise<InitAnswers> {
  refuseTaken(presets.services.map((s) => s.name), existing);
  const wanted = presets.provider ?? (existing ? existing.defaultProvider : 'mock');
  const adapter = existing?.providers.get(wanted) ?? wanted;
  if (!existing?.providers.has(wanted) && !['mock', 'docker', 'kubernetes'].includes(wanted)) {
    throw new UsageError(`--provider "${wanted}": expected mock, docker or kubernetes${existing ? ` or a provider of ${existing.path}: ${[...existing.providers.keys()].join(', ')}` : ''}`);
  }
  const provider = existing?.providers.has(wanted) ? providerFor(wanted, {}, existing) : providerFor(adapter, adapter === 'kubernetes' ? kubeSettings(discovery, presets) : {}, existing);
  if (!presets.services.length) discovery = await withWorkloads(discovery, provider, env, (ok, line) => (ok ? report.info : report.warn)(line));
  if (provider.adapter === 'docker') discovery = await (await import('./compose-projects.js')).withComposeProjects(discovery, report.info);
  const names = presets.services.length ? presets.services.map((s) => s.name) : proposedNames(discovery, existing?.services).map((p) => p.name);
  if (names.length === 0 && !existing) names.push('web');
  const services: ServicePlan[] = [];
  for (const name of names) {
    let service = planService(name, discovery, provider.adapter, presets, presets.services.find((s) => s.name === name));
    if (check && service.source && peakOf(service.scaling) > 1) service = await gate(service, discovery.dir, report);
    services.push(service);
  }
  return { provider, services };
}

async function gate(service: ServicePlan, dir: string, report: AutoReport): Promise<ServicePlan> {
  let result;
  try {
    result = await checkSource(resolve(dir, service.source!));
  } catch (error) {
    report.warn(`the readiness check could not scan ${service.source} (${(error as Error).message}); ${service.name} keeps its scaling`);
    return service;
  }
  if (result.errors.length === 0) {
    report.info(`${service.source}: nothing that breaks with replicas (${result.filesScanned} file${result.filesScanned === 1 ? '' : 's'} scanned).`);
    return service;
  }
  report.warn(`${service.name} is not ready for several instances; writing replicas: 1 for it:`);
  for (const line of explainFindings(result, service.source!)) report.warn(`  ${line}`);
  return holdAtOne(service, result);
}
