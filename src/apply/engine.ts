// Executes a plan: one adapter call per service, bounded concurrency, retries with backoff for
// retryable errors only, Ctrl-C stops starting new work and waits for what is in flight.
// A service is reported applied only when its adapter said so.
import type { Adapter, AdapterBatch, ChangeRequest } from '../../adapters/contract.js';
import { AdapterError, ScalectlError, StalePlanError } from '../errors.js';
import { sleep } from '../util/sleep.js';

export interface ApplyItem {
  service: string;
  adapter: Adapter;
  request: ChangeRequest;
}

export type ServiceStatus = 'applied' | 'failed' | 'interrupted' | 'stale';

export interface ServiceResult {
  service: string;
  status: ServiceStatus;
  /** Steps that took effect (also for failed services: what happened before the failure). */
  done: string[];
  error?: string;
  attempts: number;
  /** The instance count the adapter moved (ApplyResult.count), when it says. */
  count?: { from: number; to: number };
}

export type EngineEvent =
  | { type: 'start'; service: string }
  | { type: 'retry'; service: string; attempt: number; delayMs: number; error: string }
  | { type: 'progress'; service: string; message: string }
  | { type: 'finish'; result: ServiceResult };

export interface EngineOptions {
  concurrency: number;
  dryRun: boolean;
  signal: AbortSignal;
  /** Attempts per service, including the first (default 4). */
  attempts?: number;
  /** First backoff delay; doubles each retry, with jitter (default 250 ms). */
  backoffMs?: number;
  onEvent?: (event: EngineEvent) => void;
  /**
   * Called when the adapter reports the live state moved since planning. Returns a fresh
   * request to apply instead (a fresh `apply` re-plans), `'converged'` when the live state
   * already is what the file says (someone applied the same meanwhile), or undefined to fail as
   * stale (a saved plan must be re-made by a person).
   */
  refresh?: (item: ApplyItem) => Promise<ChangeRequest | 'converged' | undefined>;
}

// Re-plans of one service when its target keeps moving under concurrent applies.
const MAX_REFRESHES = 3;

// Applies every item; resolves with one result per item in the input order.
export async function runApply(items: ApplyItem[], options: EngineOptions): Promise<ServiceResult[]> {
  const results: ServiceResult[] = new Array(items.length);
  // One batch per adapter that offers one: its changes are stored together after the last.
  const batches = new Map<Adapter, AdapterBatch>();
  const applierOf = (adapter: Adapter): Pick<Adapter, 'apply'> => {
    if (!adapter.batch) return adapter;
    let batch = batches.get(adapter);
    if (!batch) batches.set(adapter, (batch = adapter.batch()));
    return batch;
  };
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index];
      if (options.signal.aborted) {
        results[index] = { service: item.service, status: 'interrupted', done: [], error: 'not started: interrupted', attempts: 0 };
        options.onEvent?.({ type: 'finish', result: results[index] });
        continue;
      }
      options.onEvent?.({ type: 'start', service: item.service });
      results[index] = await applyOne(item, applierOf(item.adapter), options);
      options.onEvent?.({ type: 'finish', result: results[index] });
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency, items.length)) }, worker);
  try {
    await Promise.all(workers);
    await commitBatches(batches, items, results);
  } finally {
    await Promise.all([...batches.values()].map((b) => b.close().catch(() => undefined)));
  }
  return results;
}

// Commits each adapter's batch once; a batch that cannot be stored fails every service it held.
async function commitBatches(batches: Map<Adapter, AdapterBatch>, items: ApplyItem[], results: ServiceResult[]): Promise<void> {
  for (const [adapter, batch] of batches) {
    try {
      await batch.commit();
    } catch (error) {
      items.forEach((item, index) => {
        if (item.adapter !== adapter || results[index]?.status !== 'applied') return;
        results[index] = { ...results[index], status: 'failed', done: [], error: `not stored: ${messageOf(error)}` };
      });
    }
  }
}

async function applyOne(item: ApplyItem, applier: Pick<Adapter, 'apply'>, options: EngineOptions): Promise<ServiceResult> {
  const maxAttempts = options.attempts ?? 4;
  const base = options.backoffMs ?? 250;
  const done: string[] = [];
  let request = item.request;
  let refreshes = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await applier.apply(request, {
        dryRun: options.dryRun,
        signal: options.signal,
        progress: (message) => options.onEvent?.({ type: 'progress', service: item.service, message }),
      });
      done.push(...result.done);
      return { service: item.service, status: 'applied', done, attempts: attempt, ...(result.count && result.count.from !== result.count.to ? { count: result.count } : {}) };
    } catch (error) {
      if (AdapterError.isAdapterError(error)) done.push(...error.done);
      const message = messageOf(error);
      if (isStale(error)) {
        if (refreshes < MAX_REFRESHES && options.refresh && !options.signal.aborted) {
          refreshes++;
          const fresh = await options.refresh({ ...item, request });
          if (fresh === 'converged') {
            done.push(`${item.service} already matched the file (changed concurrently)`);
            return { service: item.service, status: 'applied', done, attempts: attempt };
          }
          if (fresh) {
            request = fresh;
            attempt--; // a re-plan is not a failed attempt
            continue;
          }
        }
        return { service: item.service, status: 'stale', done, error: message, attempts: attempt };
      }
      const retryable = AdapterError.isAdapterError(error) && error.retryable;
      if (!retryable || attempt >= maxAttempts || options.signal.aborted) {
        const status: ServiceStatus = options.signal.aborted && retryable ? 'interrupted' : 'failed';
        const suffix = retryable && attempt >= maxAttempts ? ` (gave up after ${attempt} attempts)` : '';
        return { service: item.service, status, done, error: `${message}${suffix}`, attempts: attempt };
      }
      const delayMs = Math.round(Math.min(base * 2 ** (attempt - 1), 5000) * (0.5 + Math.random() / 2));
      options.onEvent?.({ type: 'retry', service: item.service, attempt, delayMs, error: message });
      await sleep(delayMs, options.signal);
    }
  }
}

function isStale(error: unknown): boolean {
  return ScalectlError.is(error) && (error as Error).name === StalePlanError.name;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
