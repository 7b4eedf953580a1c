// A second, throwaway dockerd on its own socket, data root and exec root, which a test may stop
// and start (by its PID) without touching the main engine. It holds a copy of the test image.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sh, TEST_IMAGE } from '../../support/docker.js';

// A running (or stopped) second engine.
export interface SecondEngine {
  /** `unix://…`, for the provider's `host` setting and `docker -H`. */
  host: string;
  start(): Promise<void>;
  /** SIGTERM to dockerd: a clean shutdown. */
  stop(): Promise<void>;
  /** The engine dies mid-request with its runtime, as in a host crash: SIGSTOP, SIGKILL, then its shims by PID. */
  crash(): Promise<void>;
  dispose(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Processes whose command line names `folder` (the engine's containerd and shims), with their children.
async function leftovers(folder: string): Promise<number[]> {
  const table = (await sh('ps', ['-eo', 'pid=,ppid=,args='])).split('\n').map((line) => line.trim().split(/\s+/));
  const owners = table.filter((row) => row.slice(2).join(' ').includes(folder)).map((row) => row[0]);
  const children = table.filter((row) => owners.includes(row[1])).map((row) => row[0]);
  return [...children, ...owners].map(Number).filter((pid) => pid > 1 && pid !== process.pid);
}

// Creates the engine's folder (short: unix socket paths are limited to 108 bytes) and starts it.
export async function startSecondEngine(): Promise<SecondEngine> {
  const dir = await mkdtemp('/tmp/scd-');
  const host = `unix://${join(dir, 'd.sock')}`;
  let child: ChildProcess | undefined;
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const answers = () => sh('docker', ['-H', host, 'version', '--format', '{{.Server.Version}}']).then(() => true, () => false);

  // Ends by PID whatever of the engine's runtime is left (containerd, shims, container processes) and unmounts its mounts.
  const reap = async () => {
    for (const pid of await leftovers(`${dir}/`)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await sleep(300);
    const mounts = (await readFile('/proc/self/mounts', 'utf8')).split('\n').map((line) => line.split(' ')[1] ?? '');
    for (const mount of mounts.filter((m) => m.startsWith(`${dir}/`)).sort().reverse()) {
      await sh('umount', ['-l', mount]).catch(() => '');
    }
  };

  const engine: SecondEngine = {
    host,
    async start() {
      // After a crash, stale pid files (a dead engine's, its containerd's — possibly an unreaped
      // zombie here) make dockerd refuse to start or wait for a containerd that is gone.
      await rm(join(dir, 'd.pid'), { force: true });
      await rm(join(dir, 'x', 'containerd', 'containerd.pid'), { force: true });
      const logFd = openSync(join(dir, 'dockerd.log'), 'a');
      child = spawn(
        'dockerd',
        [
          '--bridge=none', '--iptables=false', '--ip6tables=false', '--shutdown-timeout=1',
          `--data-root=${join(dir, 'data')}`, `--exec-root=${join(dir, 'x')}`, `--pidfile=${join(dir, 'd.pid')}`, `--host=${host}`,
        ],
        { stdio: ['ignore', logFd, logFd] },
      );
      closeSync(logFd);
      for (let i = 0; i < 120 && running(); i++) {
        if (await answers()) return;
        await sleep(250);
      }
      const text = await readFile(join(dir, 'dockerd.log'), 'utf8').catch(() => '');
      await writeFile('/tmp/scalectl-second-dockerd.log', text).catch(() => undefined);
      const log = text.split('\n');
      const last = log.filter((line) => !line.includes('level=info')).slice(-8).join('\n');
      throw new Error(`the second dockerd did not answer on ${host} (full log: /tmp/scalectl-second-dockerd.log); it ends:\n${last}`);
    },
    async stop() {
      const engineProcess = child;
      if (engineProcess && running()) {
        const exited = new Promise((resolve) => engineProcess.once('exit', resolve));
        engineProcess.kill('SIGTERM');
        if (!(await Promise.race([exited.then(() => true), sleep(30_000).then(() => false)]))) {
          engineProcess.kill('SIGKILL');
          await exited;
        }
      }
    },
    async crash() {
      const engineProcess = child;
      if (!engineProcess || !running()) return;
      const exited = new Promise((resolve) => engineProcess.once('exit', resolve));
      engineProcess.kill('SIGSTOP');
      await sleep(1000);
      engineProcess.kill('SIGKILL');
      await exited;
      await reap();
    },
    async dispose() {
      // Remove every container through the engine itself first, so nothing it ran outlives the test.
      if (!running()) await engine.start().catch(() => undefined);
      const ids = (await sh('docker', ['-H', host, 'ps', '-aq']).catch(() => '')).split('\n').filter(Boolean);
      if (ids.length) await sh('docker', ['-H', host, 'rm', '-f', ...ids]).catch(() => '');
      await engine.stop();
      await reap();
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };

  await engine.start();
  await sh('sh', ['-c', `docker save ${TEST_IMAGE} | docker -H ${host} load -q`]);
  return engine;
}
