// bench/docker-scale: 0 → N and N → 0 replicas on the local Docker Engine, scalectl's Docker
// adapter (read + apply, as `scalectl apply` runs them) next to `docker-compose up -d --scale`,
// same engine, image, command and stop grace, in the same run. Prints times and ratios.
// Needs the engine and test image from `bash .ci/docker-setup.sh`.
// Usage: node bench/docker-scale.mjs [replicas=50] [graceSeconds=10]
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { numbers } from './args.mjs';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const [replicas, grace] = numbers('node bench/docker-scale.mjs [replicas=50] [graceSeconds=10]', [50, 10]);
const image = process.env.SCALECTL_TEST_IMAGE ?? 'scalectl-test/busybox:latest';
const label = 'scalectl.test=bench';
// Exits on SIGTERM like a well-behaved server, so both tools pay the same, short, stop.
const command = ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'];

const docker = (...args) => run('docker', args, { maxBuffer: 1 << 24 }).then((r) => r.stdout);
const count = async (filter) => (await docker('ps', '-q', '--filter', filter, '--filter', 'status=running')).split('\n').filter(Boolean).length;
const time = async (fn) => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};

try {
  await docker('image', 'inspect', image);
} catch {
  console.error(`bench/docker-scale: no engine or no ${image}; run \`bash .ci/docker-setup.sh\` first`);
  process.exit(1);
}

// Bundle the adapter (its bare imports resolve to the project's node_modules from .cache).
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const out = mkdtempSync(join(root, 'node_modules', '.cache', 'docker-scale-'));
await build({
  absWorkingDir: root, entryPoints: { adapter: 'adapters/docker/index.ts' }, outdir: out, outExtension: { '.js': '.mjs' },
  bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning',
});
const { default: createDocker } = await import(join(out, 'adapter.mjs'));
const adapter = await createDocker({
  provider: { name: 'docker', adapter: 'docker', settings: { stopGrace: `${grace}s` } },
  configDir: root, env: process.env, debug: () => {},
});

// One `scalectl apply` of one service: read (for the fingerprint), then apply.
async function scalectl(target, replicaCount, extensions) {
  const signal = new AbortController().signal;
  const [observed] = await adapter.read([{ service: 'web', target, extensions, desired: { replicas: replicaCount } }], { signal });
  await adapter.apply(
    { service: 'web', target, extensions, desired: { replicas: replicaCount }, changes: [], fingerprint: observed.fingerprint },
    { dryRun: false, signal },
  );
}

const dir = mkdtempSync(join(tmpdir(), 'scalectl-bench-compose-'));
writeFileSync(join(dir, 'docker-compose.yml'), `version: "2.4"
services:
  web:
    image: ${image}
    command: ${JSON.stringify(command)}
    network_mode: none
    labels:
      scalectl.test: bench
`);
const compose = (project, n) =>
  run('docker-compose', ['-p', project, 'up', '-d', '--no-recreate', '-t', String(grace), '--scale', `web=${n}`], { cwd: dir, maxBuffer: 1 << 24 });
// As the CLI passes a service's `x-docker: {…}`: keyed by adapter.
const xDocker = { docker: { image, command, labels: { 'scalectl.test': 'bench' } } };

const results = [];
async function round(name, up, down, filter) {
  const upMs = await time(up);
  const upCount = await count(filter);
  const downMs = await time(down);
  const downCount = await count(filter);
  if (upCount !== replicas || downCount !== 0) throw new Error(`${name}: expected ${replicas} then 0 running, saw ${upCount} then ${downCount}`);
  results.push({ name, upMs, downMs });
}

try {
  await round('docker-compose up -d --scale', () => compose('benchcompose', replicas), () => compose('benchcompose', 0), 'label=com.docker.compose.project=benchcompose');
  await round('scalectl container/ (template)', () => scalectl('container/benchweb', replicas, xDocker), () => scalectl('container/benchweb', 0, xDocker), 'label=io.scalectl.replica-of=benchweb');
  // scalectl only copies containers Compose made: Compose makes the first one, stopped here, so
  // the round starts at 0 running (scalectl starts it and creates the others).
  await run('docker-compose', ['-p', 'benchshop', 'up', '-d'], { cwd: dir });
  await run('docker-compose', ['-p', 'benchshop', 'stop', '-t', '1'], { cwd: dir });
  await round('scalectl compose:benchshop/web', () => scalectl('compose:benchshop/web', replicas, xDocker), () => scalectl('compose:benchshop/web', 0, xDocker), 'label=com.docker.compose.project=benchshop');
} finally {
  await run('docker-compose', ['-p', 'benchcompose', 'down', '-t', '1'], { cwd: dir }).catch(() => undefined);
  await run('docker-compose', ['-p', 'benchshop', 'down', '-t', '1'], { cwd: dir }).catch(() => undefined);
  const ids = (await docker('ps', '-aq', '--filter', `label=${label}`)).split('\n').filter(Boolean);
  if (ids.length) await docker('rm', '-f', ...ids);
  rmSync(dir, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
}

const base = results[0];
const pad = (text, width) => String(text).padEnd(width);
console.log(`docker scale 0 → ${replicas} → 0, stop grace ${grace}s, image ${image}`);
console.log(`${pad('tool', 34)}${pad(`0→${replicas}`, 12)}${pad(`${replicas}→0`, 12)}ratios vs compose (higher = faster)`);
for (const r of results) {
  const ratios = r === base ? '' : `scale-out ${(base.upMs / r.upMs).toFixed(2)}×, scale-in ${(base.downMs / r.downMs).toFixed(2)}×`;
  console.log(`${pad(r.name, 34)}${pad(`${(r.upMs / 1000).toFixed(2)} s`, 12)}${pad(`${(r.downMs / 1000).toFixed(2)} s`, 12)}${ratios}`);
}
const worst = results.slice(1).reduce((w, r) => ({ up: Math.min(w.up, base.upMs / r.upMs), down: Math.min(w.down, base.downMs / r.downMs) }), { up: Infinity, down: Infinity });
console.log(`goals: scale-out ≥ 2× (${worst.up >= 2 ? 'met' : 'NOT met'}: ${worst.up.toFixed(2)}×), scale-in no slower (${worst.down >= 1 ? 'met' : 'NOT met'}: ${worst.down.toFixed(2)}×)`);
