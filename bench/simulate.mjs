// Benchmark: simulate 24 h at 1 s steps for 100 services (goal ≤ 1 s). Bundles src/simulate with
// esbuild into a temp file first (the engine is TypeScript), then times the runs only.
// Usage: node bench/simulate.mjs [services=100] [hours=24]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importBundle } from './bundle.mjs';
import { numbers } from './args.mjs';

const [services, hours] = numbers('node bench/simulate.mjs [services=100] [hours=24]', [100, 24]);
const out = mkdtempSync(join(tmpdir(), 'scalectl-bench-'));
const { simulate, parseLoadSpec } = await importBundle("export { simulate } from './src/simulate/index.ts'; export { parseLoadSpec } from './src/simulate/load.ts';", out, 'simulate');

const start = new Date('2026-03-02T00:00:00Z');
const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'];
// Four policy shapes, round-robin: concurrency with a hard limit, rps, cpu with a schedule, mixed + guard.
// On the mock cloud a concurrency target is Container Apps' HTTP rule (requests/s per replica over 15 s):
// 50/s at 200 ms is the 10 in flight the hard limit of 15 is sized for.
function serviceAt(i) {
  const kinds = [
    { min: 1, max: 20, metrics: [{ type: 'concurrency', target: 50, limit: 15 }] },
    { min: 0, max: 30, metrics: [{ type: 'rps', target: 50 }], behavior: { scaleDown: { stabilization: '2m' } } },
    {
      min: 2,
      max: 25,
      metrics: [{ type: 'cpu', utilization: 60 }],
      schedules: [{ name: 'business-hours', recurring: { days, start: '08:00', end: '20:00' }, timezone: 'Europe/Moscow', min: 5 }],
    },
    { min: 1, max: 40, metrics: [{ type: 'concurrency', target: 40 }, { type: 'rps', target: 40 }, { type: 'cpu', utilization: 70 }], behavior: { flapping: 'guard' } },
  ];
  return {
    name: `svc-${i}`,
    provider: 'mock',
    target: `svc-${i}`,
    spec: { autoscale: kinds[i % kinds.length], traffic: { coldStart: '10s', queueTimeout: '10s', instanceIdleTimeout: '5m' } },
    extensions: {},
  };
}
const loads = Array.from({ length: services }, (_, i) =>
  parseLoadSpec(`rps=daily(20,${300 + (i % 7) * 50},14:00)+noise(30,${i + 1})+spike(600,${(i % 20) + 2}h,2m) cpu=daily(50,900,15:00) latency=200ms`, start),
);
const specs = Array.from({ length: services }, (_, i) => serviceAt(i));

// Warm-up: two hours of each policy shape so JIT compilation is not counted.
for (let i = 0; i < Math.min(4, services); i++) simulate(specs[i], loads[i], { start, durationMs: 2 * 3_600_000, stepMs: 1000 });

const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
let steps = 0;
let instanceHours = 0;
for (let i = 0; i < services; i++) {
  const result = simulate(specs[i], loads[i], { start, durationMs: hours * 3_600_000, stepMs: 1000 });
  steps += result.steps;
  instanceHours += result.summary.instanceHours;
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
rmSync(out, { recursive: true, force: true });
const goal = 1;
console.log(`simulate: ${services} services × ${hours} h at 1 s = ${steps.toLocaleString('en-US')} steps in ${seconds.toFixed(3)} s (${Math.round(steps / seconds).toLocaleString('en-US')} steps/s; goal ≤ ${goal} s → ${(seconds / goal).toFixed(2)}× of goal; cpu ${cpuSeconds.toFixed(3)} s; ${Math.round(instanceHours)} instance-hours)`);
