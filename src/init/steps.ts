// The wizard's questions, one function per step. Each takes `{ input, output, signal }` so it
// runs on a terminal, on mock streams in tests, and stops on Ctrl-C (WizardCancelled).
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import * as clack from '@clack/prompts';
import { InterruptedError } from '../errors.js';
import { METRICS, type MetricChoice, type Scaling } from './model.js';

export interface PromptIO { input: Readable; output: Writable; signal?: AbortSignal }

// Ctrl-C or Escape at a prompt: the wizard stops and writes nothing.
export class WizardCancelled extends InterruptedError {
  constructor() {
    super('init cancelled; nothing was written');
  }
}

// Each clack prompt leaves an abort listener on the signal it is given, so a long wizard on one
// signal trips Node's MaxListenersExceededWarning onto the screen. Each prompt gets its own signal,
// linked to the wizard's only while the prompt is open.
function ownSignal<P extends (options: never) => Promise<unknown>>(prompt: P): P {
  return (async (options: { signal?: AbortSignal }) => {
    const parent = options.signal;
    if (!parent) return prompt(options as never);
    const child = new AbortController();
    const relay = () => child.abort(parent.reason);
    if (parent.aborted) relay();
    else parent.addEventListener('abort', relay, { once: true });
    try {
      return await prompt({ ...options, signal: child.signal } as never);
    } finally {
      parent.removeEventListener('abort', relay);
    }
  }) as unknown as P;
}
const confirm = ownSignal(clack.confirm);
const multiselect = ownSignal(clack.multiselect);
const select = ownSignal(clack.select);
const text = ownSignal(clack.text);
const { isCancel } = clack;

function answer<T>(value: T): Exclude<T, symbol> {
  if (isCancel(value)) throw new WizardCancelled();
  return value as Exclude<T, symbol>;
}

const NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/;

function wholeNumber(min: number) {
  return (value: string | undefined) => (value === undefined || value === '' || (/^\d+$/.test(value) && Number(value) >= min) ? undefined : `a whole number of at least ${min}`);
}

async function askNumber(io: PromptIO, message: string, fallback: number, min: number): Promise<number> {
  const raw = answer(await text({ ...io, message, placeholder: String(fallback), defaultValue: String(fallback), validate: wholeNumber(min) }));
  return raw === '' || raw === undefined ? fallback : Number(raw);
}

// An existing scaling.yaml: add to it (keeping every comment), start over, or stop.
export async function existingStep(io: PromptIO, shown: string): Promise<'extend' | 'replace'> {
  const choice = answer(
    await select({
      ...io,
      message: `${shown} exists. What should init do?`,
      options: [
        { value: 'extend', label: 'Add services to it', hint: 'keeps its comments and everything in it' },
        { value: 'replace', label: 'Start over', hint: 'replaces it when you confirm at the end' },
        { value: 'stop', label: 'Stop', hint: 'change nothing' },
      ],
      initialValue: 'extend',
    }),
  );
  if (choice === 'stop') throw new WizardCancelled();
  return choice as 'extend' | 'replace';
}

// Which platform runs the services.
export async function providerStep(io: PromptIO, options: { value: string; label: string; hint?: string }[]): Promise<string> {
  return answer(await select({ ...io, message: 'Where do the services run?', options, initialValue: options[0]?.value }));
}

// A kubeconfig context and a namespace.
export async function kubeStep(io: PromptIO, contexts: { name: string; namespace?: string }[], current?: string): Promise<{ context?: string; namespace?: string }> {
  const context = contexts.length
    ? answer(await select({ ...io, message: 'Which kubeconfig context?', options: contexts.map((c) => ({ value: c.name, label: c.name, hint: c.namespace ? `namespace ${c.namespace}` : undefined })), initialValue: current ?? contexts[0].name }))
    : undefined;
  const fallback = contexts.find((c) => c.name === context)?.namespace ?? 'default';
  const namespace = answer(await text({ ...io, message: 'Which namespace?', placeholder: fallback, defaultValue: fallback }));
  return { ...(context ? { context } : {}), namespace: namespace || fallback };
}

// Which services to describe: pick among those found, and/or type names.
export async function servicesStep(io: PromptIO, proposals: { name: string; hint: string }[], taken: string[]): Promise<string[]> {
  const picked = proposals.length
    ? answer(await multiselect({ ...io, message: 'Which services should scalectl scale?', options: proposals.map((p) => ({ value: p.name, label: p.name, hint: p.hint })), initialValues: proposals.map((p) => p.name), required: false }))
    : [];
  const fallback = proposals.length || taken.includes('web') ? '' : 'web';
  const validate = (value: string | undefined) => {
    for (const name of (value ?? '').split(',').map((n) => n.trim()).filter(Boolean)) {
      if (!NAME.test(name)) return `"${name}" is not a service name (letters, digits, "-", "_", ".")`;
      if (taken.includes(name) || picked.includes(name)) return `"${name}" is already there`;
    }
    if (picked.length === 0 && (value ?? '').trim() === '' && !fallback) return 'name at least one service';
    return undefined;
  };
  const typed = answer(
    await text({
      ...io,
      message: proposals.length ? 'Any other services? (names, comma-separated; Enter for none)' : 'Which services? (names, comma-separated)',
      placeholder: fallback || 'none',
      defaultValue: fallback,
      validate,
    }),
  );
  return [...picked, ...(typed ?? '').split(',').map((n) => n.trim()).filter(Boolean)];
}

