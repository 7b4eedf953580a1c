// One apply's bookkeeping: the steps that took effect, interruption between steps, and writes
// guarded by a resourceVersion precondition whose 409s are told apart (ours, spurious, stale).
import type { ApplyOptions } from '../contract.js';
import { AdapterError, ScalectlError, StalePlanError } from '../../src/errors.js';
import { statusOf, type CallSite, type Kube } from './client.js';

// What a re-read found: the object's version and whether it already is as planned.
export interface Recheck { rv: string; generation: number; satisfied: boolean; hash?: string }

// The version an object is expected at; steps move it forward as they (or earlier attempts) write.
export interface Base {
  rv?: string;
  generation?: number;
  hash?: string;
  /** The spec moved since the plan: re-read before each write (in place → skip; else stale). */
  drifted?: boolean;
}

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

  // A read (safe to repeat): one more try when the failure was transient; else fail with `done`.
  async read<T>(site: CallSite, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const failure = this.kube.fail(error, site);
      if (!(AdapterError.isAdapterError(failure) && failure.retryable)) throw this.fail(error, site);
    }
    try {
      return await call();
    } catch (error) {
      throw this.fail(error, site);
    }
  }

  /**
   * Runs a write with `rv` as precondition. On 409 it re-reads: already as planned → done
   * (an earlier attempt landed); same generation → only status moved or the conflict was
   * spurious, so write once more on the fresh version; otherwise the plan is stale.
   */
  async guarded<T>(label: string, site: CallSite, base: Base, write: (rv: string | undefined) => Promise<T>, recheck: () => Promise<Recheck | undefined>): Promise<T | undefined> {
    this.checkSignal(label);
    if (!base.drifted) {
      try {
        const result = await write(base.rv);
        this.record(label);
        return result;
      } catch (error) {
        if (statusOf(error) !== 409) throw this.fail(error, site);
      }
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
    const moved = base.hash !== undefined ? live.hash !== base.hash
      : base.generation !== undefined && live.generation !== base.generation;
    if (moved) {
      const how = base.hash !== undefined ? 'its spec' : `generation ${base.generation} → ${live.generation}`;
      const message = `${site.object} in namespace ${site.namespace} (context ${this.kube.contextName}) changed since the plan (${how}) — run scalectl plan again`;
      // Steps already took effect: the report must keep them, so this is an AdapterError with `done`.
      if (this.done.length) throw new AdapterError('kubernetes', message, { done: [...this.done] });
      throw new StalePlanError(message);
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
