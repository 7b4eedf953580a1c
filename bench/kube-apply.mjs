// bench/kube-apply: plan + apply of 1000 Deployments through the Kubernetes adapter against the
// API double (its own process), next to a serial one-request-at-a-time loop of the same /scale
// patches written with @kubernetes/client-node the documented way. Prints time, peak memory, ratio.
// Usage: node bench/kube-apply.mjs [count=1000] [concurrency=64]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { numbers } from './args.mjs';

const root = new URL('..', import.meta.url).pathname;
const [count, concurrency] = numbers('node bench/kube-apply.mjs [count=1000] [concurrency=64]', [1000, 64]);
const namespace = 'bench';
// Bundles live under node_modules/.cache so their bare imports resolve to the project's packages.
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const out = mkdtempSync(join(root, 'node_modules', '.cache', 'kube-apply-'));

// Bundle the TypeScript we need (the double's entry, the adapter, the planner's diff, the apply engine).
await build({
  absWorkingDir: root,
  entryPoints: { double: 'test/k8s-double/main.ts' },
  outdir: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning',
});
await build({
  absWorkingDir: root,
  stdin: {
    contents: `export { default as kubernetes } from './adapters/kubernetes/index.ts';
      export { diffSpecs } from './src/plan/plan.ts';
      export { runApply } from './src/apply/engine.ts';`,
    resolveDir: root, loader: 'ts', sourcefile: 'bench-entry.ts',
  },
  outfile: join(out, 'lib.mjs'), bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning',
});

const lib = await import(join(out, 'lib.mjs'));
const k8s = await import('@kubernetes/client-node');

let peakRss = 0;
let peakHeap = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
};
const sampler = setInterval(sample, 5);
let kubeconfig;

// The peer: one PATCH at a time, each awaited, with the client's documented merge-patch idiom.
async function serialLoop(prefix, n, replicas) {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const options = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
  for (let i = 0; i < n; i++) {
    await apps.patchNamespacedDeploymentScale({ name: `${prefix}-${i}`, namespace, body: { spec: { replicas } } }, options);
  }
}

// scalectl: read every target, diff with the planner, apply through the engine with bounded concurrency.
async function planAndApply(prefix, n, replicas) {
  const adapter = await lib.kubernetes({ provider: { name: 'bench', adapter: 'kubernetes', settings: { kubeconfig, namespace } }, configDir: out, env: {}, debug: () => {} });
  const services = Array.from({ length: n }, (_, i) => ({ name: `${prefix}-${i}`, provider: 'bench', target: `deployment/${prefix}-${i}`, spec: { replicas }, extensions: {} }));
  const signal = new AbortController().signal;
  const observed = await adapter.read(services.map((s) => ({ service: s.name, target: s.target, extensions: {}, desired: s.spec })), { signal });
  const items = services.map((s, i) => {
    const changes = lib.diffSpecs(s, observed[i].spec, adapter.capabilities(s.target, observed[i]), {});
    return { service: s.name, adapter, request: { service: s.name, target: s.target, extensions: {}, desired: s.spec, changes, fingerprint: observed[i].fingerprint } };
  });
  const results = await lib.runApply(items, { concurrency, dryRun: false, signal });
  await adapter.close();
  const failed = results.filter((r) => r.status !== 'applied');
  if (failed.length) throw new Error(`${failed.length} services failed, e.g. ${failed[0].service}: ${failed[0].error}`);
  return items.reduce((sum, item) => sum + item.request.changes.length, 0);
}

const cpu = (u) => `${((u.user + u.system) / 1000).toFixed(0)} ms`;
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

// One scenario: a fresh double (own process) with two groups of Deployments, one per contender.
async function scenario(latencyMs) {
  const child = spawn(process.execPath, [join(out, 'double.js'), String(count), namespace, 'warm', 'serial', 'scalectl'], {
    cwd: root, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, DOUBLE_LATENCY_MS: String(latencyMs) },
  });
  const [line] = await once(createInterface({ input: child.stdout }), 'line');
  kubeconfig = JSON.parse(line).kubeconfig;
  const warmup = Math.min(50, count);
  await serialLoop('warm', warmup, 2);
  await planAndApply('warm', warmup, 3);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await serialLoop('serial', count, 4);
  const serialMs = performance.now() - t0;
  const serialCpu = process.cpuUsage(c0);
  const c1 = process.cpuUsage();
  const t1 = performance.now();
  const changes = await planAndApply('scalectl', count, 4);
  const scalectlMs = performance.now() - t1;
  const scalectlCpu = process.cpuUsage(c1);
  child.stdin.end();
  await once(child, 'exit');
  const ratio = serialMs / scalectlMs;
  console.log(`\n${count} Deployments, replicas 1 → 4, double in its own process, ${latencyMs ? `${latencyMs} ms server latency per call` : 'loopback, no added latency'}:`);
  console.log(`  scalectl plan + apply       ${(scalectlMs / 1000).toFixed(2)} s  (${changes} changes, concurrency ${concurrency}, client CPU ${cpu(scalectlCpu)})`);
  console.log(`  serial loop, same patches   ${(serialMs / 1000).toFixed(2)} s  (client-node, one awaited PATCH at a time, client CPU ${cpu(serialCpu)})`);
  console.log(`  ratio                       ${ratio.toFixed(1)}×`);
  return { scalectlMs, ratio };
}

console.log(`kube-apply bench (node ${process.version}, ${(await import('node:os')).cpus().length} cores)`);
const direct = await scenario(0);
const remote = await scenario(Number(process.env.BENCH_LATENCY_MS ?? 5));
clearInterval(sampler);
sample();
rmSync(out, { recursive: true, force: true });
console.log(`\npeak memory of the bench process (scalectl side): rss ${mb(peakRss)}, heap ${mb(peakHeap)}`);
const best = Math.max(direct.ratio, remote.ratio);
console.log(`goals: ≤ 5 s ${Math.max(direct.scalectlMs, remote.scalectlMs) <= 5000 ? 'met' : 'MISSED'} · ≤ 200 MB ${peakRss <= 200 * 1024 * 1024 ? 'met' : 'MISSED'} · ≥ 10× ${direct.ratio >= 10 ? 'met' : remote.ratio >= 10 ? 'met only with server latency' : `MISSED (best ${best.toFixed(1)}×)`}`);
