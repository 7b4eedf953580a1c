// `service/<name>`: a Swarm service. Replicas and resources are written with the version index
// the plan observed, so a concurrent change is refused by the engine rather than overwritten.
import type { ApplyOptions, ApplyResult, ChangeRequest, ObservedTarget } from '../contract.js';
import type { ServiceSpec } from '../../src/config/model.js';
import { AdapterError, StalePlanError } from '../../src/errors.js';
import { ADAPTER, engineError, engineMessage } from './client.js';
import { type Engine, hasFingerprint, type TargetHandler } from './engine.js';
import { cpuToNano, memoryToBytes, observedResources } from './resources.js';

interface ServiceInfo {
  ID: string;
  Version: { Index: number };
  Spec: {
    Mode?: { Replicated?: { Replicas?: number }; Global?: object; ReplicatedJob?: object; GlobalJob?: object };
    TaskTemplate?: { Resources?: { Limits?: { NanoCPUs?: number; MemoryBytes?: number } } };
  } & Record<string, unknown>;
}

// The fingerprint of a service: its id and version index ("absent" when there is none).
export function swarmFingerprint(info: ServiceInfo | undefined): string {
  return info ? `swarm:${info.ID}:${info.Version.Index}` : 'swarm:absent';
}

function modeOf(info: ServiceInfo): string {
  const mode = info.Spec.Mode ?? {};
  return mode.Global ? 'global' : mode.ReplicatedJob ? 'replicated-job' : mode.GlobalJob ? 'global-job' : 'replicated';
}

// The handler for one Swarm service.
export function swarmTarget(engine: Engine, target: string, name: string): TargetHandler {
  const inspect = async (): Promise<ServiceInfo | undefined> => {
    try {
      return (await engine.docker.getService(name).inspect()) as ServiceInfo;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      if (/not a swarm manager|swarm mode/i.test(engineMessage(error))) {
        throw new AdapterError(ADAPTER, `${target}: this engine is not a Swarm manager; run \`docker swarm init\` or use a compose:/container/ target.`);
      }
      throw engineError(engine.address, `reading ${target}`, error);
    }
  };
  const tasksOf = async (): Promise<TaskCount> => {
    const tasks = (await engine.docker.listTasks({ filters: { service: [name], 'desired-state': ['running'] } })) as Array<{
      Status?: { State?: string; Err?: string };
    }>;
    const errors = [...new Set(tasks.map((t) => t.Status?.Err).filter((e): e is string => Boolean(e)))];
    return { running: tasks.filter((t) => t.Status?.State === 'running').length, errors };
  };
  const runningTasks = async (): Promise<number> => (await tasksOf()).running;

  return {
    async read(request): Promise<ObservedTarget> {
      const info = await inspect();
      if (!info) return { exists: false, fingerprint: swarmFingerprint(undefined), spec: {}, details: { swarm: 'no such service' } };
      const spec: ServiceSpec = {};
      const mode = modeOf(info);
      if (mode === 'replicated') spec.replicas = info.Spec.Mode?.Replicated?.Replicas ?? 1;
      const limits = info.Spec.TaskTemplate?.Resources?.Limits ?? {};
      const resources = observedResources(limits.NanoCPUs ?? 0, limits.MemoryBytes ?? 0, request.desired.resources);
      if (resources) spec.resources = resources;
      const ready = await runningTasks().catch(() => undefined);
      return {
        exists: true,
        fingerprint: swarmFingerprint(info),
        spec,
        ...(spec.replicas !== undefined && ready !== undefined ? { instances: { desired: spec.replicas, ready } } : {}),
        details: { mode, version: info.Version.Index },
      };
    },

    async apply(change: ChangeRequest, options: ApplyOptions): Promise<ApplyResult> {
      const info = await inspect();
      if (!info) throw new AdapterError(ADAPTER, `${target}: no Swarm service named "${name}"; create it (\`docker service create --name ${name} …\`) first.`);
      const planVersion = hasFingerprint(change) ? Number(change.fingerprint.split(':').pop()) : info.Version.Index;
      if (hasFingerprint(change) && swarmFingerprint(info) !== change.fingerprint) {
        throw new StalePlanError(
          `${change.service} (${target}) changed since the plan was made: Swarm version ${info.Version.Index}, the plan saw ` +
            `${change.fingerprint.replace(/^swarm:[^:]*:?/, '') || 'no service'}. Run \`scalectl plan\` again.`,
        );
      }
      if (modeOf(info) !== 'replicated' && change.desired.replicas !== undefined) {
        throw new AdapterError(ADAPTER, `${target} runs in ${modeOf(info)} mode, which cannot be scaled; remove \`replicas\` for it or use a replicated service.`);
      }
      const spec = structuredClone(info.Spec);
      const done: string[] = [];
      const before = spec.Mode?.Replicated?.Replicas;
      const desired = change.desired.replicas;
      if (desired !== undefined && desired !== before) {
        spec.Mode = { Replicated: { Replicas: desired } };
        done.push(`scaled ${name} from ${before ?? 1} to ${desired} replicas`);
      }
      const resourcesLine = applyResources(spec, change);
      if (resourcesLine) done.push(resourcesLine);
      if (done.length === 0) return { done: [] };
      if (options.dryRun) return { done: done.map((line) => `would have ${line}`) };
      if (options.signal.aborted) {
        throw new AdapterError(ADAPTER, `${target}: interrupted before updating the service; done: none. Re-run apply to converge.`, { retryable: true });
      }
      try {
        await engine.docker.getService(name).update({ _query: { version: planVersion }, _body: spec } as never);
      } catch (error) {
        if (/out of sequence/i.test(engineMessage(error))) {
          throw new StalePlanError(`${change.service} (${target}) was changed by someone else while applying (Swarm refused version ${planVersion}). Run \`scalectl plan\` again.`);
        }
        throw engineError(engine.address, `updating ${target}`, error);
      }
      for (const line of done) options.progress?.(line);
      if (desired !== undefined) await waitForTasks(engine, target, tasksOf, desired, options.signal, done);
      return { done };
    },
  };
}

