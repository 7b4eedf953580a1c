// The request side of the mock cloud (Container Apps model): arrivals join a FIFO buffer, ready
// instances serve up to the hard limit each, waiting requests are dropped after queueTimeout.
// A fluid model: requests are counted in fractions per step, so any load rate runs at the same cost.

// Where the drop counts live in RequestQueue.drops.
const DROPPED_NOW = 0, DROPPED = 1, RUN = 2, RUN_START = 3, RUN_ENDED = 4;

// Records one run of consecutive steps with drops (the simulator's event log).
export interface DropLog { drops(at: number, count: number): void }

// The FIFO buffer in front of the instances, with a histogram of waits.
export class RequestQueue {
  private arrivals: Float64Array;
  private counts: Float64Array;
  private head = 0;
  private size = 0;
  total = 0;
  /** Histogram of waits in whole steps, weighted by requests. */
  readonly waits: Float64Array;
  /** A run of steps with drops is open, or ended and not yet recorded: every step goes through advance(). */
  dropping = false;
  // Drop counts (this step, in all, the open run and its first step, whether it ended) in a typed array,
  // not fields: a run's first fractional count would change this object's shape and deoptimize the
  // simulator's compiled loop; and only advance() adds them up (the loop itself only stores this step's).
  private readonly drops = new Float64Array(5);

  constructor(queueTimeoutMs: number, stepMs: number) {
    const capacity = Math.ceil(queueTimeoutMs / stepMs) + 4;
    this.arrivals = new Float64Array(capacity);
    this.counts = new Float64Array(capacity);
    this.waits = new Float64Array(capacity + 1);
  }

  /** Requests dropped in the last advance(). */
  get droppedNow(): number {
    return this.drops[DROPPED_NOW];
  }

  /** Requests dropped in all. */
  get dropped(): number {
    return this.drops[DROPPED];
  }

  // One step at offset `t` through the buffer: `arriving` requests join it, up to `capacity` start service,
  // those that would wait longer than `timeoutMs` by the step's end are dropped. Returns how many started.
  // Consecutive steps with drops make one event in `log`, recorded when the next step begins: after the
  // events of the step where the run ended.
  advance(t: number, arriving: number, capacity: number, stepMs: number, timeoutMs: number, log: DropLog): number {
    const d = this.drops;
    if (d[RUN_ENDED] === 1) this.recordDrops(log);
    this.push(t, arriving);
    const served = this.serve(t, capacity, stepMs);
    const dropped = this.dropExpired(t + stepMs, timeoutMs);
    d[DROPPED_NOW] = dropped;
    if (dropped > 0) {
      if (d[RUN] === 0) d[RUN_START] = t;
      d[RUN] += dropped;
      d[DROPPED] += dropped;
      this.dropping = true;
    } else if (d[RUN] > 0) d[RUN_ENDED] = 1;
    return served;
  }

  // Records the run of drops still open or not yet recorded (at the end of a simulation).
  recordDrops(log: DropLog): void {
    const d = this.drops;
    if (d[RUN] > 0) log.drops(d[RUN_START], d[RUN]);
    d[RUN] = 0;
    d[RUN_ENDED] = 0;
    this.dropping = false;
  }

  push(at: number, count: number): void {
    if (count <= 0) return;
    if (this.size === this.counts.length) this.grow();
    const index = (this.head + this.size) % this.counts.length;
    this.arrivals[index] = at;
    this.counts[index] = count;
    this.size++;
    this.total += count;
  }

  // Starts service for up to `capacity` requests, oldest first; returns how many.
  serve(now: number, capacity: number, stepMs: number): number {
    // Fast path: only this step's arrivals are waiting and they all fit.
    if (this.size === 1 && this.arrivals[this.head] === now && this.counts[this.head] <= capacity) {
      const all = this.counts[this.head];
      this.waits[0] += all;
      this.pop();
      this.total = 0;
      return all;
    }
    let served = 0;
    while (this.size > 0 && capacity - served > 1e-12) {
      const index = this.head;
      const take = Math.min(this.counts[index], capacity - served);
      served += take;
      const waitedSteps = Math.min(this.waits.length - 1, Math.round((now - this.arrivals[index]) / stepMs));
      this.waits[waitedSteps] += take;
      this.counts[index] -= take;
      if (this.counts[index] <= 1e-12) this.pop();
    }
    this.total = Math.max(0, this.total - served);
    if (this.size === 0) this.total = 0;
    return served;
  }

