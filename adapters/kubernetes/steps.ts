// One apply's bookkeeping: the steps that took effect, interruption between steps, and writes
// guarded by a resourceVersion precondition whose 409s are told apart (ours, spurious, stale).
import type { ApplyOptions } from '../contract.js';
import { AdapterError, ScalectlError, StalePlanError } from '../../src/errors.js';
import { statusOf, type CallSite, type Kube } from './client.js';

// What a re-read found: the object's version and whether it already is as planned.
export interface Recheck { rv: string; generation: number; satisfied: boolean }

// The version an object is expected at; steps move it forward as they (or earlier attempts) write.
export interface Base { rv?: string; generation?: number }

// Steps of one apply.
export class Steps {
  readonly done: string[] = [];
  readonly dryRun: 'All' | undefined;
  constructor(private readonly kube: Kube, private readonly options: ApplyOptions) {
    this.dryRun = options.dryRun ? 'All' : undefined;
  }

  // Refuses to start a new step once Ctrl-C was pressed.
  checkSignal(next: string): void {
    if (this.options.signal.aborted) {
      throw new AdapterError('kubernetes', `interrupted before: ${next}`, { done: [...this.done] });
    }
  }

  record(line: string): void {
    const text = this.dryRun ? `${line} (server dry run)` : line;
    this.done.push(text);
    this.options.progress?.(text);
  }

  // Any error thrown out of a step, with the steps done so far.
  fail(error: unknown, site: CallSite): Error {
    if (AdapterError.isAdapterError(error)) {
      return new AdapterError(error.adapter, error.message, { retryable: error.retryable, done: [...this.done, ...error.done.filter((d) => !this.done.includes(d))], cause: error.cause });
    }
    if (ScalectlError.is(error)) return error;
    return this.kube.fail(error, site, [...this.done]);
  }

  /**
   * Runs a write with `rv` as precondition. On 409 it re-reads: already as planned → done
   * (an earlier attempt landed); same generation → only status moved or the conflict was
   * spurious, so write once more on the fresh version; otherwise the plan is stale.
   */
  async guarded<T>(label: string, site: CallSite, base: Base, write: (rv: string | undefined) => Promise<T>, recheck: () => Promise<Recheck | undefined>): Promise<T | undefined> {
    this.checkSignal(label);
    try {
      const result = await write(base.rv);
      this.record(label);
      return result;
    } catch (error) {
      if (statusOf(error) !== 409) throw this.fail(error, site);
    }
    let live: Recheck | undefined;
    try {
      live = await recheck();
    } catch (error) {
      throw this.fail(error, site);
    }
    if (!live) throw new AdapterError('kubernetes', `${site.object} disappeared from namespace ${site.namespace} (context ${this.kube.contextName}) during apply`, { done: [...this.done] });
    if (live.satisfied) {
      base.rv = live.rv;
      base.generation = live.generation;
      this.record(`${label} (already in place)`);
      return undefined;
    }
    if (base.generation !== undefined && live.generation !== base.generation) {
      throw new StalePlanError(`${site.object} in namespace ${site.namespace} (context ${this.kube.contextName}) changed since the plan (generation ${base.generation} → ${live.generation}) — run scalectl plan again`);
    }
    try {
      const result = await write(live.rv);
      this.record(label);
      return result;
    } catch (error) {
      if (statusOf(error) === 409) {
        throw new AdapterError('kubernetes', `${site.object} in namespace ${site.namespace} kept changing under the write (409 Conflict twice) — try again`, { retryable: true, done: [...this.done], cause: error });
      }
      throw this.fail(error, site);
    }
  }
}
