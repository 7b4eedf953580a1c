// bench/plan-shop: wall time of `scalectl plan` on examples/shop (whose bot and storefront
// sources the readiness gate scans) against bare `node -e 0`, interleaved; cold = the scan cache
// in .scalectl/ removed before each run, warm = the cache left from the previous run.
// Goal (issue 10): warm plan ≤ 2.5× node -e 0.
// Run: npm run build && node bench/plan-shop.mjs [rounds]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numbers } from './args.mjs';

const [rounds] = numbers('npm run build && node bench/plan-shop.mjs [rounds=15]', [15]);
const bin = fileURLToPath(new URL('../bin/scalectl.js', import.meta.url));
const shop = fileURLToPath(new URL('../examples/shop', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'scalectl-bench-shop-'));
cpSync(shop, dir, { recursive: true, filter: (source) => !source.includes('.scalectl') });
const env = { ...process.env, NO_COLOR: '1' };
const cache = join(dir, '.scalectl', 'readiness-cache.json');

const subjects = {
  'node -e 0': { args: ['-e', '0'] },
  'plan (cold scan cache)': { args: [bin, 'plan'], before: () => rmSync(cache, { force: true }) },
  'plan (warm scan cache)': { args: [bin, 'plan'] },
};
const times = Object.fromEntries(Object.keys(subjects).map((name) => [name, []]));
try {
  for (let round = 0; round < rounds + 2; round++) {
    for (const [name, { args, before }] of Object.entries(subjects)) {
      before?.();
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, args, { cwd: dir, env, stdio: 'ignore' });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.status !== 0 && result.status !== 2) throw new Error(`${name} exited ${result.status}`);
      if (round >= 2) times[name].push(ms); // two warm-up rounds
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const base = median(times['node -e 0']);
console.log(`plan on examples/shop, ${rounds} interleaved rounds, medians:`);
for (const [name, list] of Object.entries(times)) {
  const m = median(list);
  console.log(`  ${name.padEnd(26)} ${m.toFixed(1).padStart(7)} ms  ${(m / base).toFixed(2)}× node -e 0`);
}
console.log('goal: warm plan ≤ 2.50× node -e 0');
