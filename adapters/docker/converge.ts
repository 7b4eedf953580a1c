// Converges container replicas to a count: which to start, create, stop or remove (pure), then
// the engine steps run in parallel, with exactly the steps that took effect reported as `done`.
import type Docker from 'dockerode';
import { AdapterError } from '../../src/errors.js';
import { ADAPTER, connect, engineError, type EngineAddress, engineMessage, isUnreachable, outcomeUnknown, unreachableError } from './client.js';
import { ENGINE_STOP_GRACE_SECONDS } from './engine.js';
import { isObsolete, newestHash, type Replica, type ReplicaBody, stopReplica, updateLimits } from './replicas.js';

// Consecutive replica numbers.
export interface ReplicaNumbers {
  first: number;
  count: number;
}

// What a replica count asks of the existing containers.
export interface ReplicaSteps {
  /** Stopped replicas to start again (lowest numbers first). */
  start: Replica[];
  /** New replicas to create: numbers first … first+count−1 (a range, so a huge count costs nothing until run). */
  create: ReplicaNumbers;
  /** Replicas to stop and remove (highest numbers first; for managed containers stopped ones first). */
  remove: Replica[];
  /** Live replicas to stop but keep (Compose at 0 keeps its first container as the template). */
  stop: Replica[];
}

// Decides the steps for `desired` replicas. Scale-in removes replicas made from an older version
// of a Compose service (a stale config-hash) first, then the highest numbers; scale-out starts
// current stopped replicas before obsolete ones, then creates the next numbers.
// With `stoppedAreReplicas` (managed containers) every container is a replica: scale-in removes
// stopped ones first, then the highest numbers; the kept stopped ones are started again.
export function planReplicaSteps(replicas: Replica[], desired: number, keepTemplate: boolean, stoppedAreReplicas = false): ReplicaSteps {
  if (stoppedAreReplicas) return planAllReplicas(replicas, desired);
  const newest = newestHash(replicas);
  const obsoleteFirst = (a: Replica, b: Replica) => Number(isObsolete(b, newest)) - Number(isObsolete(a, newest));
  const live = replicas.filter((r) => r.live);
  const stopped = replicas.filter((r) => !r.live);
  const steps: ReplicaSteps = { start: [], create: { first: 1, count: 0 }, remove: [], stop: [] };
  if (live.length > desired) {
    const excess = [...live].sort((a, b) => obsoleteFirst(a, b) || b.number - a.number).slice(0, live.length - desired);
    // Compose at 0 keeps one container to copy later: the lowest-numbered current one.
    const template = keepTemplate && desired === 0 ? (replicas.find((r) => !isObsolete(r, newest)) ?? replicas[0]) : undefined;
    for (const replica of excess) (replica === template ? steps.stop : steps.remove).push(replica);
  } else if (live.length < desired) {
    let missing = desired - live.length;
    steps.start = [...stopped].sort((a, b) => -obsoleteFirst(a, b) || a.number - b.number).slice(0, missing);
    missing -= steps.start.length;
    const next = replicas.reduce((max, r) => Math.max(max, r.number), 0) + 1;
    steps.create = { first: next, count: missing };
  }
  return steps;
}

// Steps that leave exactly `desired` containers, all running.
function planAllReplicas(replicas: Replica[], desired: number): ReplicaSteps {
  const highestFirst = (a: Replica, b: Replica) => b.number - a.number;
  const stopped = replicas.filter((r) => !r.live);
  const excess = Math.max(0, replicas.length - desired);
  const remove = [...stopped.sort(highestFirst), ...replicas.filter((r) => r.live).sort(highestFirst)].slice(0, excess);
  const next = replicas.reduce((max, r) => Math.max(max, r.number), 0) + 1;
  return {
    start: stopped.filter((r) => !remove.includes(r)).sort((a, b) => a.number - b.number),
    create: { first: next, count: Math.max(0, desired - replicas.length) },
    remove,
    stop: [],
  };
}

// How to run the steps on one target.
export interface StepRunner {
  docker: Docker;
  address: EngineAddress;
  /** `compose:shop/web`, for messages. */
  label: string;
  /** The stop grace; undefined: each container's own StopTimeout (else the engine's 10 s). */
  graceSeconds: number | undefined;
  /** The HTTP timeout of one engine request (a stop request gets its grace on top). */
  timeoutMs: number;
  removeVolumes: boolean;
  /** The container name, create body and further networks of new replica `number`. */
  newReplica(number: number): ReplicaBody;
  /**
   * Whether a stopped replica that will not start may be removed and made again (same number):
   * what an engine that died mid-apply leaves ("task … already exists", a network gone) is
   * then repaired by re-running apply instead of failing the same way forever.
   */
  canRecreate?: boolean;
  signal: AbortSignal;
  progress?: (message: string) => void;
}

