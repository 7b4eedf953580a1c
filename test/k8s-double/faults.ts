// Fault injection: a seeded share of API calls fails the way real servers fail.
import { seededRandom } from '../../src/util/random.js';

export type FaultKind =
  | '500' // internal error, nothing written
  | '503' // unavailable, nothing written
  | 'timeout' // the response never comes (until the client gives up), nothing written
  | 'lost' // the write happens but the answer is a 503: the client cannot tell
  | '409'; // a spurious conflict (etcd retry exhausted), nothing written

// Which calls may fail and how often.
export interface FaultOptions {
  /** Share of eligible calls that fail, 0..1. */
  rate: number;
  kinds?: FaultKind[];
  /** HTTP methods eligible (default: every method). Discovery is never faulted. */
  methods?: string[];
  seed?: number;
}

// Seeded fault decisions; the kinds rotate per request class (reads, writes), so every kind is
// exercised however concurrent calls interleave.
export class FaultPlan {
  private readonly random: () => number;
  private readonly turns = { read: 0, write: 0 };
  readonly injected: { kind: FaultKind; method: string; path: string }[] = [];
  constructor(private readonly options: FaultOptions) {
    this.random = seededRandom(options.seed ?? 42);
  }

  // The fault for this call, or undefined to serve it normally.
  decide(method: string, path: string): FaultKind | undefined {
    if (this.options.methods && !this.options.methods.includes(method)) return undefined;
    if (this.random() >= this.options.rate) return undefined;
    const all = this.options.kinds ?? ['500', '503', 'timeout', 'lost', '409'];
    // A read changes nothing (no lost write) and never conflicts.
    const read = method === 'GET';
    const kinds = read ? all.filter((k) => k !== 'lost' && k !== '409') : all;
    if (kinds.length === 0) return undefined;
    const kind = kinds[this.turns[read ? 'read' : 'write']++ % kinds.length];
    this.injected.push({ kind, method, path });
    return kind;
  }
}
