// The embedded mock cloud: a local, persistent platform that holds every scaling.yaml field
// natively (the Container Apps model) — the default provider and the other adapters' oracle.
import { isAbsolute, join, resolve } from 'node:path';
import { AdapterError, StalePlanError } from '../../src/errors.js';
import { seal } from '../../src/util/redact.js';
import type { ServiceSpec } from '../../src/config/model.js';
import { defineAdapter, type Adapter, type ApplyResult, type ChangeRequest, type ObservedTarget } from '../contract.js';
import { parseFaults } from './faults.js';
import { boundsAt } from '../../src/simulate/schedule.js';
import { liveCount } from '../../src/simulate/live.js';
import type { Holder } from './lock.js';
import { nameMap, readState, StateSession, updateState, type MockService, type MockState } from './state.js';

const TARGET = /^[A-Za-z0-9][A-Za-z0-9_./-]*$/;

// The state file: provider setting `state` (a folder), else SCALECTL_STATE_DIR, else .scalectl/ beside
// scaling.yaml; an environment's in env/<name>/ under it (as scalectl autoscale keeps its memory).
export function stateFile(settings: Record<string, unknown>, configDir: string, env: NodeJS.ProcessEnv, environment?: string): string {
  const folder = typeof settings.state === 'string' ? settings.state : env.SCALECTL_STATE_DIR || '.scalectl';
  const base = isAbsolute(folder) ? folder : resolve(configDir, folder);
  return join(environment ? join(base, 'env', environment) : base, 'mock-cloud.json');
}

function fingerprintOf(service: MockService | undefined): string {
  return service ? `mock:rev-${service.revision}` : 'mock:absent';
}

function observe(service: MockService | undefined, now: Date): ObservedTarget {
  if (!service) return { exists: false, fingerprint: fingerprintOf(undefined), spec: {} };
  const autoscale = service.spec.autoscale;
  const held = autoscale ? liveCount(autoscale, now, service.count) : { count: service.count, reason: 'fixed' };
  const details: Record<string, string | number> = { revision: service.revision, updated: service.updatedAt, count: held.reason };
  if (autoscale) {
    // The bounds in force now: a schedule may have raised min or changed max.
    const bounds = boundsAt(autoscale, now);
    details.bounds = `${bounds.min}..${bounds.max}`;
    if (bounds.schedule) details.schedule = bounds.schedule;
  }
  return {
    exists: true,
    fingerprint: fingerprintOf(service),
    spec: service.spec,
    instances: { desired: held.count, ready: held.count },
    details,
  };
}

