// Writes the answers as a commented scaling.yaml: a new file, or entries added to an existing
// one without touching a byte of what is there (comments included).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseDocument } from 'yaml';
import { findPackageRoot } from '../readiness/package-root.js';
import { describeScaling, type InitAnswers, type ProviderChoice, type ServicePlan } from './model.js';
import { appendToMap, editYaml, flowText } from './yaml-edit.js';

// The `# yaml-language-server: $schema=…` line: a path that exists on every machine that has the
// project, never this machine's own: the schema in the project's node_modules/scalectl, the one in
// this checkout when the file lives inside it, else the published package's copy (by version).
export function modeline(dir: string): string {
  return `# yaml-language-server: $schema=${schemaLocation(dir)}`;
}

function schemaLocation(dir: string): string {
  const relativeTo = (target: string) => {
    const rel = relative(dir, target).split(sep).join('/');
    return rel.startsWith('.') ? rel : `./${rel}`;
  };
  for (let at = resolve(dir); ; at = dirname(at)) {
    const installed = join(at, 'node_modules', 'scalectl', 'scaling.schema.json');
    if (existsSync(installed)) return relativeTo(installed);
    if (dirname(at) === at) break;
  }
  const root = findPackageRoot();
  const inside = relative(root, dir);
  if (!inside.startsWith('..') && !isAbsolute(inside)) return relativeTo(join(root, 'scaling.schema.json'));
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return `https://unpkg.com/scalectl@${version}/scaling.schema.json`;
}

const pad = (text: string, width: number) => (text.length >= width ? `${text} ` : text.padEnd(width));

// A service entry at indent 0 (the caller indents it), with a comment per decision. `adapter`: the
// provider's adapter (Docker measures CPU against a limit, so CPU autoscaling there sets one).
export function serviceLines(service: ServicePlan, adapter: string, provider?: string): string[] {
  const lines = [`# ${service.name}: ${describeScaling(service.scaling)}.`, ...service.notes.map((note) => `# ${note}`), `${service.name}:`];
  if (provider) lines.push(`  provider: ${provider}`);
  if (service.target) lines.push(`  target: ${flowText(service.target)}`);
  const scaling = service.scaling;
  if (scaling.kind === 'fixed') {
    lines.push(`${pad(`  replicas: ${scaling.replicas}`, 20)}# a fixed count (0 = stopped)`);
  } else {
    lines.push('  autoscale:');
    lines.push(`${pad(`    min: ${scaling.min}`, 20)}# hot instances, always running`);
    lines.push(`${pad(`    max: ${scaling.max}`, 20)}# hot + cold: the cold ones start on demand`);
    lines.push('    metrics:');
    if (scaling.metric === 'concurrency') {
      const metric = `      - { type: concurrency, target: ${scaling.target}${scaling.limit ? `, limit: ${scaling.limit}` : ''} }`;
      lines.push(`${pad(metric, 56)}# soft target per instance; past the hard limit requests queue`);
    } else if (scaling.metric === 'rps') {
      lines.push(`${pad(`      - { type: rps, target: ${scaling.target} }`, 56)}# requests per second per instance`);
    } else {
      lines.push(`${pad(`      - { type: cpu, utilization: ${scaling.target} }`, 56)}# % of the requested CPU`);
      if (adapter === 'docker') lines.push(`${pad('  resources: { cpu: 1 }', 36)}# Docker has no CPU request: % of this limit (cores per instance)`);
    }
  }
  if (service.source) lines.push(`${pad(`  source: ${flowText(service.source)}`, 20)}# what scalectl check scans`);
  return lines;
}

function providerLine(provider: ProviderChoice): string {
  const settings = { adapter: provider.adapter, ...provider.settings };
  const comment =
    provider.adapter === 'mock' ? '# the embedded mock cloud; its state lives in .scalectl/'
      : provider.adapter === 'docker' ? '# DOCKER_HOST or the local Docker socket'
        : provider.adapter === 'kubernetes' ? '# a kubeconfig context (KUBECONFIG or ~/.kube/config)' : '';
  return `${pad(`  ${provider.name}: ${flowText(settings)}`, 36)}${comment}`.trimEnd();
}

// A whole new scaling.yaml.
export function renderNew(answers: InitAnswers, dir: string): string {
  const lines = [
    modeline(dir),
    '# How every service of this application scales (written by `scalectl init`).',
    '#   scalectl validate   check this file        scalectl plan    what would change',
    '#   scalectl apply      make it so             scalectl show    the live state',
    '# Change one value later with: scalectl set <service> autoscale.max=20',
    'version: 1',
    '',
    'providers:',
    providerLine(answers.provider),
    '',
    'defaults:',
    `  provider: ${answers.provider.name}`,
    '',
    'services:',
  ];
  answers.services.forEach((service, i) => {
    if (i > 0) lines.push('');
    lines.push(...serviceLines(service, answers.provider.adapter).map((line) => `  ${line}`));
  });
  return `${lines.join('\n')}\n`;
}

// The existing file with the new provider (if any) and services appended; its bytes otherwise unchanged.
export function renderExtension(text: string, answers: InitAnswers): string {
  const doc = parseDocument(text);
  let next = text;
  if (!answers.provider.existing) {
    next = editYaml(next, ['providers', answers.provider.name], { adapter: answers.provider.adapter, ...answers.provider.settings });
  }
  const defaultProvider = String(doc.getIn(['defaults', 'provider']) ?? 'mock');
  const explicit = answers.provider.name === defaultProvider ? undefined : answers.provider.name;
  for (const service of answers.services) {
    next = appendToMap(next, ['services'], (indent) => ['', ...serviceLines(service, answers.provider.adapter, explicit).map((line) => `${' '.repeat(indent)}${line}`)]);
  }
  return next;
}

