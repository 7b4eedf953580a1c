// --json: every step as a plain object, the evaluations with per-metric counts, events and summary.
import type { SimulationResult } from './types.js';

const round = (x: number) => (Number.isNaN(x) ? null : Math.round(x * 1000) / 1000);

// The JSON document for one run (`--json`): stable field names, times as ISO strings.
export function toJson(result: SimulationResult): Record<string, unknown> {
  const start = Date.parse(result.start);
  const s = result.series;
  const evalAt = new Map<number, number>();
  result.evaluations.step.forEach((step, k) => evalAt.set(step, k));
  const m = result.metrics.length;
  const steps = [];
  for (let i = 0; i < result.steps; i++) {
    const load: Record<string, number | null> = {};
    for (const field of result.fields) load[field] = round(result.load[field]![i]);
    const k = evalAt.get(i);
    steps.push({
      at: new Date(start + i * result.stepMs).toISOString(),
      offsetMs: i * result.stepMs,
      load,
      instances: s.instances[i],
      ready: s.ready[i],
      starting: s.instances[i] - s.ready[i],
      hot: Math.min(s.instances[i], s.boundsMin[i]),
      cold: s.instances[i] - Math.min(s.instances[i], s.boundsMin[i]),
      bounds: { min: s.boundsMin[i], max: s.boundsMax[i] },
      inFlight: round(s.inFlight[i]),
      queued: round(s.queued[i]),
      dropped: round(s.dropped[i]),
      served: round(s.served[i]),
      ...(k === undefined
        ? {}
        : {
            decision: {
              recommended: Object.fromEntries(result.metrics.map((name, j) => [name, round(result.evaluations.raw[k * m + j])])),
              combined: result.evaluations.combined[k],
              final: result.evaluations.final[k],
            },
          }),
    });
  }
  return {
    service: result.service,
    start: result.start,
    stepMs: result.stepMs,
    evaluationIntervalMs: result.evaluationIntervalMs,
    metrics: result.metrics,
    summary: result.summary,
    events: result.events.map((e) => ({ ...e, time: new Date(start + e.at).toISOString() })),
    steps,
  };
}
