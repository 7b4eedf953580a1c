// Turns `providers.<name>.adapter` into a live adapter: a built-in (loaded lazily, so the mock
// cloud never loads dockerode or the Kubernetes client), a module path, or an npm package.
import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AdapterError } from '../src/errors.js';
import type { Adapter, AdapterContext, AdapterFactory } from './contract.js';

const BUILT_IN: Record<string, () => Promise<{ default: AdapterFactory }>> = {
  mock: () => import('./mock-cloud/index.js'),
  docker: () => import('./docker/index.js'),
  kubernetes: () => import('./kubernetes/index.js'),
};

export const BUILT_IN_ADAPTERS = Object.keys(BUILT_IN);

const REQUIRED_METHODS = ['parseTarget', 'capabilities', 'read', 'apply'] as const;

/**
 * Which adapter code may run. Built-in adapters always; a module inside the project folder
 * (the folder of scaling.yaml) always — the file that names it is the project's own; a module
 * anywhere else only when named on the command line (--allow-adapter <path or package>).
 */
export interface AdapterTrust {
  /** Resolved paths and package names given with --allow-adapter. */
  allowed: string[];
}

// Loads and starts the adapter a provider names.
export async function loadAdapter(context: AdapterContext, trust: AdapterTrust = { allowed: [] }): Promise<Adapter> {
  const reference = context.provider.adapter;
  const factory = await loadFactory(reference, context, trust);
  let adapter: Adapter;
  try {
    adapter = await factory(context);
  } catch (error) {
    if (AdapterError.isAdapterError(error)) throw error;
    throw new AdapterError(reference, `the ${reference} adapter failed to start for provider "${context.provider.name}": ${(error as Error).message}`, { cause: error });
  }
  const missing = REQUIRED_METHODS.filter((m) => typeof (adapter as unknown as Record<string, unknown>)?.[m] !== 'function');
  if (missing.length > 0 || typeof adapter?.name !== 'string') {
    const what = [...(typeof adapter?.name !== 'string' ? ['name'] : []), ...missing.map((m) => `${m}()`)].join(', ');
    throw new AdapterError(reference, `adapter "${reference}" does not meet the adapter contract: missing ${what}`, {});
  }
  return adapter;
}

async function loadFactory(reference: string, context: AdapterContext, trust: AdapterTrust): Promise<AdapterFactory> {
  const { configDir } = context;
  const builtIn = BUILT_IN[reference];
  let module: { default?: unknown };
  let where: string;
  try {
    if (builtIn) {
      where = `the built-in ${reference} adapter`;
      context.debug(`provider ${context.provider.name}: ${where}`);
      module = await builtIn();
    } else if (reference.startsWith('.') || isAbsolute(reference)) {
      const path = isAbsolute(reference) ? reference : resolve(configDir, reference);
      where = path;
      checkTrusted(reference, realOrSelf(path), context, trust);
      context.debug(`provider ${context.provider.name}: loading adapter module ${realOrSelf(path)}`);
      module = await import(pathToFileURL(path).href);
    } else {
      where = `package ${reference}`;
      const path = resolvePackage(reference, configDir);
      checkTrusted(reference, realOrSelf(path), context, trust);
      context.debug(`provider ${context.provider.name}: loading adapter package ${reference} from ${realOrSelf(path)}`);
      module = await import(pathToFileURL(path).href);
    }
  } catch (error) {
    if (AdapterError.isAdapterError(error)) throw error;
    const hint = reference in BUILT_IN
      ? ''
      : ` (expected one of ${BUILT_IN_ADAPTERS.join(', ')}, a path such as ./adapters/my-adapter.js, or an installed npm package)`;
    throw new AdapterError(reference, `cannot load adapter "${reference}": ${(error as Error).message.split('\n')[0]}${hint}`, { cause: error });
  }
  const factory = module.default;
  if (typeof factory !== 'function') {
    throw new AdapterError(reference, `adapter "${reference}" (${where}) does not meet the adapter contract: its default export must be defineAdapter(factory)`);
  }
  return factory as AdapterFactory;
}

// Resolves an npm package from the project's folder first, then from scalectl's own.
function resolvePackage(name: string, configDir: string): string {
  try {
    return createRequire(join(configDir, 'package.json')).resolve(name);
  } catch {
    return createRequire(import.meta.url).resolve(name);
  }
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

// Third-party code outside the project runs only when the command line names it.
function checkTrusted(reference: string, path: string, context: AdapterContext, trust: AdapterTrust): void {
  const project = realOrSelf(context.configDir);
  const inside = path === project || path.startsWith(`${project}${sep}`);
  if (inside || trust.allowed.includes(path) || trust.allowed.includes(reference)) return;
  const flag = reference.startsWith('.') || isAbsolute(reference) ? path : reference;
  throw new AdapterError(
    reference,
    `provider "${context.provider.name}" names adapter code outside the project: ${path}. scalectl runs adapter code from outside ${project} only when you allow it on the command line: --allow-adapter ${flag}`,
  );
}
