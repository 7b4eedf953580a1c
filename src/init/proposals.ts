// What init proposes from what it found: providers, service names, each service's source and
// target. Shared by the wizard (as defaults to confirm) and --yes (as the answers).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { isMap, parseDocument } from 'yaml';
import { UsageError } from '../errors.js';
import type { Discovery } from './discover.js';
import type { ServiceFlag } from './flags.js';
import { PROVIDER_NAMES, defaultScaling, defaultTarget, type AdapterName, type ProviderChoice, type ServicePlan } from './model.js';

// What the flags said, before any question.
export interface Presets {
  provider?: string;
  context?: string;
  namespace?: string;
  services: ServiceFlag[];
  sources: Map<string, string>;
  targets: Map<string, string>;
}

// The file being extended: its providers (plus the built-in mock), default provider and services.
export interface ExistingFile { path: string; text: string; providers: Map<string, string>; defaultProvider: string; services: string[] }

// Reads the scaling.yaml to extend (only its shape; the validator runs on the result).
export function readExisting(path: string): ExistingFile {
  const text = readFileSync(path, 'utf8');
  const doc = parseDocument(text);
  const providers = new Map<string, string>([['mock', 'mock']]);
  const declared = doc.get('providers');
  if (isMap(declared)) for (const pair of declared.items) providers.set(String((pair.key as { value: unknown }).value), String((pair.value as { get?: (k: string) => unknown })?.get?.('adapter') ?? ''));
  const services = doc.get('services');
  return {
    path,
    text,
    providers,
    defaultProvider: String(doc.getIn(['defaults', 'provider']) ?? 'mock'),
    services: isMap(services) ? services.items.map((pair) => String((pair.key as { value: unknown }).value)) : [],
  };
}

// Adapters to offer, the likeliest first: what the discovery suggests, then the mock cloud.
export function providerOptions(discovery: Discovery): { adapter: AdapterName; hint: string }[] {
  const options: { adapter: AdapterName; hint: string }[] = [];
  const compose = discovery.compose.map((c) => basename(c.file)).join(', ');
  if (discovery.compose.length || discovery.docker) {
    options.push({ adapter: 'docker', hint: [compose && `found ${compose}`, discovery.docker && `daemon at ${discovery.docker}`].filter(Boolean).join('; ') });
  }
  if (discovery.kube) options.push({ adapter: 'kubernetes', hint: `${discovery.kube.contexts.length} kubeconfig context(s)${discovery.kube.current ? `, current ${discovery.kube.current}` : ''}` });
  options.push({ adapter: 'mock', hint: 'the embedded mock cloud: no infrastructure needed' });
  return options;
}

// A provider for an adapter: reuses one the file already declares, else a new key.
export function providerFor(adapter: string, settings: Record<string, string>, existing?: ExistingFile): ProviderChoice {
  if (existing) {
    // A provider the file declares under the adapter's name; else the one it declares with that
    // adapter (for mock, before the built-in `mock`, which every file has: `sim: { adapter: mock }`
    // is the mock cloud the file already uses).
    if (existing.providers.has(adapter) && !(adapter === 'mock' && existing.providers.get('mock') === 'mock')) return { name: adapter, adapter: existing.providers.get(adapter)!, settings: {}, existing: true };
    const same = [...existing.providers].find(([name, a]) => a === adapter && name !== 'mock' && Object.keys(settings).length === 0);
    if (same) return { name: same[0], adapter, settings: {}, existing: true };
    if (adapter === 'mock') return { name: 'mock', adapter, settings: {}, existing: true };
  }
  const base = PROVIDER_NAMES[adapter as AdapterName] ?? adapter;
  let name = base;
  for (let i = 2; existing?.providers.has(name); i++) name = `${base}${i}`;
  return { name, adapter, settings };
}

// Kubernetes settings from flags or the kubeconfig's current context.
export function kubeSettings(discovery: Discovery, presets: Presets): Record<string, string> {
  const context = presets.context ?? discovery.kube?.current;
  const namespace = presets.namespace ?? discovery.kube?.contexts.find((c) => c.name === context)?.namespace;
  return { ...(context ? { context } : {}), ...(namespace ? { namespace } : {}) };
}