const CREATE_PARALLELISM = Number(process.env.SCALECTL_DOCKER_PARALLELISM) || 16;

interface Failure { what: string; action: string; error: unknown }

// Runs the steps (limits first, then starts/creates or stops/removes in parallel); throws an
// AdapterError naming what was and was not done when any step failed or the signal aborted. The
// signal is checked before each phase and each launch; stops already sent finish.
export async function runReplicaSteps(
  runner: StepRunner,
  steps: ReplicaSteps,
  limits: { replicas: Replica[]; nanoCpus?: number; memory?: number },
): Promise<string[]> {
  // Lines in the plan's order (steps finish in any order; progress shows them as they do).
  const finished: Array<{ rank: number; line: string }> = [];
  const failed: Failure[] = [];
  const unknown: string[] = [];
  const skipped: string[] = [];
  let ranks = 0;
  const attempt = async (what: string, action: string, work: () => Promise<string>) => {
    const rank = ranks++;
    try {
      const line = await work();
      finished.push({ rank, line });
      runner.progress?.(line);
    } catch (error) {
      if (outcomeUnknown(error)) unknown.push(what);
      failed.push({ what, action, error });
    }
  };
  // True (and the phase's steps counted as not attempted) once the signal aborted.
  const interrupted = (names: string[]) => {
    if (runner.signal.aborted) skipped.push(...names);
    return runner.signal.aborted;
  };
  const describe = [limits.nanoCpus !== undefined ? 'cpu' : '', limits.memory !== undefined ? 'memory' : ''].filter(Boolean).join(', ');
  if (describe && !interrupted(limits.replicas.map((r) => `update ${r.name}`))) {
    await Promise.all(
      limits.replicas.map((r) =>
        attempt(r.name, 'update', async () => {
          await updateLimits(runner.docker, r, limits.nanoCpus, limits.memory);
          return `updated ${r.name} (${describe})`;
        }),
      ),
    );
  }
  // Launches are made one at a time as workers take them: a count of millions never becomes a list.
  const total = steps.start.length + steps.create.count;
  const launchAt = (index: number): { what: string; action: string; work: () => Promise<string> } => {
    if (index < steps.start.length) {
      const r = steps.start[index];
      return {
        what: r.name,
        action: 'start',
        work: async () => {
          try {
            await runner.docker.getContainer(r.id).start();
          } catch (error) {
            if (!runner.canRecreate || isUnreachable(error) || outcomeUnknown(error)) throw error;
            return recreate(runner, r, error, failed);
          }
          return `started ${r.name}`;
        },
      };
    }
    const made = runner.newReplica(steps.create.first + index - steps.start.length);
    return { what: made.name, action: 'create', work: () => createAndStart(runner.docker, made, failed) };
  };
  let next = 0;
  const worker = async () => {
    while (next < total && failed.length === 0) {
      if (runner.signal.aborted) break;
      const launch = launchAt(next++);
      await attempt(launch.what, launch.action, launch.work);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CREATE_PARALLELISM, total) }, worker));
  if (next < total) skipped.push(namesBetween(next, total, (index) => launchAt(index).what));
  const stops = [...steps.remove, ...steps.stop];
  if (stops.length && !interrupted(stops.map((r) => r.name))) {
    // A stop request lasts as long as the grace: its HTTP timeout is the grace plus the usual timeout.
    const longest = stops.reduce((most, r) => Math.max(most, runner.graceSeconds ?? r.stopTimeout ?? ENGINE_STOP_GRACE_SECONDS), 0);
    const stopper = await connect(runner.address, longest * 1000 + runner.timeoutMs);
    // The grace can last many seconds: say per replica that its stop began, not only when it ended.
    const stopping = (r: Replica) => {
      const grace = runner.graceSeconds ?? r.stopTimeout ?? ENGINE_STOP_GRACE_SECONDS;
      runner.progress?.(`stopping ${r.name} (SIGTERM, then SIGKILL after ${grace} s if still running)`);
    };
    // Scale-in: every container gets SIGTERM at once, then the grace, then SIGKILL.
    await Promise.all([
      ...steps.remove.map((r) =>
        attempt(r.name, 'stop and remove', async () => {
          stopping(r);
          await stopReplica(stopper, r.id, runner.graceSeconds, false, runner.removeVolumes);
          return `removed ${r.name}`;
        }),
      ),
      ...steps.stop.map((r) =>
        attempt(r.name, 'stop', async () => {
          stopping(r);
          await stopReplica(stopper, r.id, runner.graceSeconds, true, runner.removeVolumes);
          return `stopped ${r.name} (kept as the template for scaling out again)`;
        }),
      ),
    ]);
  }
  const done = finished.sort((a, b) => a.rank - b.rank).map((entry) => entry.line);
  if (failed.length === 0 && !(runner.signal.aborted && skipped.length > 0)) return done;
  throw await partialFailure(runner, done, failed, unknown, skipped);
}

