// The interactive init: shows what it found, asks per service, checks each source for what breaks
// with several replicas, shows the result and writes only after a last yes.
import { resolve } from 'node:path';
import { cancel, intro, log, note, outro } from '@clack/prompts';
import { displayPath } from '../config/load.js';
import type { Discovery } from './discover.js';
import { addEnvironments, environmentsStep } from './environments.js';
import { buildFile, checkInitFile, nextSteps, writeInitFile } from './finish.js';
import { describeScaling, peakOf, type InitAnswers, type ProviderChoice, type ServicePlan } from './model.js';
import { kubeSettings, planService, proposedNames, providerFor, providerOptions, readExisting, refuseTaken, withWorkloads, type ExistingFile, type Presets } from './proposals.js';
import { checkSource, explainFindings, holdAtOne } from './readiness.js';
import { existingStep, holdStep, kubeStep, providerStep, scalingStep, servicesStep, sourceStep, targetStep, WizardCancelled, writeStep, type PromptIO } from './steps.js';

export interface WizardOptions {
  io: PromptIO;
  discovery: Discovery;
  presets: Presets;
  /** Replace an existing scaling.yaml without asking. */
  force: boolean;
  /** Run the readiness check on each source. */
  check: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** --add-env names; when none, the wizard asks. */
  environments?: string[];
}

const LABELS: Record<string, string> = { mock: 'Mock cloud', docker: 'Docker', kubernetes: 'Kubernetes' };

// What discovery found, one line each, for the opening note.
export function foundLines(discovery: Discovery, cwd: string): string[] {
  const lines: string[] = [];
  if (discovery.existing) lines.push(`scaling.yaml: ${displayPath(discovery.existing, cwd)}`);
  for (const compose of discovery.compose) lines.push(`Compose: ${displayPath(compose.file, cwd)} (project ${compose.project}; ${compose.services.map((s) => s.name).join(', ') || 'no services'})`);
  if (discovery.kube) lines.push(`Kubernetes contexts: ${discovery.kube.contexts.map((c) => (c.name === discovery.kube!.current ? `${c.name} (current)` : c.name)).join(', ')}`);
  if (discovery.docker) lines.push(`Docker: ${discovery.docker}`);
  if (discovery.sources.length) lines.push(`Source folders: ${discovery.sources.join(', ')}`);
  if (lines.length === 0) lines.push('Nothing yet: the embedded mock cloud needs no infrastructure.');
  return lines;
}

async function chooseProvider(options: WizardOptions, existing: ExistingFile | undefined): Promise<ProviderChoice> {
  const { io, discovery, presets } = options;
  let choice = presets.provider;
  if (choice === undefined) {
    const offered = [
      ...(existing ? [...existing.providers].filter(([name]) => name !== 'mock').map(([name, adapter]) => ({ value: `existing:${name}`, label: name, hint: `${adapter}, already in the file` })) : []),
      ...providerOptions(discovery).map((p) => ({ value: p.adapter, label: LABELS[p.adapter], hint: p.hint })),
    ];
    choice = await providerStep(io, offered);
  }
  if (choice.startsWith('existing:')) return providerFor(choice.slice('existing:'.length), {}, existing);
  if (existing?.providers.has(choice) && !['docker', 'kubernetes'].includes(choice)) return providerFor(choice, {}, existing);
  if (choice === 'kubernetes') {
    const settings = presets.context || !discovery.kube ? kubeSettings(discovery, presets) : await kubeStep(io, discovery.kube.contexts, discovery.kube.current);
    return providerFor('kubernetes', settings, existing);
  }
  return providerFor(choice, {}, existing);
}