// Service names worth proposing: Compose services, else source folders, minus those already in the file.
export function proposedNames(discovery: Discovery, taken: string[] = []): { name: string; hint: string }[] {
  const fromCluster = (discovery.workloads ?? []).map((w) => ({ name: w.name, hint: `${w.target}${w.replicas !== undefined ? `, ${w.replicas} replica${w.replicas === 1 ? '' : 's'} now` : ''}` }));
  const fromCompose = discovery.compose.flatMap((c) => c.services.map((s) => ({ name: s.name, hint: `${basename(c.file)}${s.source ? `, source ${s.source}` : ''}` })));
  const fromSources = discovery.sources.filter((s) => s !== '.').map((s) => ({ name: basename(s).toLowerCase().replace(/[^a-z0-9_.-]/g, '-'), hint: `source ${s}` }));
  const seen = new Set(taken);
  return (fromCluster.length ? fromCluster : fromCompose.length ? fromCompose : fromSources).filter((p) => !seen.has(p.name) && (seen.add(p.name), true));
}

// The defaults for one service: flags first, then what was found.
export function planService(name: string, discovery: Discovery, adapter: string, presets: Presets, fromFlag?: ServiceFlag): ServicePlan {
  const compose = discovery.compose.find((c) => c.services.some((s) => s.name === name));
  const composeService = compose?.services.find((s) => s.name === name);
  const source = presets.sources.get(name) ?? composeService?.source ?? discovery.sources.find((s) => basename(s).toLowerCase() === name.toLowerCase());
  const target = presets.targets.get(name) ?? discovery.workloads?.find((w) => w.name === name)?.target ?? defaultTarget(adapter, name, compose?.project);
  // Docker has no autoscaler of its own: scalectl autoscale drives it on cpu (Docker stats); nothing counts requests there.
  if (adapter === 'docker' && fromFlag?.scaling?.kind === 'autoscale' && fromFlag.scaling.metric !== 'cpu') {
    throw new UsageError(
      `--service ${name}: Docker counts no requests, so ${fromFlag.scaling.metric} cannot drive it; autoscale on cpu (scalectl autoscale reads Docker stats), ` +
        `e.g. --service ${name}=autoscale:cpu:1..4:70, or give a fixed count, e.g. --service ${name}=2`,
    );
  }
  const scaling = fromFlag?.scaling ?? (adapter === 'docker' ? ({ kind: 'fixed', replicas: 1 } as const) : defaultScaling());
  return { name, scaling, ...(source ? { source } : {}), ...(target ? { target } : {}), notes: [] };
}

// For a new Kubernetes provider: the namespace's workloads, as discovery (empty when unreachable).
export async function withWorkloads(discovery: Discovery, provider: ProviderChoice, env: NodeJS.ProcessEnv, report: (ok: boolean, line: string) => void): Promise<Discovery> {
  if (provider.adapter !== 'kubernetes' || provider.existing) return discovery;
  const { listWorkloads } = await import('./kube-workloads.js');
  const found = await listWorkloads(provider.settings, discovery.dir, env);
  if ('error' in found) {
    report(false, `Could not list the cluster's workloads (${found.error}); name the services yourself.`);
    return discovery;
  }
  const names = found.workloads.map((w) => w.name);
  report(true, `Namespace ${found.namespace} (context ${found.context}): ${names.length ? names.join(', ') : 'no Deployments or StatefulSets yet'}.`);
  return { ...discovery, workloads: found.workloads };
}

// Refuses flags that name services the file already has.
export function refuseTaken(names: string[], existing?: ExistingFile): void {
  const taken = names.filter((n) => existing?.services.includes(n));
  if (taken.length) {
    throw new UsageError(`${taken.join(', ')} ${taken.length === 1 ? 'is' : 'are'} already in ${basename(existing!.path)}; change ${taken.length === 1 ? 'it' : 'them'} with scalectl set ${taken[0]} <path>=<value>, or pass --force to start the file over`);
  }
}
