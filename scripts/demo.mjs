// npm run demo: validate, plan, apply and show the example shop on the embedded mock cloud.
// Re-running it shows "No changes"; delete examples/shop/.scalectl to start over.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/scalectl.js', import.meta.url));
const cwd = fileURLToPath(new URL('../examples/shop/', import.meta.url));

// The last step plans the staging environment: its own mock cloud state, so it starts empty.
for (const args of [['validate'], ['plan'], ['apply', '--yes'], ['show'], ['plan', '--env', 'staging']]) {
  process.stderr.write(`\n$ scalectl ${args.join(' ')}\n`);
  const { status } = spawnSync(process.execPath, [bin, ...args], { cwd, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