// Fixed count or autoscaling; for autoscaling the metric, its target and the bounds.
// `docker`: Docker has no autoscaler of its own: `scalectl autoscale` drives it on CPU (it reads
// Docker stats; nothing counts requests there), so the signal is CPU and not asked.
export async function scalingStep(io: PromptIO, service: string, initial: Scaling, docker = false): Promise<Scaling> {
  const kind = answer(
    await select({
      ...io,
      message: `How should ${service} scale?`,
      options: [
        docker
          ? { value: 'autoscale', label: 'Autoscale on CPU', hint: 'scalectl autoscale reads Docker stats and adds or removes containers' }
          : { value: 'autoscale', label: 'Autoscale on load', hint: 'hot instances always run; cold ones start on demand' },
        { value: 'fixed', label: 'A fixed number of instances' },
      ],
      initialValue: docker && initial.kind === 'autoscale' && initial.metric !== 'cpu' ? 'fixed' : initial.kind,
    }),
  );
  if (kind === 'fixed') return { kind: 'fixed', replicas: await askNumber(io, `How many instances of ${service}?`, initial.kind === 'fixed' ? initial.replicas : 1, 0) };
  const metric = docker ? 'cpu' : answer(
    await select({
      ...io,
      message: `Which signal drives ${service}?`,
      options: (Object.keys(METRICS) as MetricChoice[]).map((m) => ({ value: m, label: METRICS[m].label, hint: METRICS[m].explain })),
      initialValue: initial.kind === 'autoscale' ? initial.metric : 'concurrency',
    }),
  ) as MetricChoice;
  const defaults = METRICS[metric];
  const unit = metric === 'concurrency' ? 'in-flight requests per instance (soft target)' : metric === 'rps' ? 'requests per second per instance' : 'CPU % per instance';
  const target = await askNumber(io, `Target: ${unit}?`, defaults.target, 1);
  const limit = metric === 'concurrency' ? await askNumber(io, 'Hard limit: in-flight requests one instance accepts (the excess is queued)?', Math.max(defaults.limit ?? target, target), target) : undefined;
  const minFloor = metric === 'cpu' ? 1 : 0;
  const min = await askNumber(io, `Hot instances of ${service} (min, always running${metric === 'cpu' ? '; cpu cannot wake from 0' : ', 0 = scale to zero'})?`, initial.kind === 'autoscale' ? Math.max(initial.min, minFloor) : 1, minFloor);
  const max = await askNumber(io, `Maximum instances of ${service} (hot + cold)?`, Math.max(initial.kind === 'autoscale' ? initial.max : 10, min, 1), Math.max(min, 1));
  return { kind: 'autoscale', metric, min, max, target, ...(limit !== undefined ? { limit } : {}) };
}

// The folder the readiness checker scans (empty: none).
export async function sourceStep(io: PromptIO, service: string, dir: string, suggestion?: string): Promise<string | undefined> {
  const validate = (value: string | undefined) => {
    if (!value) return undefined;
    const path = resolve(dir, value);
    return existsSync(path) && statSync(path).isDirectory() ? undefined : `no folder ${value} here; give a folder relative to ${dir}, or leave it empty`;
  };
  const typed = answer(await text({ ...io, message: `Source folder of ${service}, for the readiness check? (Enter: ${suggestion ?? 'none'})`, placeholder: suggestion ?? 'none', defaultValue: suggestion ?? '', validate }));
  if (!typed) return undefined;
  return typed.startsWith('.') || typed.startsWith('/') ? typed : `./${typed}`;
}

// What to scale, in the provider's terms.
export async function targetStep(io: PromptIO, service: string, suggestion: string): Promise<string> {
  const typed = answer(await text({ ...io, message: `What runs ${service}? (target, e.g. ${suggestion})`, placeholder: suggestion, defaultValue: suggestion }));
  return typed || suggestion;
}

// After error findings: hold the service at one instance?
export async function holdStep(io: PromptIO, service: string): Promise<boolean> {
  return answer(await confirm({ ...io, message: `Run ${service} as 1 instance until these are fixed?`, initialValue: true }));
}

// The last question before anything is written.
export async function writeStep(io: PromptIO, shown: string, mode: 'new' | 'extend' | 'replace'): Promise<boolean> {
  const verb = mode === 'extend' ? `Add these to ${shown}?` : mode === 'replace' ? `Replace ${shown}?` : `Write ${shown}?`;
  return answer(await confirm({ ...io, message: verb, initialValue: true }));
}
