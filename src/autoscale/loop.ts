// The control loop: every service is evaluated on its own evaluationInterval; each round reads
// the due targets (one adapter call per provider), evaluates them, writes the events and the
// engine memory. A stop request is honoured between rounds, so a change in flight finishes.
import type { TargetRequest } from '../../adapters/contract.js';
import { appendEvents, type ScaleEvent } from './events.js';
import { evaluateService, type Evaluation, type LoopService } from './evaluate.js';
import { loadAutoscaleState, saveAutoscaleState, type AutoscaleState } from './store.js';
import { sleep } from '../util/sleep.js';

export interface LoopOptions {
  /** Folder of the state and event files. */
  stateDir: string;
  now?: () => Date;
  dryRun?: boolean;
  /** Services evaluated at once (default 8). */
  concurrency?: number;
  /** Called after each evaluation. */
  report?: (evaluation: Evaluation) => void;
  progress?: (message: string) => void;
}

const requestOf = (entry: LoopService): TargetRequest => ({
  service: entry.service.name,
  target: entry.service.target,
  extensions: entry.service.extensions,
  desired: entry.service.spec,
});

export class AutoscaleLoop {
  private readonly state: AutoscaleState;
  private readonly now: () => Date;

  constructor(private readonly services: LoopService[], private readonly options: LoopOptions) {
    this.state = loadAutoscaleState(options.stateDir);
    this.now = options.now ?? (() => new Date());
  }

  // Evaluates `due` (default: every service) once, records the changes and saves the memory.
  async round(due: LoopService[] = this.services, signal?: AbortSignal): Promise<Evaluation[]> {
    const now = this.now();
    const observed = await this.readTargets(due, signal);
    const results: Evaluation[] = new Array(due.length);
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const i = next++;
        const entry = due[i];
        const saved = this.savedFor(entry);
        results[i] = await evaluateService(entry, { now, observed: observed[i], saved, dryRun: this.options.dryRun, progress: this.options.progress }, signal);
        this.options.report?.(results[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 8, due.length) }, worker));
    if (!this.options.dryRun) this.persist(due, results, now);
    return results;
  }

  // Runs rounds until `signal` aborts; each service on its own interval.
  async run(signal: AbortSignal): Promise<void> {
    const nextDue = new Map<LoopService, number>(this.services.map((s) => [s, 0]));
    while (!signal.aborted) {
      const nowMs = this.now().getTime();
      const due = this.services.filter((s) => nextDue.get(s)! <= nowMs);
      if (due.length > 0) {
        for (const entry of due) nextDue.set(entry, nowMs + entry.policy.intervalMs);
        await this.round(due);
        continue;
      }
      const wait = Math.max(0, Math.min(...nextDue.values()) - this.now().getTime());
      await sleep(wait, signal);
    }
  }

  private savedFor(entry: LoopService) {
    const saved = this.state.services[entry.service.name];
    // A service moved to another provider or target starts afresh.
    return saved && saved.provider === entry.service.provider && saved.target === entry.service.target ? saved.engine : undefined;
  }

  private async readTargets(due: LoopService[], signal?: AbortSignal) {
    const byAdapter = new Map<LoopService['adapter'], number[]>();
    due.forEach((entry, i) => byAdapter.set(entry.adapter, [...(byAdapter.get(entry.adapter) ?? []), i]));
    const observed: Awaited<ReturnType<LoopService['adapter']['read']>> = new Array(due.length);
    await Promise.all(
      [...byAdapter].map(async ([adapter, indexes]) => {
        try {
          const results = await adapter.read(indexes.map((i) => requestOf(due[i])), { signal: signal ?? new AbortController().signal });
          indexes.forEach((i, k) => (observed[i] = results[k] ?? { exists: false, fingerprint: '', spec: {}, error: 'the adapter returned no result' }));
        } catch (error) {
          for (const i of indexes) observed[i] = { exists: false, fingerprint: '', spec: {}, error: (error as Error).message };
        }
      }),
    );
    return observed;
  }

  private persist(due: LoopService[], results: Evaluation[], now: Date): void {
    const events: ScaleEvent[] = [];
    due.forEach((entry, i) => {
      const result = results[i];
      if (result.event) events.push(result.event);
      if (!entry.scaler || result.current === null) return;
      this.state.services[entry.service.name] = {
        provider: entry.service.provider,
        target: entry.service.target,
        engine: entry.scaler.saveState(),
        count: result.final ?? result.current,
        updatedAt: now.toISOString(),
      };
    });
    appendEvents(this.options.stateDir, events);
    saveAutoscaleState(this.options.stateDir, this.state);
  }
}
