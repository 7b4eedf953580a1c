// The Docker adapter: Compose services, Swarm services and scalectl-managed containers on one
// Docker Engine. dockerode is imported on first use, so loading this file costs nothing.
import { defineAdapter, type ObservedTarget } from '../contract.js';
import { AdapterError } from '../../src/errors.js';
import { dockerCapabilities } from './capabilities.js';
import { ADAPTER, connect, engineError, isUnreachable, resolveAddress } from './client.js';
import { composeTarget } from './compose.js';
import { emulatedStore } from './emulated.js';
import { durationSetting, type Engine, type TargetHandler } from './engine.js';
import { managedTarget } from './managed.js';
import { swarmTarget } from './swarm.js';
import { mustParse, parseDockerTarget } from './target.js';

// The handler for a target string that parseTarget accepted.
function handlerFor(engine: Engine, target: string): TargetHandler {
  const parsed = mustParse(target);
  if (parsed.kind === 'compose') return composeTarget(engine, target, parsed.project, parsed.service);
  if (parsed.kind === 'swarm') return swarmTarget(engine, target, parsed.name);
  return managedTarget(engine, target, parsed.name);
}

// Provider settings: host (socket path, unix://…, tcp://127.0.0.1:…), timeout, stopGrace, convergeTimeout.
export default defineAdapter((context) => {
  const settings = context.provider.settings ?? {};
  const address = resolveAddress(settings.host, context.env);
  const timeoutMs = durationSetting(settings, 'timeout', 30_000);
  // Unset: each container's own stop grace (Compose's stop_grace_period), else the engine's 10 s.
  const stopGraceMs = settings.stopGrace === undefined || settings.stopGrace === null ? undefined : durationSetting(settings, 'stopGrace', 0);
  const convergeTimeoutMs = durationSetting(settings, 'convergeTimeout', 60_000);
  let pending: Promise<Engine> | undefined;
  const emulated = emulatedStore(context.provider.name, context.configDir, context.env);

  // Connects once and checks the engine answers; a failed attempt is not cached.
  const engine = (): Promise<Engine> =>
    (pending ??= (async () => {
      const docker = await connect(address, timeoutMs);
      try {
        await docker.ping();
      } catch (error) {
        pending = undefined;
        throw engineError(address, `the Docker Engine at ${address.display} did not answer`, error);
      }
      context.debug(`docker: engine at ${address.display} answers`);
      return { docker, address, stopGraceMs, timeoutMs, convergeTimeoutMs, configDir: context.configDir, debug: context.debug };
    })());

  return {
    name: ADAPTER,

    parseTarget(target) {
      const parsed = parseDockerTarget(target);
      return typeof parsed === 'string' ? parsed : undefined;
    },

    capabilities(target, observed) {
      const parsed = parseDockerTarget(target);
      return dockerCapabilities(typeof parsed === 'string' ? undefined : parsed, observed);
    },

    async read(requests, _options) {
      const live = await engine();
      const recorded = emulated.read();
      return Promise.all(
        requests.map(async (request): Promise<ObservedTarget> => {
          try {
            const observed = await handlerFor(live, request.target).read(request);
            // The autoscale block apply recorded for scalectl autoscale (Docker itself holds none).
            const autoscale = recorded(request.target);
            return autoscale && observed.exists ? { ...observed, spec: { ...observed.spec, autoscale } } : observed;
          } catch (error) {
            // An engine that went away is everyone's problem; one bad target is only its own.
            if (isUnreachable(error) || isUnreachable((error as { cause?: unknown }).cause)) throw engineError(address, 'reading', error);
            const message = AdapterError.isAdapterError(error) ? error.message : String((error as Error).message ?? error);
            return { exists: false, fingerprint: 'unreadable', spec: {}, error: message };
          }
        }),
      );
    },

    async apply(change, options) {
      // An autoscaled service has no `replicas`: the plan's replicas change (a live count outside
      // the bounds) says the count to set; scalectl autoscale sends its count in `replicas`.
      const countChange = change.changes.find((c) => c.field === 'replicas');
      const desired =
        change.desired.autoscale && change.desired.replicas === undefined && typeof countChange?.after === 'number'
          ? { ...change.desired, replicas: countChange.after }
          : change.desired;
      const result = await handlerFor(await engine(), change.target).apply({ ...change, desired }, options);
      if (!options.dryRun && change.changes.some((c) => c.field === 'autoscale' || c.field.startsWith('autoscale.') || c.field.startsWith('autoscale['))) {
        emulated.write(change.target, change.desired.autoscale);
        result.done.push(change.desired.autoscale ? `recorded the autoscale bounds for scalectl autoscale` : 'forgot the autoscale bounds');
        options.progress?.(result.done.at(-1)!);
      }
      return result;
    },

    async close() {
      pending = undefined;
    },
  };
});
