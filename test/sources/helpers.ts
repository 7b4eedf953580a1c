// Opens a source from a scaling.yaml-shaped metric, as the autoscale loop does.
import { createServer, type Server } from 'node:http';
import { freePort } from '../support/servers.js';
import { openSource } from '../../adapters/sources/index.js';
import type { MetricSource } from '../../adapters/sources/types.js';

export function queueSource(source: Record<string, unknown>, env: NodeJS.ProcessEnv = {}, configDir = process.cwd()): MetricSource {
  return openSource({ type: 'queue', perInstance: 1, source }, { env, configDir, timeoutMs: 5000 });
}

// The SourceError message a read rejects with.
export async function failure(source: MetricSource): Promise<string> {
  try {
    const value = await source.read();
    return `read ${value}`;
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

// A /metrics endpoint whose gauge the test sets.
export async function gaugeServer(): Promise<{ server: Server; port: number; set(value: number): void }> {
  let value = 0;
  const port = await freePort();
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(`# TYPE test_queue_depth gauge\ntest_queue_depth{queue="a"} ${value}\ntest_queue_depth{queue="b"} ${value / 2}\n`);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, port, set: (v) => (value = v) };
}

// Polls until `read` gives `expected` (a scrape happens every second).
export async function eventually(read: () => Promise<number>, expected: number, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = Number.NaN;
  while (Date.now() < deadline) {
    last = await read().catch(() => Number.NaN);
    if (last === expected) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}