async function describeService(options: WizardOptions, plan: ServicePlan, adapter: string, asked: boolean): Promise<ServicePlan> {
  const { io, discovery, presets } = options;
  let service = plan;
  if (asked) {
    log.step(`${plan.name}`, { output: io.output });
    service = { ...service, scaling: await scalingStep(io, plan.name, plan.scaling, adapter === 'docker') };
    if (!presets.sources.has(plan.name)) {
      const source = await sourceStep(io, plan.name, discovery.dir, plan.source);
      service = { ...service, source };
      if (!source) delete service.source;
    }
    if (adapter !== 'mock' && !presets.targets.has(plan.name)) service = { ...service, target: await targetStep(io, plan.name, plan.target ?? plan.name) };
  }
  if (!options.check || !service.source || peakOf(service.scaling) <= 1) return service;
  log.info(`Checking ${service.source} for what breaks when ${service.name} runs as several instances…`, { output: io.output });
  let check;
  try {
    check = await checkSource(resolve(discovery.dir, service.source));
  } catch (error) {
    log.warn(`The readiness check could not scan ${service.source}: ${(error as Error).message}`, { output: io.output });
    return service;
  }
  if (check.errors.length === 0) {
    log.success(`${service.source}: nothing that breaks with replicas (${check.filesScanned} file${check.filesScanned === 1 ? '' : 's'} scanned${check.warnings.length ? `, ${check.warnings.length} warnings: scalectl check ${service.source}` : ''}).`, { output: io.output });
    return service;
  }
  log.warn([`${service.name} is not ready for several instances:`, ...explainFindings(check, service.source)].join('\n'), { output: io.output });
  return (await holdStep(io, service.name)) ? holdAtOne(service, check) : service;
}

// Runs the wizard; resolves with the exit code (130 when cancelled, nothing written).
export async function runWizard(wizardOptions: WizardOptions): Promise<number> {
  let options = wizardOptions;
  const { io, discovery, presets } = options;
  const output = { output: io.output };
  try {
    intro('scalectl init', output);
    note(foundLines(discovery, options.cwd).join('\n'), 'Found', output);
    const shown = discovery.existing ? displayPath(discovery.existing, options.cwd) : displayPath(resolve(discovery.dir, 'scaling.yaml'), options.cwd);
    const mode = discovery.existing ? (options.force ? 'replace' : await existingStep(io, shown)) : 'new';
    const existing = mode === 'extend' ? readExisting(discovery.existing!) : undefined;
    refuseTaken(presets.services.map((s) => s.name), existing);
    const provider = await chooseProvider(options, existing);
    if (provider.adapter === 'kubernetes' && !provider.existing && !presets.services.length) {
      log.info('Looking for Deployments and StatefulSets…', output);
      options = { ...options, discovery: await withWorkloads(discovery, provider, options.env, (ok, line) => (ok ? log.success : log.warn)(line, output)) };
    }
    if (provider.adapter === 'docker') {
      const { withComposeProjects } = await import('./compose-projects.js');
      options = { ...options, discovery: await withComposeProjects(options.discovery, (line) => log.info(line, output)) };
    }
    const names = presets.services.length ? presets.services.map((s) => s.name) : await servicesStep(io, proposedNames(options.discovery, existing?.services), existing?.services ?? []);
    const services: ServicePlan[] = [];
    for (const name of names) {
      const flag = presets.services.find((s) => s.name === name);
      services.push(await describeService(options, planService(name, options.discovery, provider.adapter, presets, flag), provider.adapter, !flag?.scaling));
    }
    const answers: InitAnswers = { provider, services };
    const environments = options.environments?.length ? options.environments : await environmentsStep(io);
    const made = buildFile(discovery.dir, answers, existing, options.env, options.cwd, discovery.existing);
    const file = environments.length ? checkInitFile({ ...made, text: addEnvironments(made.text, environments) }, options.env, options.cwd) : made;
    const envLine = environments.length ? `\nenvironments: ${environments.join(', ')} (start as the base's bounds)` : '';
    note(services.map((s) => `${s.name}: ${describeScaling(s.scaling)}${s.source ? `\n  source ${s.source}` : ''}`).join('\n') + envLine, `${provider.name} (${provider.adapter})`, output);
    if (!(await writeStep(io, shown, mode))) {
      cancel('Nothing was written.', output);
      return 0;
    }
    writeInitFile(file);
    log.success(`${mode === 'extend' ? 'Updated' : 'Wrote'} ${shown} (valid).`, output);
    outro(`Next:\n${nextSteps(shown, provider.adapter === 'docker' && services.some((s) => s.scaling.kind === 'autoscale')).map((line) => `  ${line}`).join('\n')}`, output);
    return 0;
  } catch (error) {
    if (error instanceof WizardCancelled) {
      cancel('Cancelled: nothing was written.', output);
      return 130;
    }
    throw error;
  }
}
