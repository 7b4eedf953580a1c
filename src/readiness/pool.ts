// Runs stage 1 of a large scan on worker threads (one per CPU): the main thread reads files and
// answers cache hits while the workers parse, match and extract facts. Stage 1 is pure per file,
// so the results are the same as on the main thread; only the time differs.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ReadinessRule } from './rules.js';
import type { WorkerJob, WorkerOutcome, WorkerReply } from './worker.js';

// Below this many files to analyse, starting threads costs more than it saves.
export const POOL_MIN_FILES = 48;

// Batches in flight per worker: one being analysed, one waiting, so a worker never idles.
const IN_FLIGHT = 2;
const MAX_BATCH = 8;

interface Pending {
  job: WorkerJob;
  resolve: (outcome: WorkerOutcome) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  batches: Pending[][];
}

// A pool of scan workers: `analyse` queues one file; `close` stops the threads.
export interface ScanPool {
  analyse(job: WorkerJob): Promise<WorkerOutcome>;
  close(): Promise<void>;
  /** Why the pool stopped (a worker failed to start or crashed), if it did. */
  readonly failure: Error | undefined;
}

// Starts `threads` workers from the bundled worker file, each with the rule catalogue.
export function startPool(workerFile: string, rules: ReadinessRule[], threads = availableParallelism()): ScanPool {
  const queue: Pending[] = [];
  let failure: Error | undefined;
  const slots: Slot[] = [];

  const fail = (error: Error) => {
    failure ??= error;
    for (const slot of slots) for (const batch of slot.batches.splice(0)) for (const pending of batch) pending.reject(failure);
    for (const pending of queue.splice(0)) pending.reject(failure);
  };

  const pump = () => {
    for (const slot of slots) {
      while (queue.length > 0 && slot.batches.length < IN_FLIGHT) {
        const batch = queue.splice(0, MAX_BATCH);
        slot.batches.push(batch);
        slot.worker.postMessage(batch.map((pending) => pending.job));
      }
    }
  };

  for (let i = 0; i < Math.max(1, threads); i++) {
    const slot: Slot = { worker: new Worker(workerFile, { workerData: { rules } }), batches: [] };
    slot.worker.on('message', (reply: WorkerReply) => {
      const batch = slot.batches.shift();
      if (!batch) return;
      if ('error' in reply) return fail(new Error(`readiness worker failed: ${reply.error}`));
      batch.forEach((pending, index) => pending.resolve(reply.outcomes[index]));
      pump();
    });
    slot.worker.on('error', (error) => fail(error));
    slot.worker.on('exit', (code) => {
      if (slot.batches.length > 0) fail(new Error(`readiness worker exited with code ${code} while analysing files`));
    });
    slots.push(slot);
  }

  return {
    analyse: (job) =>
      new Promise<WorkerOutcome>((resolve, reject) => {
        if (failure) return reject(failure);
        queue.push({ job, resolve, reject });
        pump();
      }),
    close: async () => {
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
    get failure() {
      return failure;
    },
  };
}
