// One temporary root per test run. vitest.config.ts points TMPDIR at it, so every temp folder a
// test makes (mkdtemp under os.tmpdir()), and every one the CLI processes it starts make, lands
// inside; the teardown below removes the root, so a run leaves nothing in /tmp even when a test
// fails half-way. It also says how many top-level entries were still there, by prefix, so a test
// that forgets its own cleanup shows up.
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// Creates the run's root under the system temp folder; 0755 so servers that drop privileges
// (rabbitmq-server runs as the `rabbitmq` user) can reach folders the tests hand them.
export function createTempRoot(systemTmp: string): string {
  const root = mkdtempSync(join(systemTmp, 'scalectl-test-'));
  chmodSync(root, 0o755);
  return root;
}

// Leftover entries grouped by their name's prefix (the part before the random suffix).
export function leftovers(root: string): Map<string, number> {
  const counts = new Map<string, number>();
  let names: string[] = [];
  try { names = readdirSync(root); } catch { return counts; }
  for (const name of names) {
    const prefix = name.replace(/[-_.]?[A-Za-z0-9]{6,}$/, '') || name;
    counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
  }
  return counts;
}

// Removes the root and everything left in it.
export function removeTempRoot(root: string): void {
  rmSync(root, { recursive: true, force: true, maxRetries: 3 });
}
