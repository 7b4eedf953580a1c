// read and apply for targets whose replicas are containers (Compose services, managed containers).
import type { ApplyOptions, ApplyResult, ChangeRequest, ObservedTarget, TargetRequest } from '../contract.js';
import type { ServiceSpec } from '../../src/config/model.js';
import { StalePlanError } from '../../src/errors.js';
import { engineError } from './client.js';
import { namesBetween, planReplicaSteps, type ReplicaSteps, runReplicaSteps } from './converge.js';
import { type Engine, graceSeconds, hasFingerprint, type TargetHandler } from './engine.js';
import { listReplicas, type Replica, type ReplicaBody, replicaLimits, replicasFingerprint, withLimits } from './replicas.js';
import { cpuToNano, memoryToBytes, observedResources } from './resources.js';

// Makes new replicas for one target: name and create body of replica `number`.
export type ReplicaFactory = (number: number) => ReplicaBody;

// What differs between Compose services and managed containers.
export interface ReplicaSource {
  /** Label filters (key=value) selecting exactly this target's replicas. */
  labels: string[];
  numberLabel: string;
  /** Compose keeps its first container (stopped) at replicas: 0, so it can scale out again. */
  keepTemplate: boolean;
  /**
   * Managed containers: a stopped container is still one of the target's replicas (started again
   * on scale-out, removed first on scale-in, removed at 0), so leftovers are never "in sync".
   */
  stoppedAreReplicas: boolean;
  /** Checks the target's `x-docker` settings; throws an AdapterError naming what is wrong. */
  check?(extensions: Record<string, unknown>): Promise<void>;
  removeVolumes: boolean;
  /** A stopped replica that will not start is removed and made again (scalectl's own replicas only). */
  recreateStopped?: boolean;
  /** Whether new replicas could be made (a replica or a template to copy). */
  canCreate(replicas: Replica[], extensions: Record<string, unknown>): Promise<boolean>;
  /** With no replica at all: where they may be instead (another Compose project) — an error for the plan, or a warning. */
  missing?(): Promise<{ error?: string; warning?: string }>;
  /** Why no replica can be made when canCreate says so, shown as a plan warning. */
  cannotCreate?(replicas: Replica[]): string;
  /** The factory for new replicas, or an AdapterError refusing as Compose would. */
  factory(replicas: Replica[], desired: number, extensions: Record<string, unknown>): Promise<ReplicaFactory>;
}

