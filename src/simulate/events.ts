// The event log of a run, kept out of the simulator's hot loop: rare branches live here so their first
// use does not deoptimize the loop itself.
import type { Autoscaler } from './decide.js';
import { describeDecision, shortReason, snapshotDecision } from './describe.js';
import type { Bounds } from './schedule.js';
import type { SimEvent } from './types.js';

// Collects events and the counters the summary needs.
export class EventLog {
  readonly events: SimEvent[] = [];
  scaleOuts = 0;
  scaleIns = 0;
  flappingAvoided = 0;

  constructor(private readonly queueTimeoutMs: number, private readonly idleTimeoutMs: number) {}

  schedule(at: number, bounds: Bounds, previous: string | undefined): void {
    const detail = bounds.schedule ? `schedule ${bounds.schedule} in force: bounds ${bounds.min}–${bounds.max}` : `schedule ${previous} ended: bounds ${bounds.min}–${bounds.max}`;
    this.events.push({ at, kind: 'schedule', detail });
  }

  // After an evaluation that changed the count or where the flapping guard acted.
  decision(at: number, scaler: Autoscaler, current: number, final: number): void {
    // The explanation is written when someone reads it (most runs print a few of thousands of events).
    const view = snapshotDecision(scaler);
    if (scaler.flappingOutcome !== 'ok') {
      this.flappingAvoided++;
      this.events.push(lazyDetail({ at, kind: 'flapping-avoided', from: current, to: final }, () => describeDecision(view).constraints.find((c) => c.name === 'flapping guard')?.detail ?? 'flapping avoided'));
    }
    if (final !== current) {
      if (final > current) this.scaleOuts++;
      else this.scaleIns++;
      this.events.push(lazyDetail({ at, kind: final > current ? 'scale-out' : 'scale-in', from: current, to: final }, () => shortReason(describeDecision(view))));
    }
  }

  idle(at: number, removed: number, remaining: number): void {
    this.events.push({ at, kind: 'idle-removed', from: remaining + removed, to: remaining, detail: `${removed} cold instance(s) idle for ${this.idleTimeoutMs / 1000}s removed` });
  }

  // One run of consecutive steps with drops, from `at`, `count` requests in all (the simulator adds them up).
  drops(at: number, count: number): void {
    this.events.push({ at, kind: 'drops', count, detail: `${Math.round(count)} request(s) dropped after waiting ${this.queueTimeoutMs / 1000}s` });
  }
}

// An event whose `detail` is computed on first read (an enumerable property, so JSON shows it).
function lazyDetail(event: Omit<SimEvent, 'detail'>, detail: () => string): SimEvent {
  let text: string | undefined;
  return Object.defineProperty(event, 'detail', { enumerable: true, get: () => (text ??= detail()) }) as SimEvent;
}
