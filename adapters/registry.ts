// Turns `providers.<name>.adapter` into a live adapter: a built-in (loaded lazily, so the mock
// cloud never loads dockerode or the Kubernetes client), a module path, or an npm package.
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
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

// Loads and starts the adapter a provider names.
export async function loadAdapter(context: AdapterContext): Promise<Adapter> {
  const reference = context.provider.adapter;
  const factory = await loadFactory(reference, context.configDir);
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

async function loadFactory(reference: string, configDir: string): Promise<AdapterFactory> {
  const builtIn = BUILT_IN[reference];
  let module: { default?: unknown };
  let where: string;
  try {
    if (builtIn) {
      where = `the built-in ${reference} adapter`;
      module = await builtIn();
    } else if (reference.startsWith('.') || isAbsolute(reference)) {
      const path = isAbsolute(reference) ? reference : resolve(configDir, reference);
      where = path;
      module = await import(pathToFileURL(path).href);
    } else {
      where = `package ${reference}`;
      module = await importPackage(reference, configDir);
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
async function importPackage(name: string, configDir: string): Promise<{ default?: unknown }> {
  try {
    const path = createRequire(join(configDir, 'package.json')).resolve(name);
    return await import(pathToFileURL(path).href);
  } catch {
    return await import(name);
  }
}
