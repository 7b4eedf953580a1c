// The Knative Pod Autoscaler's decision (knative/serving pkg/autoscaler/scaling/autoscaler.go, Scale):
// desired pods from the stable and panic window averages, clamped by the scale rates around the ready
// count; panic mode starts when the panic window wants panicThreshold × ready, never scales down, and
// ends once a stable window passes without crossing it; activation-scale lifts the first step from zero.

// The KPA's settings for one revision.
export interface KpaSpec {
  /** Target per pod (target × utilization for concurrency). */
  target: number;
  stableWindowMs: number;
  /** Panic threshold as a ratio (200% → 2). */
  panicThreshold: number;
  maxScaleUpRate: number;
  maxScaleDownRate: number;
  /** activation-scale (≤ 1 = none). */
  activationScale?: number;
  /** False when the revision takes no traffic: no scale-down rate limit. */
  reachable?: boolean;
}

// The KPA's memory: when panic mode started (NaN = stable mode) and the most pods wanted while panicking.
export interface KpaMemory { panicSince: number; maxPanicPods: number }

// One KPA decision; updates `memory`. `stable`/`panic` are the window averages (total over pods).
export function kpaScale(spec: KpaSpec, memory: KpaMemory, now: number, stable: number, panic: number, readyCount: number): { desired: number; stablePods: number; panicPods: number; panicking: boolean } {
  const ready = Math.max(1, readyCount);
  const maxUp = Math.ceil(spec.maxScaleUpRate * ready);
  const maxDown = spec.reachable === false ? 0 : Math.floor(ready / spec.maxScaleDownRate);
  const dspc = Math.ceil(stable / spec.target);
  const dppc = Math.ceil(panic / spec.target);
  let stablePods = Math.min(Math.max(dspc, maxDown), maxUp);
  let panicPods = Math.min(Math.max(dppc, maxDown), maxUp);
  const activation = spec.activationScale ?? 0;
  if (activation > 1) {
    if (dspc > 0 && activation > stablePods) stablePods = activation;
    if (dppc > 0 && activation > panicPods) panicPods = activation;
  }
  const over = dppc / ready >= spec.panicThreshold;
  if (over) memory.panicSince = now;
  else if (memory.panicSince === memory.panicSince && memory.panicSince + spec.stableWindowMs < now) {
    memory.panicSince = Number.NaN;
    memory.maxPanicPods = 0;
  }
  let desired = stablePods;
  const panicking = memory.panicSince === memory.panicSince;
  if (panicking) {
    if (desired < panicPods) desired = panicPods;
    if (desired > memory.maxPanicPods) memory.maxPanicPods = desired;
    desired = memory.maxPanicPods;
  }
  return { desired, stablePods, panicPods, panicking };
}
