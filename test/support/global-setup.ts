// vitest global setup: after the whole run, removes the run's temp root (see temp-root.ts) and
// reports what tests left in it (SCALECTL_TEST_LEFTOVERS=1 prints each prefix).
import { leftovers, removeTempRoot } from './temp-root.js';

export default function setup(): () => void {
  return () => {
    const root = process.env.SCALECTL_TEST_TMPROOT;
    if (!root) return;
    const left = leftovers(root);
    const total = [...left.values()].reduce((a, b) => a + b, 0);
    if (total > 0 && process.env.SCALECTL_TEST_LEFTOVERS) {
      for (const [prefix, n] of left) process.stderr.write(`temp left by tests: ${prefix} ×${n}\n`);
    }
    removeTempRoot(root);
  };
}
