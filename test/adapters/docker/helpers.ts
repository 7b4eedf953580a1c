// Drives the Docker adapter through its contract, as the CLI would: read, then apply with the fingerprint read saw.
import type { Adapter, ApplyResult, ObservedTarget } from '../../../adapters/contract.js';
import createDocker from '../../../adapters/docker/index.js';
import type { ServiceSpec } from '../../../src/config/model.js';

// A Docker adapter with the given provider settings (stopGrace short so scale-in tests are quick).
export async function dockerAdapter(settings: Record<string, unknown> = {}, configDir = process.cwd()): Promise<Adapter> {
  return createDocker({
    provider: { name: 'docker', adapter: 'docker', settings: { stopGrace: '1s', ...settings } },
    configDir,
    env: process.env,
    debug: () => {},
  });
}

// Reads one target.
export async function readTarget(
  adapter: Adapter,
  target: string,
  desired: ServiceSpec = {},
  extensions: Record<string, unknown> = {},
): Promise<ObservedTarget> {
  const [observed] = await adapter.read([{ service: 'web', target, desired, extensions }], { signal: new AbortController().signal });
  return observed;
}

// Plans against a fresh read and applies, like `scalectl apply`; returns the result and the read it used.
export async function converge(
  adapter: Adapter,
  target: string,
  desired: ServiceSpec,
  options: { extensions?: Record<string, unknown>; dryRun?: boolean; signal?: AbortSignal; progress?: (line: string) => void } = {},
): Promise<ApplyResult & { observed: ObservedTarget }> {
  const extensions = options.extensions ?? {};
  const observed = await readTarget(adapter, target, desired, extensions);
  const result = await adapter.apply(
    { service: 'web', target, extensions, desired, changes: [], fingerprint: observed.fingerprint },
    { dryRun: options.dryRun ?? false, signal: options.signal ?? new AbortController().signal, progress: options.progress },
  );
  return { ...result, observed };
}
