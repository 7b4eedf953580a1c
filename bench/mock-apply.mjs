// bench/mock-apply: wall time of `scalectl apply --yes` creating 2000 services on the mock cloud
// (fresh state each round), side by side with its peer in the same run: `scalectl plan` of the
// same 2000 services (reading and planning without storing). The difference is what storing
// costs: one locked, fsynced write per apply run, not one per service.
// Goal (DESIGN §7): apply of 2000 services ≤ 2 s.
// Run: npm run build && node bench/mock-apply.mjs [rounds] [services]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numbers } from './args.mjs';

const [rounds, count] = numbers('npm run build && node bench/mock-apply.mjs [rounds=5] [services=2000]', [5, 2000]);
const bin = fileURLToPath(new URL('../bin/scalectl.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'scalectl-bench-mock-'));
const services = Array.from({ length: count }, (_, i) =>
  i % 2
    ? `  svc${i}:\n    replicas: ${1 + (i % 5)}\n`
    : `  svc${i}:\n    autoscale:\n      min: 1\n      max: ${10 + (i % 7)}\n      metrics: [{ type: concurrency, target: 50, limit: 80 }]\n    resources: { cpu: "0.5", memory: 512Mi }\n`,
).join('');
writeFileSync(join(dir, 'scaling.yaml'), `version: 1\nservices:\n${services}`);
const env = { ...process.env, NO_COLOR: '1' };

// Wall time, and CPU time (user + sys, through /usr/bin/time when present): on a shared,
// loaded machine the wall time mostly measures the queue for a core; CPU time does not.
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
function time(args) {
  const command = timeBin ? [timeBin, ['-f', 'cpu %U %S', process.execPath, bin, ...args]] : [process.execPath, [bin, ...args]];
  const start = process.hrtime.bigint();
  const result = spawnSync(command[0], command[1], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`scalectl ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(result.stderr ?? '');
  return { ms, cpu: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN };
}

const plan = [];
const apply = [];
for (let round = 0; round < rounds; round++) {
  rmSync(join(dir, '.scalectl'), { recursive: true, force: true });
  plan.push(time(['plan', '-q']));
  apply.push(time(['apply', '--yes', '-q', '--concurrency', '8']));
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const wall = (list) => median(list.map((t) => t.ms));
const cpu = (list) => median(list.map((t) => t.cpu));
const a = wall(apply);
const p = wall(plan);
console.log(`mock cloud, ${count} services, median of ${rounds} rounds (load average ${loadavg()[0].toFixed(1)}):`);
console.log(`  scalectl plan (peer)    wall ${p.toFixed(0).padStart(6)} ms   cpu ${cpu(plan).toFixed(0).padStart(6)} ms`);
console.log(`  scalectl apply --yes    wall ${a.toFixed(0).padStart(6)} ms   cpu ${cpu(apply).toFixed(0).padStart(6)} ms   ${(a / p).toFixed(2)}× plan (wall)   goal ≤ 2000 ms: ${a <= 2000 ? 'met' : 'NOT met'}`);
rmSync(dir, { recursive: true, force: true });