// A TargetHandler over a ReplicaSource.
export function containerTarget(engine: Engine, target: string, source: ReplicaSource): TargetHandler {
  const list = () => listReplicas(engine.docker, source.labels, source.numberLabel);

  async function observe(replicas: Replica[], desired: ServiceSpec, extensions: Record<string, unknown>): Promise<ObservedTarget> {
    const live = replicas.filter((r) => r.live);
    const stopped = replicas.filter((r) => !r.live);
    const spec: ServiceSpec = { replicas: observedCount(replicas, desired.replicas, source.stoppedAreReplicas) };
    const sample = live[0] ?? replicas[0];
    if (sample) {
      // Only the limits the file names (see observedResources): unmentioned ones are left alone.
      const limits = replicaLimits(sample);
      const resources = observedResources(limits.nanoCpus, limits.memory, desired.resources);
      if (resources) spec.resources = resources;
    }
    const exists = replicas.length > 0 || (await source.canCreate(replicas, extensions));
    const warnings = !exists && source.cannotCreate ? [source.cannotCreate(replicas)] : undefined;
    const leftovers =
      source.stoppedAreReplicas && stopped.length
        ? [`${target}: ${stopped.map((r) => `${r.name} (${r.state})`).join(', ')} stopped outside scalectl; apply starts ${stopped.length === 1 ? 'it' : 'them'} again or, scaling in, removes ${stopped.length === 1 ? 'it' : 'them'} first`]
        : [];
    // The stop grace is not engine state: it is used on every scale-in, so it is always "as desired".
    if (desired.traffic?.requestTimeout !== undefined) spec.traffic = { requestTimeout: desired.traffic.requestTimeout };
    return {
      exists,
      ...(warnings || leftovers.length ? { warnings: [...(warnings ?? []), ...leftovers] } : {}),
      fingerprint: replicasFingerprint(replicas),
      spec,
      instances: { desired: source.stoppedAreReplicas ? replicas.length : live.length, ready: live.filter((r) => r.state === 'running').length },
      details: { containers: replicas.map((r) => r.name).join(', ') || 'none', stopped: replicas.length - live.length },
    };
  }

  return {
    async read(request: TargetRequest) {
      await source.check?.(request.extensions);
      try {
        const replicas = await list();
        const elsewhere = replicas.length === 0 ? await source.missing?.() : undefined;
        if (elsewhere?.error) return { exists: false, fingerprint: replicasFingerprint(replicas), spec: {}, error: elsewhere.error };
        const observed = await observe(replicas, request.desired, request.extensions);
        return elsewhere?.warning ? { ...observed, warnings: [...(observed.warnings ?? []), elsewhere.warning] } : observed;
      } catch (error) {
        throw engineError(engine.address, `reading ${target}`, error);
      }
    },

    async apply(change: ChangeRequest, options: ApplyOptions): Promise<ApplyResult> {
      await source.check?.(change.extensions);
      let replicas: Replica[];
      try {
        replicas = await list();
      } catch (error) {
        throw engineError(engine.address, `reading ${target}`, error);
      }
      const live = replicasFingerprint(replicas);
      if (hasFingerprint(change) && live !== change.fingerprint) {
        throw new StalePlanError(
          `${change.service} (${target}) changed since the plan was made: its containers are not the ones the plan saw ` +
            `(plan ${change.fingerprint}, now ${live}). Run \`scalectl plan\` again.`,
        );
      }
      const desired = change.desired.replicas;
      const steps: ReplicaSteps =
        desired === undefined ? { start: [], create: { first: 1, count: 0 }, remove: [], stop: [] } : planReplicaSteps(replicas, desired, source.keepTemplate, source.stoppedAreReplicas);
      const nanoCpus = change.desired.resources?.cpu !== undefined ? cpuToNano(change.desired.resources.cpu) : undefined;
      const memory = change.desired.resources?.memory !== undefined ? memoryToBytes(change.desired.resources.memory) : undefined;
      // Starting a stopped replica may need the factory too: one that will not start is made again.
      const factory = steps.create.count
        ? await source.factory(replicas, desired ?? 0, change.extensions)
        : steps.start.length && source.recreateStopped
          ? await source.factory(replicas, desired ?? 0, change.extensions).catch(() => undefined)
          : undefined;
      const kept = replicas.filter((r) => !steps.remove.includes(r));
      const toUpdate = nanoCpus === undefined && memory === undefined ? [] : needsUpdate(kept, nanoCpus, memory);
      const newReplica: ReplicaFactory = (number) => {
        const made = factory!(number);
        return { ...made, body: withLimits(made.body, nanoCpus, memory) };
      };
      if (options.dryRun) return { done: describeDryRun(steps, toUpdate, newReplica) };
      const done = await runReplicaSteps(
        {
          docker: engine.docker,
          address: engine.address,
          label: target,
          graceSeconds: graceSeconds(engine, change),
          timeoutMs: engine.timeoutMs,
          removeVolumes: source.removeVolumes,
          newReplica,
          canRecreate: factory !== undefined && source.recreateStopped === true,
          signal: options.signal,
          progress: options.progress,
        },
        steps,
        { replicas: toUpdate, nanoCpus, memory },
      );
      return { done };
    },
  };
}

// The replica count read reports. Compose: the live containers. Managed containers: stopped ones
// count too, so a leftover is a change to plan — except below the desired count, where the live
// count says that apply will start them.
function observedCount(replicas: Replica[], desired: number | undefined, stoppedAreReplicas: boolean): number {
  const live = replicas.filter((r) => r.live).length;
  if (!stoppedAreReplicas) return live;
  return desired !== undefined && live < desired ? live : replicas.length;
}

// The kept replicas whose limits differ from the desired ones (so re-runs update nothing twice).
function needsUpdate(kept: Replica[], nanoCpus?: number, memory?: number): Replica[] {
  return kept.filter((replica) => {
    const limits = replicaLimits(replica);
    return (nanoCpus !== undefined && limits.nanoCpus !== nanoCpus) || (memory !== undefined && limits.memory !== memory);
  });
}

function describeDryRun(steps: ReplicaSteps, toUpdate: Replica[], newReplica: ReplicaFactory): string[] {
  return [
    ...toUpdate.map((r) => `would update ${r.name} (resources)`),
    ...steps.start.map((r) => `would start ${r.name}`),
    ...(steps.create.count > 10
      ? [`would create ${namesBetween(0, steps.create.count, (i) => newReplica(steps.create.first + i).name)}`]
      : Array.from({ length: steps.create.count }, (_, i) => `would create ${newReplica(steps.create.first + i).name}`)),
    ...steps.remove.map((r) => `would stop and remove ${r.name}`),
    ...steps.stop.map((r) => `would stop ${r.name} (kept as the template)`),
  ];
}
