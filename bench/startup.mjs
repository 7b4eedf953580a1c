// bench/startup: wall time of `scalectl --version` and `scalectl plan` (10 services on the mock
// cloud) against bare `node -e 0`, interleaved in one run; prints medians and ratios.
// Goals (DESIGN §7): --version ≤ 1.5× node -e 0; plan ≤ 2.5× node -e 0 and ≤ 150 ms.
// Run: npm run build && node bench/startup.mjs [rounds]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numbers } from './args.mjs';

const [rounds] = numbers('npm run build && node bench/startup.mjs [rounds=25]', [25]);
const bin = fileURLToPath(new URL('../bin/scalectl.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'scalectl-bench-'));
const services = Array.from({ length: 10 }, (_, i) =>
  i % 2
    ? `  svc${i}:\n    replicas: ${i}\n`
    : `  svc${i}:\n    autoscale:\n      min: 1\n      max: ${10 + i}\n      metrics: [{ type: concurrency, target: 50, limit: 80 }]\n      behavior: { scaleDown: { stabilization: 5m } }\n    resources: { cpu: "0.5", memory: 512Mi }\n`,
).join('');
writeFileSync(join(dir, 'scaling.yaml'), `version: 1\nservices:\n${services}`);
const env = { ...process.env, NO_COLOR: '1' };
// Apply once so that plan reads a populated state (the common case).
spawnSync(process.execPath, [bin, 'apply', '--yes', '-q'], { cwd: dir, env });

const subjects = {
  'node -e 0': [process.execPath, ['-e', '0']],
  'scalectl --version': [process.execPath, [bin, '--version']],
  'scalectl plan (10 services)': [process.execPath, [bin, 'plan']],
};
const times = Object.fromEntries(Object.keys(subjects).map((k) => [k, []]));
for (let round = 0; round < rounds + 2; round++) {
  for (const [name, [cmd, args]] of Object.entries(subjects)) {
    const start = process.hrtime.bigint();
    const result = spawnSync(cmd, args, { cwd: dir, env, stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${name} exited ${result.status}`);
    if (round >= 2) times[name].push(ms); // two warm-up rounds
  }
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const base = median(times['node -e 0']);
console.log(`startup, ${rounds} interleaved rounds, medians:`);
for (const [name, list] of Object.entries(times)) {
  const m = median(list);
  console.log(`  ${name.padEnd(28)} ${m.toFixed(1).padStart(7)} ms  ${(m / base).toFixed(2)}× node -e 0`);
}
console.log('goals: --version ≤ 1.50×; plan ≤ 2.50× and ≤ 150 ms');
