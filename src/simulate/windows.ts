// Time-windowed buffers for the autoscaler: a ring of scale events (rate policies) and a sliding
// window extreme (stabilization), both on typed arrays so evaluations do not allocate.

// A growable ring of (time, value) pairs.
export class Ring {
  times: Float64Array;
  values: Float64Array;
  head = 0;
  size = 0;
  constructor(capacity: number) {
    this.times = new Float64Array(Math.max(4, capacity));
    this.values = new Float64Array(Math.max(4, capacity));
  }
  push(time: number, value: number): void {
    if (this.size === this.times.length) this.grow();
    let index = this.head + this.size;
    if (index >= this.times.length) index -= this.times.length;
    this.times[index] = time;
    this.values[index] = value;
    this.size++;
  }
  // The entries oldest first, as plain pairs (for persisted engine state).
  entries(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.size; i++) {
      const index = (this.head + i) % this.times.length;
      out.push([this.times[index], this.values[index]]);
    }
    return out;
  }
  // Replaces the contents with `entries` (oldest first).
  load(entries: [number, number][]): void {
    this.head = 0;
    this.size = 0;
    for (const [time, value] of entries) this.push(time, value);
  }
  dropBefore(cutoff: number): void {
    while (this.size > 0 && this.times[this.head] <= cutoff) {
      this.head = this.head + 1 === this.times.length ? 0 : this.head + 1;
      this.size--;
    }
  }
  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const values = new Float64Array(this.values.length * 2);
    for (let i = 0; i < this.size; i++) {
      times[i] = this.times[(this.head + i) % this.times.length];
      values[i] = this.values[(this.head + i) % this.values.length];
    }
    this.times = times;
    this.values = values;
    this.head = 0;
  }
}

// Sliding-window extreme (max or min) of (time, value) pairs in O(1) amortized: a monotonic deque.
export class WindowExtreme {
  private times = new Float64Array(16);
  private values = new Float64Array(16);
  private head = 0;
  private size = 0;
  constructor(private readonly keepMax: boolean) {}
  push(time: number, value: number): void {
    // Drop from the back what the new value dominates.
    while (this.size > 0) {
      const back = this.index(this.size - 1);
      const v = this.values[back];
      if (this.keepMax ? v <= value : v >= value) this.size--;
      else break;
    }
    if (this.size === this.times.length) this.grow();
    const at = this.index(this.size);
    this.times[at] = time;
    this.values[at] = value;
    this.size++;
  }
  // The deque oldest first, as plain pairs: enough to answer every later query (persisted state).
  entries(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.size; i++) out.push([this.times[this.index(i)], this.values[this.index(i)]]);
    return out;
  }
  // Replaces the contents with `entries` (oldest first, as entries() gave them).
  load(entries: [number, number][]): void {
    this.head = 0;
    this.size = 0;
    for (const [time, value] of entries) this.push(time, value);
  }
  // The extreme over entries newer than `cutoff` (strictly after, as HPA), or `fallback` when none.
  query(cutoff: number, fallback: number): number {
    while (this.size > 0 && this.times[this.head] <= cutoff) {
      this.head = this.head + 1 === this.times.length ? 0 : this.head + 1;
      this.size--;
    }
    if (this.size === 0) return fallback;
    const v = this.values[this.head];
    return this.keepMax ? Math.max(v, fallback) : Math.min(v, fallback);
  }
  private index(offset: number): number {
    const i = this.head + offset;
    return i >= this.times.length ? i - this.times.length : i;
  }
  private grow(): void {
    const n = this.times.length;
    const times = new Float64Array(n * 2);
    const values = new Float64Array(n * 2);
    for (let i = 0; i < this.size; i++) {
      times[i] = this.times[this.index(i)];
      values[i] = this.values[this.index(i)];
    }
    this.times = times;
    this.values = values;
    this.head = 0;
  }
}

// Mean of (time, value) samples newer than a cutoff, with a running sum: an averaging window
// (Knative stable/panic windows, Azure timeWindow, the Container Apps HTTP rule's 15 s).
export class MeanWindow {
  // Room for a 15 s window sampled every second between evaluations 15 s apart (the Container Apps HTTP
  // rule in simulate) without growing: the simulator's per-step loop then never runs the growth path.
  private readonly ring = new Ring(64);
  private sum = 0;
  push(time: number, value: number): void {
    if (Number.isNaN(value)) return;
    this.ring.push(time, value);
    this.sum += value;
  }
  // The mean of the samples after `cutoff`, NaN when there are none.
  mean(cutoff: number): number {
    const r = this.ring;
    while (r.size > 0 && r.times[r.head] <= cutoff) {
      this.sum -= r.values[r.head];
      r.head = r.head + 1 === r.times.length ? 0 : r.head + 1;
      r.size--;
    }
    if (r.size === 0) {
      this.sum = 0;
      return Number.NaN;
    }
    return this.sum / r.size;
  }
  entries(): [number, number][] {
    return this.ring.entries();
  }
  load(entries: [number, number][]): void {
    this.ring.load([]);
    this.sum = 0;
    for (const [time, value] of entries) this.push(time, value);
  }
}
