// Real metric servers for the source and autoscale tests (Debian's redis-server, prometheus,
// rabbitmq-server): each started on free loopback ports in a temp folder, stopped by PID, the
// folder removed. Never a server by name: only the processes these helpers started.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A port nothing listens on right now (the OS picks it).
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Polls `ready` until it resolves true, or throws with the server's output after `timeoutMs`.
async function waitFor(name: string, child: ChildProcess, output: () => string, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${output().slice(-2000)}`);
    if (await ready().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`${name} was not ready within ${timeoutMs / 1000}s: ${output().slice(-2000)}`);
}

// Stops a child by its PID (SIGTERM, then SIGKILL after `graceMs`) and waits for it to exit.
async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function start(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d) => (text = (text + d).slice(-20_000)));
  child.stderr!.on('data', (d) => (text = (text + d).slice(-20_000)));
  return { child, output: () => text };
}

export interface RunningServer {
  port: number;
  dir: string;
  stop(): Promise<void>;
}

// redis-server on a free port, no persistence.
export async function startRedis(): Promise<RunningServer & { address: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-redis-'));
  const port = await freePort();
  const { child, output } = start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { cwd: dir });
  const { pipeline } = await import('../../adapters/sources/resp.js');
  await waitFor('redis-server', child, output, async () => (await pipeline('127.0.0.1', port, [['PING']], 1000))[0] === 'PONG', 20_000);
  return {
    port,
    dir,
    address: `127.0.0.1:${port}`,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Sends Redis commands to a test server (test setup only).
export async function redis(port: number, ...commands: string[][]): Promise<unknown[]> {
  const { pipeline } = await import('../../adapters/sources/resp.js');
  return pipeline('127.0.0.1', port, commands, 5000);
}

// prometheus with a config scraping `targets` (host:port) every second.
export async function startPrometheus(targets: string[] = []): Promise<RunningServer & { url: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-prometheus-'));
  const port = await freePort();
  const config = `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: test\n    static_configs:\n      - targets: [${targets.map((t) => `"${t}"`).join(', ')}]\n`;
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const { child, output } = start(
    'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--web.listen-address=127.0.0.1:${port}`, `--storage.tsdb.path=${join(dir, 'data')}`],
    { cwd: dir },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor('prometheus', child, output, async () => (await fetch(`${url}/-/ready`)).ok, 30_000);
  return {
    port,
    dir,
    url,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// rabbitmq-server with the management plugin (DESIGN §6): every path and port in a temp folder,
// run directly (not through the Debian wrapper, which would switch to the rabbitmq user and drop
// the environment). Stopped by the PIDs of its beam process and of the epmd it started.
export async function startRabbitmq(): Promise<RunningServer & { management: string; amqpPort: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-rabbitmq-'));
  const [amqpPort, port, distPort, epmdPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  writeFileSync(
    join(dir, 'rabbitmq.conf'),
    [`listeners.tcp.1 = 127.0.0.1:${amqpPort}`, `management.tcp.port = ${port}`, 'management.tcp.ip = 127.0.0.1', 'collect_statistics_interval = 500', ''].join('\n'),
  );
  writeFileSync(join(dir, 'enabled_plugins'), '[rabbitmq_management].\n');
  const node = `scalectl-test-${process.pid}-${port}`;
  const env = {
    ...process.env,
    HOME: dir,
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_FEATURE_FLAGS_FILE: join(dir, 'feature_flags'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
    RABBITMQ_NODENAME: `${node}@localhost`,
    RABBITMQ_DIST_PORT: String(distPort),
    ERL_EPMD_PORT: String(epmdPort),
  };
  const { child, output } = start('/usr/lib/rabbitmq/bin/rabbitmq-server', [], { cwd: dir, env });
  const management = `http://127.0.0.1:${port}`;
  const auth = { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` };
  const stop = async () => {
    const { readFileSync } = await import('node:fs');
    let beam = 0;
    try {
      beam = Number(readFileSync(join(dir, 'rabbitmq.pid'), 'utf8').trim());
    } catch {
      // not written yet
    }
    if (beam > 0) {
      try {
        process.kill(beam, 'SIGTERM');
      } catch {
        // gone
      }
    }
    await stopChild(child, 30_000);
    await new Promise<void>((resolve) => {
      const epmd = spawn('epmd', ['-kill'], { env, stdio: 'ignore' });
      epmd.on('exit', () => resolve());
      epmd.on('error', () => resolve());
    });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('rabbitmq-server', child, output, async () => (await fetch(`${management}/api/overview`, { headers: auth })).ok, 120_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, dir, management, amqpPort, stop };
}

// Management API calls for test setup: declare a queue, publish messages, purge.
export async function rabbit(management: string, method: 'PUT' | 'POST' | 'DELETE' | 'GET', path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${management}${path}`, {
    method,
    headers: { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

// Publishes `count` messages to a queue through the default exchange.
export async function publish(management: string, queue: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await rabbit(management, 'POST', '/api/exchanges/%2F/amq.default/publish', { properties: {}, routing_key: queue, payload: `m${i}`, payload_encoding: 'string' });
  }
}