// Creates one replica, joins its further networks, and starts it; a container that was created but would not start is still reported.
async function createAndStart(docker: Docker, made: ReplicaBody, failed: Failure[]): Promise<string> {
  const container = await docker.createContainer(made.body);
  try {
    for (const extra of made.networks ?? []) {
      await docker.getNetwork(extra.network).connect({ Container: container.id, EndpointConfig: extra.aliases ? { Aliases: extra.aliases } : {} });
    }
    await container.start();
  } catch (error) {
    failed.push({ what: made.name, action: 'start', error });
    return `created ${made.name} (not started)`;
  }
  return `created ${made.name}`;
}

// The names of launches first … end−1 as one list entry: every name up to a few, else the
// first and last with the count (a dry run or a failure at 5 000 000 replicas stays one line).
export function namesBetween(first: number, end: number, nameOf: (index: number) => string): string {
  const count = end - first;
  if (count <= 10) return Array.from({ length: count }, (_, i) => nameOf(first + i)).join(', ');
  return `${nameOf(first)} … ${nameOf(end - 1)} (${count} replicas)`;
}

// Removes a replica that would not start and creates it again from the template, same number.
async function recreate(runner: StepRunner, replica: Replica, error: unknown, failed: Failure[]): Promise<string> {
  await runner.docker.getContainer(replica.id).remove({ v: runner.removeVolumes, force: true }).catch((removeError: unknown) => {
    if ((removeError as { statusCode?: number }).statusCode !== 404) throw removeError;
  });
  const made = runner.newReplica(replica.number);
  const line = await createAndStart(runner.docker, made, failed);
  return `${line.replace(/^created /, 'recreated ')} (it would not start: ${engineMessage(error)})`;
}

// True when the engine answers a ping now (so an earlier failure was not the engine going away).
async function engineAnswers(runner: StepRunner): Promise<boolean> {
  try {
    const probe = await connect(runner.address, Math.min(runner.timeoutMs, 5_000));
    await probe.ping();
    return true;
  } catch {
    return false;
  }
}

async function partialFailure(runner: StepRunner, done: string[], failed: Failure[], unknown: string[], skipped: string[]): Promise<AdapterError> {
  const names = (list: string[]) => (list.length ? list.join(', ') : 'none');
  const notDone = failed.map((f) => f.what).filter((what) => !unknown.includes(what) && !done.some((d) => d.includes(` ${what} `) || d.endsWith(` ${what}`)));
  const summary = [
    `done: ${names(done)}`,
    ...(notDone.length ? [`failed: ${names(notDone)}`] : []),
    ...(unknown.length ? [`outcome unknown (the engine stopped answering mid-request): ${names(unknown)}`] : []),
    ...(skipped.length ? [`not attempted: ${names(skipped)}`] : []),
  ].join('; ');
  // The engine going away explains every other failure, so it leads the message.
  const first = failed.find((f) => isUnreachable(f.error) || outcomeUnknown(f.error)) ?? failed[0];
  if (!first) {
    return new AdapterError(ADAPTER, `${runner.label}: interrupted; ${summary}. Re-run apply to converge.`, { done, retryable: true });
  }
  // A cut or timed-out request means the engine went away only if it no longer answers.
  const connectionLost = isUnreachable(first.error) || (outcomeUnknown(first.error) && !(await engineAnswers(runner)));
  const cause = connectionLost
    ? unreachableError(runner.address, first.error)
    : outcomeUnknown(first.error)
      ? new AdapterError(
          ADAPTER,
          `the engine did not answer in time to ${first.action} ${first.what} (${engineMessage(first.error)}); it still answers, so raise the ` +
            'provider setting `timeout`',
        )
      : engineError(runner.address, `could not ${first.action} ${first.what}`, first.error);
  return new AdapterError(ADAPTER, `${runner.label}: ${cause.message}\n  ${summary}. Re-run apply to converge.`, {
    done,
    retryable: failed.every((f) => engineError(runner.address, f.what, f.error).retryable),
    cause: first.error,
  });
}