  // Drops requests that would have waited longer than `timeoutMs` by the end of this step.
  dropExpired(stepEnd: number, timeoutMs: number): number {
    let dropped = 0;
    while (this.size > 0 && stepEnd - this.arrivals[this.head] > timeoutMs) {
      dropped += this.counts[this.head];
      this.pop();
    }
    this.total = this.size === 0 ? 0 : Math.max(0, this.total - dropped);
    return dropped;
  }

  private pop(): void {
    this.head = (this.head + 1) % this.counts.length;
    this.size--;
  }

  private grow(): void {
    const n = this.counts.length;
    const arrivals = new Float64Array(n * 2);
    const counts = new Float64Array(n * 2);
    for (let i = 0; i < this.size; i++) {
      arrivals[i] = this.arrivals[(this.head + i) % n];
      counts[i] = this.counts[(this.head + i) % n];
    }
    this.arrivals = arrivals;
    this.counts = counts;
    this.head = 0;
  }
}

// Instances in start order: hot ones first, cold ones after; starting ones become ready FIFO.
export class Instances {
  ready = 0;
  private readyAt: Float64Array;
  private startHead = 0;
  starting = 0;
  /** When each ready slot last had work (idle detection; slots pack from 0 upwards). */
  private lastBusy: Float64Array;
  private previousBusy = 0;
  started = 0;

  // `capacity`: the most instances expected (the bounds' max), so the buffers rarely grow inside a run.
  constructor(initial: number, now: number, capacity = 16) {
    this.readyAt = new Float64Array(Math.max(16, capacity));
    this.lastBusy = new Float64Array(Math.max(16, initial * 2, capacity));
    this.ready = initial;
    this.lastBusy.fill(now, 0, initial);
  }

  get total(): number {
    return this.ready + this.starting;
  }

  // Moves instances whose start delay has passed to ready.
  promote(now: number): void {
    while (this.starting > 0 && this.readyAt[this.startHead] <= now) {
      this.ensureSlots(this.ready + 1);
      this.lastBusy[this.ready] = this.readyAt[this.startHead];
      this.ready++;
      this.startHead = (this.startHead + 1) % this.readyAt.length;
      this.starting--;
    }
  }

  // Brings the total to `count`: starts new instances, or removes starting ones first, then ready ones.
  resize(count: number, now: number, coldStartMs: number): void {
    while (this.total < count) {
      this.started++;
      if (coldStartMs <= 0) {
        this.ensureSlots(this.ready + 1);
        this.lastBusy[this.ready] = now;
        this.ready++;
        continue;
      }
      if (this.starting === this.readyAt.length) this.growStarts();
      this.readyAt[(this.startHead + this.starting) % this.readyAt.length] = now + coldStartMs;
      this.starting++;
    }
    while (this.total > count) {
      if (this.starting > 0) this.starting--;
      else this.ready--;
    }
    if (this.previousBusy > this.ready) this.previousBusy = this.ready;
  }

  // Records which slots have work now (`busy` lowest slots); slots that just went idle start their clock.
  markBusy(busy: number, now: number): void {
    const b = Math.min(busy, this.ready);
    for (let k = b; k < this.previousBusy; k++) this.lastBusy[k] = now;
    this.previousBusy = b;
  }

  // Removes idle cold instances (above `floor`) that had no work for `idleMs`; returns how many.
  reapIdle(now: number, idleMs: number, floor: number): number {
    let removed = 0;
    while (this.starting === 0 && this.ready > floor && this.ready - 1 >= this.previousBusy && now - this.lastBusy[this.ready - 1] >= idleMs) {
      this.ready--;
      removed++;
    }
    return removed;
  }

  private ensureSlots(n: number): void {
    if (n <= this.lastBusy.length) return;
    const next = new Float64Array(Math.max(n, this.lastBusy.length * 2));
    next.set(this.lastBusy);
    this.lastBusy = next;
  }

  private growStarts(): void {
    const n = this.readyAt.length;
    const next = new Float64Array(n * 2);
    for (let i = 0; i < this.starting; i++) next[i] = this.readyAt[(this.startHead + i) % n];
    this.readyAt = next;
    this.startHead = 0;
  }
}
