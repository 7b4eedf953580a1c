// `scalectl init`: writes a commented, validated scaling.yaml — asking on a terminal (the wizard),
// or from --yes and flags in scripts. Never prompts without a terminal; Ctrl-C writes nothing.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { displayPath } from '../config/load.js';
import { closest } from '../config/suggest.js';
import { EXIT, UsageError } from '../errors.js';
import { discover } from '../init/discover.js';
import { parseEnvironmentNames } from '../init/environments.js';
import { listOf, parsePairs, parseServiceFlag } from '../init/flags.js';
import type { Presets } from '../init/proposals.js';
import type { CommandContext } from './context.js';

export interface InitOptions {
  yes: boolean;
  dir?: string;
  provider?: string;
  /** --service values: NAME, NAME=N, NAME=fixed:N, NAME=autoscale[:METRIC[:MIN..MAX[:TARGET[/LIMIT]]]]. */
  services?: string[];
  force?: boolean;
  [flag: string]: unknown;
}

const EXAMPLE = 'scalectl init --yes --service web=autoscale:concurrency:2..20 --source web=./web';

// Reads every flag into presets; a malformed one is a UsageError naming it.
export function presetsOf(options: InitOptions): Presets {
  const services = listOf(options.services ?? options.service).map(parseServiceFlag);
  const sources = parsePairs('--source', listOf(options.sources ?? options.source), 'web=./services/web');
  const targets = parsePairs('--target', listOf(options.targets ?? options.target), 'web=deployment/web');
  for (const name of [...sources.keys(), ...targets.keys()]) {
    if (services.length && !services.some((s) => s.name === name)) throw new UsageError(`--source/--target name "${name}", which no --service declares; add --service ${name}`);
  }
  for (const [name, source] of sources) sources.set(name, source.startsWith('.') || source.startsWith('/') ? source : `./${source}`);
  const provider = options.provider;
  if (provider !== undefined && typeof provider !== 'string') throw new UsageError('--provider takes a name: mock, docker or kubernetes');
  return {
    provider,
    context: typeof options.context === 'string' ? options.context : undefined,
    namespace: typeof options.namespace === 'string' ? options.namespace : undefined,
    services,
    sources,
    targets,
  };
}

// --context must name a context of the kubeconfig init found (KUBECONFIG, else ~/.kube/config).
function checkContext(context: string, discovery: ReturnType<typeof discover>): void {
  const kube = discovery.kube;
  if (!kube) {
    throw new UsageError(`--context ${context}: no kubeconfig found (KUBECONFIG, else ~/.kube/config); set KUBECONFIG to the file that has this context`);
  }
  const names = kube.contexts.map((c) => c.name);
  if (names.includes(context)) return;
  const match = closest(context, names);
  throw new UsageError(`--context ${context}: no such context in ${kube.files.join(', ')}${match ? ` (did you mean "${match}"?)` : ''}; contexts: ${names.join(', ')}`);
}

// Runs the command; returns the exit code.
export async function run(options: InitOptions, ctx: CommandContext): Promise<number> {
  const dir = resolve(ctx.io.cwd, options.dir ?? '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--dir ${options.dir}: no such folder; create it first or pass an existing one`);
  const presets = presetsOf(options);
  const environments = parseEnvironmentNames(listOf(options.addEnv));
  const check = options.check !== false;
  if (!options.yes && !ctx.interactive) {
    throw new UsageError(`init asks questions, and there is no terminal to ask in: pass --yes to take the defaults (flags choose the rest), e.g. ${EXAMPLE}`);
  }
  const discovery = discover({ dir, env: ctx.io.env });
  if (presets.context !== undefined) checkContext(presets.context, discovery);
  if (!options.yes) {
    // A terminal that reports 0 columns or rows (a serial console, `stty cols 0`) would have every
    // character of the boxes wrapped onto its own line: lay out for 80×24 instead.
    const screen = ctx.io.stderr as NodeJS.WriteStream;
    if (!(screen.columns > 0)) screen.columns = 80;
    if (!(screen.rows > 0)) screen.rows = 24;
    const { runWizard } = await import('../init/wizard.js');
    return runWizard({ io: { input: ctx.io.stdin as NodeJS.ReadStream, output: ctx.io.stderr as NodeJS.WriteStream, signal: ctx.signal }, discovery, presets, force: Boolean(options.force), check, cwd: ctx.io.cwd, env: ctx.io.env, environments });
  }
  const { autoAnswers } = await import('../init/auto.js');
  const { buildFile, checkInitFile, nextSteps, writeInitFile } = await import('../init/finish.js');
  const { addEnvironments } = await import('../init/environments.js');
  const { readExisting } = await import('../init/proposals.js');
  const existing = discovery.existing && !options.force ? readExisting(discovery.existing) : undefined;
  const answers = await autoAnswers(discovery, presets, existing, check, { info: ctx.info, warn: ctx.warn }, ctx.io.env);
  if (answers.services.length === 0 && !(existing && environments.length)) {
    ctx.info(`${displayPath(discovery.existing!, ctx.io.cwd)} already describes every service init found; nothing to add (name more with --service NAME).`);
    return EXIT.ok;
  }
  const made = answers.services.length ? buildFile(dir, answers, existing, ctx.io.env, ctx.io.cwd, discovery.existing) : { path: existing!.path, text: existing!.text, mode: 'extend' as const };
  const file = environments.length ? checkInitFile({ ...made, text: addEnvironments(made.text, environments) }, ctx.io.env, ctx.io.cwd) : made;
  const shown = displayPath(file.path, ctx.io.cwd);
  if (options.dryRun) {
    ctx.io.stdout.write(file.text);
    ctx.info(`Dry run: ${shown} was not written.`);
    return EXIT.ok;
  }
  writeInitFile(file);
  if (answers.services.length) ctx.info(`${file.mode === 'extend' ? 'Added' : 'Wrote'} ${answers.services.map((s) => s.name).join(', ')} ${file.mode === 'extend' ? 'to' : 'in'} ${shown} (provider ${answers.provider.name}: ${answers.provider.adapter}).`);
  if (environments.length) ctx.info(`Added environment${environments.length === 1 ? '' : 's'} ${environments.join(', ')} to ${shown}: edit their overrides, then scalectl plan --env ${environments[0]}.`);
  ctx.info(`Next:\n${nextSteps(shown, answers.provider.adapter === 'docker' && answers.services.some((s) => s.scaling.kind === 'autoscale')).map((line) => `  ${line}`).join('\n')}`);
  return EXIT.ok;
}