// Sets the task template's limits to the desired resources; returns the step line when they change (a rolling update).
function applyResources(spec: ServiceInfo['Spec'], change: ChangeRequest): string | undefined {
  const wanted = change.desired.resources;
  if (!wanted || (wanted.cpu === undefined && wanted.memory === undefined)) return undefined;
  const template = (spec.TaskTemplate ??= {});
  const resources = (template.Resources ??= {});
  const limits = (resources.Limits ??= {});
  const changed: string[] = [];
  if (wanted.cpu !== undefined && limits.NanoCPUs !== cpuToNano(wanted.cpu)) {
    limits.NanoCPUs = cpuToNano(wanted.cpu);
    changed.push(`cpu ${wanted.cpu}`);
  }
  if (wanted.memory !== undefined && limits.MemoryBytes !== memoryToBytes(wanted.memory)) {
    limits.MemoryBytes = memoryToBytes(wanted.memory);
    changed.push(`memory ${wanted.memory}`);
  }
  return changed.length ? `set task limits (${changed.join(', ')}); Swarm rolls the tasks` : undefined;
}

interface TaskCount {
  running: number;
  /** The distinct errors of tasks that should run but do not ("no suitable node …"). */
  errors: string[];
}

// Waits (bounded by the provider's convergeTimeout) until `desired` tasks run. Throws a retryable
// AdapterError with `done` (the update took effect) when they do not in time or the signal aborts.
async function waitForTasks(
  engine: Engine,
  target: string,
  tasks: () => Promise<TaskCount>,
  desired: number,
  signal: AbortSignal,
  done: string[],
): Promise<void> {
  const deadline = Date.now() + engine.convergeTimeoutMs;
  let last: TaskCount = { running: -1, errors: [] };
  for (;;) {
    try {
      last = await tasks();
    } catch (error) {
      throw engineError(engine.address, `${target}: the service was updated, but its tasks could not be listed`, error, done);
    }
    if (last.running === desired) return;
    if (signal.aborted) {
      throw new AdapterError(
        ADAPTER,
        `${target}: interrupted while waiting for the tasks; ${last.running} of ${desired} running. Swarm keeps converging; ` +
          '`docker service ps` shows it.',
        { retryable: true, done },
      );
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const why = last.errors.length ? `; task errors: ${last.errors.join('; ')}` : '';
  throw new AdapterError(
    ADAPTER,
    `${target}: the service was updated, but ${last.running} of ${desired} tasks run after the provider's convergeTimeout ` +
      `(${engine.convergeTimeoutMs} ms)${why}. Check \`docker service ps --no-trunc ${target.replace(/^service\//, '')}\`, ` +
      'fix the cause, or raise `convergeTimeout`.',
    { retryable: true, done },
  );
}
