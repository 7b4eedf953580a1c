// Fault injection for the mock cloud, so retries, reports and Ctrl-C can be tested:
//   SCALECTL_MOCK_FAULTS="error=0.3,latency=200ms,fail=admin|api,seed=7"
// error: share of apply calls that fail with a retryable error; latency: delay of every apply;
// fail: targets whose applies always fail (not retryable); seed: makes the error draws repeatable.
import { parseDuration } from '../../src/config/duration.js';
import { seededRandom } from '../../src/util/random.js';

export interface Faults {
  errorRate: number;
  latencyMs: number;
  failTargets: Set<string>;
  random: () => number;
}

// Parses the variable; an unreadable one is an error naming it.
export function parseFaults(text: string | undefined): Faults {
  const faults: Faults = { errorRate: 0, latencyMs: 0, failTargets: new Set(), random: Math.random };
  if (!text) return faults;
  let seed: number | undefined;
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key, value = ''] = part.split('=');
    if (key === 'error' && Number(value) >= 0 && Number(value) <= 1) faults.errorRate = Number(value);
    else if (key === 'latency' && parseDuration(value) !== undefined) faults.latencyMs = parseDuration(value)!;
    else if (key === 'fail') value.split('|').filter(Boolean).forEach((t) => faults.failTargets.add(t));
    else if (key === 'seed' && Number.isInteger(Number(value))) seed = Number(value);
    else throw new Error(`SCALECTL_MOCK_FAULTS: cannot read "${part}" (expected error=0..1, latency=200ms, fail=name|name, seed=N)`);
  }
  if (seed !== undefined) faults.random = seededRandom(seed);
  return faults;
}