function countFor(spec: ServiceSpec, previous: number | undefined, now: Date): number {
  if (spec.replicas !== undefined) return spec.replicas;
  if (spec.autoscale) return liveCount(spec.autoscale, now, previous).count;
  return previous ?? 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default defineAdapter((context): Adapter => {
  const file = stateFile(context.provider.settings, context.configDir, context.env, context.environment);
  const provider = context.provider.name;
  let faults: ReturnType<typeof parseFaults>;
  try {
    faults = parseFaults(context.env.SCALECTL_MOCK_FAULTS);
  } catch (error) {
    throw new AdapterError('mock', (error as Error).message);
  }
  context.debug(`mock cloud state: ${file}`);
  /** The apply run's session while one is open (reads then see what it staged). */
  let session: StateSession | undefined;

  // Injected faults and dry runs: a result or error before anything is stored.
  async function inject(change: ChangeRequest, dryRun: boolean): Promise<ApplyResult | undefined> {
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (faults.failTargets.has(change.target)) {
      throw new AdapterError('mock', `the mock cloud rejected ${change.target} (injected failure)`, { retryable: false });
    }
    if (faults.errorRate > 0 && faults.random() < faults.errorRate) {
      throw new AdapterError('mock', `the mock cloud answered 503 for ${change.target} (injected fault)`, { retryable: true });
    }
    return dryRun ? { done: [`would update ${change.target}: ${describeChange(change)}`] } : undefined;
  }

  // Makes one change true in `state`; the caller holds the lock and writes the state.
  function stage(state: MockState, change: ChangeRequest, now: Date, progress?: (message: string) => void): ApplyResult {
    const services = (state.providers[provider] ??= nameMap({}));
    const current = services[change.target];
    if (fingerprintOf(current) !== change.fingerprint) {
      throw new StalePlanError(
        `${change.service}: the mock cloud changed since the plan (planned against ${change.fingerprint}, now ${fingerprintOf(current)})`,
      );
    }
    // An autoscaled spec that carries `replicas` is scalectl autoscale setting the count: only the count moves.
    if (current && change.desired.autoscale && change.desired.replicas !== undefined) {
      services[change.target] = { ...current, count: change.desired.replicas, revision: current.revision + 1, updatedAt: now.toISOString() };
      progress?.(`${change.target}: ${current.count} → ${change.desired.replicas}`);
      return { done: [`scaled ${change.target} from ${current.count} to ${change.desired.replicas}`], count: { from: current.count, to: change.desired.replicas } };
    }
    const initial = current?.count ?? change.desired.autoscale?.initial;
    const count = countFor(change.desired, initial, now);
    services[change.target] = {
      // Stored sealed: a credential in a metric source is kept as a digest, never in clear.
      spec: seal(structuredClone(change.desired)),
      count,
      revision: (current?.revision ?? 0) + 1,
      createdAt: current?.createdAt ?? now.toISOString(),
      updatedAt: now.toISOString(),
    };
    progress?.(`${current ? 'updated' : 'created'} ${change.target}`);
    // (the count before is the one the service ran at: a schedule may hold it above the stored one)
    return { done: [`${current ? 'updated' : 'created'} ${change.target}: ${describeChange(change)}`], count: { from: current ? countFor(current.spec, current.count, now) : 0, to: count } };
  }

  return {
    name: 'mock',
    parseTarget: (target) =>
      TARGET.test(target) ? undefined : `mock cloud targets are plain names such as "web" or "shop/web", got "${target}"`,
    capabilities: () => ({ fields: {}, fallback: { support: 'native' } }),

    async read(requests) {
      let state;
      try {
        state = session?.current ?? readState(file);
      } catch (error) {
        throw new AdapterError('mock', `cannot read the mock cloud state ${file}: ${(error as Error).message}`, { cause: error });
      }
      const services = state.providers[provider] ?? nameMap({});
      const now = new Date();
      return requests.map((request) => observe(services[request.target], now));
    },

    async apply(change, options) {
      const early = await inject(change, options.dryRun);
      if (early) return early;
      return updateState(file, (state) => stage(state, change, new Date(), options.progress), options.signal, waitNotice(options.progress));
    },

    // An apply run: every change staged under one lock, written once by commit (2000 services
    // are one write, not 2000). Reads during the run (re-plans) see the staged state.
    batch() {
      const current = shareSession(file);
      session = current;
      return {
        async apply(change, options) {
          const early = await inject(change, options.dryRun);
          if (early) return early;
          const state = await current.open({ signal: options.signal, onWait: waitNotice(options.progress) });
          const result = stage(state, change, new Date());
          current.touch();
          return result;
        },
        async commit() {
          current.commit();
        },
        async close() {
          unshareSession(file);
          if (session === current) session = undefined;
        },
      };
    },
  };
});

// Providers on the same state file share one session in a process (the lock is not re-entrant).
const shared = new Map<string, { session: StateSession; users: number }>();

function shareSession(file: string): StateSession {
  const entry = shared.get(file) ?? { session: new StateSession(file), users: 0 };
  entry.users += 1;
  shared.set(file, entry);
  return entry.session;
}

function unshareSession(file: string): void {
  const entry = shared.get(file);
  if (!entry || --entry.users > 0) return;
  entry.session.close();
  shared.delete(file);
}

function describeChange(change: ChangeRequest): string {
  const fields = change.changes.map((c) => c.field);
  return fields.length <= 3 ? fields.join(', ') : `${fields.length} fields`;
}

// "waiting for the lock held by pid N since …", once, on the progress stream.
function waitNotice(progress?: (message: string) => void) {
  return (holder: Holder) => progress?.(`waiting for the mock cloud lock held by pid ${holder.pid}${holder.since ? ` since ${holder.since}` : ''}…`);
}
