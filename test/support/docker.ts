// Whether a Docker Engine (and the offline test image) is there for the Docker suites. In CI
// (SCALECTL_REQUIRE_DOCKER=1) a missing engine fails the suite; elsewhere the suite is skipped
// with one line saying how to start the engine.
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { promisify } from 'node:util';

export const TEST_IMAGE = process.env.SCALECTL_TEST_IMAGE ?? 'scalectl-test/busybox:latest';
// Every container/service a test creates carries this label; cleanup removes by it.
export const TEST_LABEL = 'scalectl.test';
export const SOCKET = (process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '');

const run = promisify(execFile);

// GET a path on the engine's socket; resolves the status code, or undefined when nothing answers.
function engineGet(socketPath: string, path: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path, method: 'GET', timeout: 3000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(undefined));
    req.on('timeout', () => {
      req.destroy();
      resolve(undefined);
    });
    req.end();
  });
}

// True when the Docker suites can run; throws in CI when they cannot.
export async function dockerReady(suite: string): Promise<boolean> {
  const ping = await engineGet(SOCKET, '/_ping');
  const image = ping === 200 ? await engineGet(SOCKET, `/images/${encodeURIComponent(TEST_IMAGE)}/json`) : undefined;
  const problem =
    ping !== 200
      ? `no Docker Engine answers at unix://${SOCKET}`
      : image !== 200
        ? `the test image ${TEST_IMAGE} is missing`
        : undefined;
  if (!problem) return true;
  const how = 'run `bash .ci/docker-setup.sh` (installs docker.io, starts dockerd, builds the image, inits the swarm)';
  if (process.env.SCALECTL_REQUIRE_DOCKER === '1') {
    throw new Error(`${suite}: ${problem}, and SCALECTL_REQUIRE_DOCKER=1 forbids skipping; ${how}`);
  }
  console.warn(`skipping ${suite}: ${problem}; ${how}`);
  return false;
}

// Runs a command (docker, docker-compose) and returns its stdout; the error names the command and its stderr.
export async function sh(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  try {
    const { stdout } = await run(file, args, { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    throw new Error(`${file} ${args.join(' ')} failed: ${failure.stderr?.trim() || failure.message}`);
  }
}

// Removes the containers and Swarm services carrying `label` (key or key=value); never anything else.
export async function removeLabelled(label: string, dockerArgs: string[] = []): Promise<void> {
  const ids = (await sh('docker', [...dockerArgs, 'ps', '-aq', '--filter', `label=${label}`])).split('\n').filter(Boolean);
  if (ids.length) await sh('docker', [...dockerArgs, 'rm', '-f', '-v', ...ids]);
  const services = await sh('docker', [...dockerArgs, 'service', 'ls', '-q', '--filter', `label=${label}`]).catch(() => '');
  const serviceIds = services.split('\n').filter(Boolean);
  if (serviceIds.length) await sh('docker', [...dockerArgs, 'service', 'rm', ...serviceIds]);
}

// Waits until a Swarm service has settled: no rolling update in progress, every replica's task
// running, and the version index unchanged across two reads half a second apart. Swarm bumps a
// service's version index by itself after `service create --detach` (allocation) and while it
// records an update's progress, so a fingerprint taken earlier goes stale with no change made.
export async function swarmSettled(name: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const state = async () => {
    const [index, replicas, update] = (await sh('docker', ['service', 'inspect', name, '--format', '{{.Version.Index}} {{if .Spec.Mode.Replicated}}{{.Spec.Mode.Replicated.Replicas}}{{end}} {{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}'])).trim().split(' ');
    const running = (await sh('docker', ['service', 'ps', name, '--filter', 'desired-state=running', '--format', '{{.CurrentState}}'])).split('\n').filter((line) => line.startsWith('Running')).length;
    return { index, settled: update !== 'updating' && (replicas === undefined || replicas === '' || running === Number(replicas)) };
  };
  let last = '';
  while (Date.now() < deadline) {
    const now = await state();
    if (now.settled && now.index === last) return;
    last = now.settled ? now.index : '';
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the Swarm service ${name} did not settle within ${timeoutMs / 1000} s`);
}
