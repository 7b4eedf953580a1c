// Benchmark: scalectl autoscale's own overhead. 100 services on the mock cloud, each with a cheap
// source (an HTTP endpoint returning a number, served by a separate process so its CPU is not
// counted), evaluated as the loop does at a 15 s interval. Prints the loop's CPU per round as a
// share of one core (goal ≤ 5%) and the time one evaluation adds beyond its source's own latency
// (goal ≤ 5 ms), with the ratios to the goals. Bundles the TypeScript with esbuild first.
// Usage: node bench/autoscale.mjs [services=100] [rounds=20]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importBundle } from './bundle.mjs';
import { numbers } from './args.mjs';

const [services, rounds] = numbers('node bench/autoscale.mjs [services=100] [rounds=20]', [100, 20]);
const INTERVAL_MS = 15_000;
const out = mkdtempSync(join(tmpdir(), 'scalectl-bench-autoscale-'));
const { AutoscaleLoop, resolvePolicy, openSource, mockCloud } = await importBundle(
  [
    "export { AutoscaleLoop } from './src/autoscale/loop.ts';",
    "export { resolvePolicy } from './src/simulate/policy.ts';",
    "export { openSource } from './adapters/sources/index.ts';",
    "export { default as mockCloud } from './adapters/mock-cloud/index.ts';",
  ].join('\n'),
  out,
  'autoscale',
  ['dockerode', '@kubernetes/client-node', 'amqplib'],
);

// The metric server: another process, so only the loop's CPU is measured here.
const server = spawn(process.execPath, ['-e', `
  const http = require('node:http');
  const s = http.createServer((req, res) => {
    const i = Number(req.url.slice(1)) || 0;
    res.end(String(Math.max(0, Math.round(60 + 50 * Math.sin(Date.now() / 700 + i)))));
  });
  s.listen(0, '127.0.0.1', () => console.log(s.address().port));
`], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve) => server.stdout.once('data', (d) => resolve(Number(String(d).trim()))));

const provider = { name: 'mock', adapter: 'mock', settings: { state: out } };
const adapter = await mockCloud({ provider, configDir: out, env: {}, debug() {} });
const configs = Array.from({ length: services }, (_, i) => ({
  name: `svc-${i}`,
  provider: 'mock',
  target: `svc-${i}`,
  spec: {
    autoscale: {
      min: 1,
      max: 20,
      metrics: [{ type: 'queue', perInstance: 10, source: { kind: 'metrics-api', url: `http://127.0.0.1:${port}/${i}` } }],
      behavior: { evaluationInterval: '15s', scaleDown: { stabilization: '1m' } },
    },
  },
  extensions: {},
}));
for (const service of configs) {
  await adapter.apply(
    { service: service.name, target: service.target, extensions: {}, desired: service.spec, changes: [], fingerprint: 'mock:absent' },
    { dryRun: false, signal: new AbortController().signal },
  );
}
const context = { env: {}, configDir: out, timeoutMs: 5000 };
const entries = (concurrency) =>
  configs.map((service) => ({ service, adapter, policy: resolvePolicy(service, 'mock'), sources: [openSource(service.spec.autoscale.metrics[0], context)] }));

// 1. CPU of the loop per round (all services due at once, as at every 15 s tick).
let clock = Date.parse('2026-03-02T00:00:00Z');
const now = () => new Date(clock);
const loop = new AutoscaleLoop(entries(), { stateDir: out, now, concurrency: 8 });
await loop.round(); // warm-up: JIT, connections
clock += INTERVAL_MS;
let changes = 0;
const cpuBefore = process.cpuUsage();
const wallBefore = performance.now();
for (let r = 0; r < rounds; r++) {
  const results = await loop.round();
  changes += results.filter((e) => e.changed).length;
  clock += INTERVAL_MS;
}
const cpu = process.cpuUsage(cpuBefore);
const wallMs = (performance.now() - wallBefore) / rounds;
const cpuMsPerRound = (cpu.user + cpu.system) / 1000 / rounds;
const share = cpuMsPerRound / INTERVAL_MS;

// 2. One evaluation beyond its source: one service at a time, its time minus the source's wait
// (and minus the platform's own time to apply a change, reported apart).
const single = new AutoscaleLoop(entries(), { stateDir: join(out, 'single'), now, concurrency: 1 });
const overheads = [];
const applies = [];
for (let r = 0; r < 5; r++) {
  for (const e of await single.round()) {
    overheads.push(e.totalMs - e.sourceMs - e.applyMs);
    if (e.changed) applies.push(e.applyMs);
  }
  clock += INTERVAL_MS;
}
const stats = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length), p95: sorted[Math.floor(sorted.length * 0.95)] ?? 0 };
};
const { mean, p95 } = stats(overheads);
const apply = stats(applies);

server.kill();
rmSync(out, { recursive: true, force: true });
const f = (x, d = 2) => x.toFixed(d);
console.log(`scalectl autoscale overhead: ${services} services, metrics-api sources, ${rounds} rounds at a ${INTERVAL_MS / 1000}s interval (${changes} count changes applied)`);
console.log(`  loop CPU per round      ${f(cpuMsPerRound, 1)} ms (wall ${f(wallMs, 1)} ms)`);
console.log(`  share of one core       ${f(share * 100, 3)}%   goal ≤ 5%   ratio ${f(share / 0.05, 3)}`);
console.log(`  one evaluation beyond its source: mean ${f(mean, 3)} ms, p95 ${f(p95, 3)} ms   goal ≤ 5 ms   ratio (p95) ${f(p95 / 5, 3)}`);
console.log(`  (the mock cloud applying a change, apart: mean ${f(apply.mean, 2)} ms, p95 ${f(apply.p95, 2)} ms over ${applies.length} changes — a locked, fsync'd state write)`);
