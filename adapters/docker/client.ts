// Connection to the Docker Engine: where it is (provider `host`, DOCKER_HOST, the default
// socket), dockerode loaded lazily on first use, and engine errors turned into AdapterErrors.
import type Docker from 'dockerode';
import { AdapterError } from '../../src/errors.js';

export const ADAPTER = 'docker';
const DEFAULT_SOCKET = '/var/run/docker.sock';

// Where the engine listens, as the user would recognise it in a message.
export interface EngineAddress {
  /** `unix:///var/run/docker.sock` or `tcp://127.0.0.1:2375`. */
  display: string;
  /** Where the address came from, for messages: the provider setting, DOCKER_HOST or the default. */
  source?: string;
  socketPath?: string;
  host?: string;
  port?: number;
}

// Resolves provider `host` (a socket path, `unix://…` or `tcp://host:port`), else DOCKER_HOST, else the default socket.
export function resolveAddress(setting: unknown, env: NodeJS.ProcessEnv): EngineAddress {
  const raw = typeof setting === 'string' && setting.trim() !== '' ? setting.trim() : env.DOCKER_HOST?.trim() || DEFAULT_SOCKET;
  const from = typeof setting === 'string' && setting.trim() !== '' ? 'provider setting `host`' : env.DOCKER_HOST ? 'DOCKER_HOST' : 'default';
  const source = from === 'default' ? 'the default socket' : from;
  if (raw.startsWith('unix://')) return { display: raw, source, socketPath: raw.slice('unix://'.length) };
  if (raw.startsWith('/')) return { display: `unix://${raw}`, source, socketPath: raw };
  if (raw.startsWith('tcp://') || raw.startsWith('http://')) {
    const url = new URL(raw.replace(/^tcp:/, 'http:'));
    return { display: raw, source, host: url.hostname, port: Number(url.port || 2375) };
  }
  throw new AdapterError(
    ADAPTER,
    `the Docker host "${raw}" (${from}) is not a unix socket or tcp:// address; expected e.g. ` +
      '"unix:///var/run/docker.sock", "/var/run/docker.sock" or "tcp://127.0.0.1:2375"',
  );
}

// Opens a dockerode client (imported here, not at load time, so other commands never pay for it).
export async function connect(address: EngineAddress, timeoutMs: number): Promise<Docker> {
  const { default: DockerClass } = await import('dockerode');
  return new DockerClass({
    ...(address.socketPath ? { socketPath: address.socketPath } : { host: address.host, port: address.port, protocol: 'http' as const }),
    timeout: timeoutMs,
  });
}

interface EngineFailure {
  code?: string;
  statusCode?: number;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
}

// Errors that mean the request never reached the engine (nothing happened on its side).
const UNREACHABLE = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'EHOSTUNREACH', 'ENOTFOUND']);
// Errors after which the engine may or may not have acted.
const CUT_OFF = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED']);

// True when the engine could not be reached at all.
export function isUnreachable(error: unknown): boolean {
  const code = (error as EngineFailure)?.code;
  return code !== undefined && UNREACHABLE.has(code);
}

// True when the request may have been carried out although no answer came back.
export function outcomeUnknown(error: unknown): boolean {
  const failure = error as EngineFailure;
  if (failure?.code !== undefined && CUT_OFF.has(failure.code)) return true;
  return /socket hang up|timeout/i.test(String(failure?.message ?? ''));
}

// The engine's own words for a failed request, without dockerode's "(HTTP code 500) server error -" prefix.
export function engineMessage(error: unknown): string {
  const failure = error as EngineFailure;
  const fromJson = failure?.json?.message;
  if (fromJson) return fromJson.trim();
  const text = String(failure?.message ?? error);
  return text.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').trim();
}

// Why the engine did not answer, and what a user can do about it on their own machine.
const UNREACHABLE_ADVICE: Record<string, [string, string]> = {
  ENOENT: ['no socket there', 'start Docker (Docker Desktop, or `sudo systemctl start docker` on Linux)'],
  ECONNREFUSED: ['nothing is listening there', 'start Docker (Docker Desktop, or `sudo systemctl start docker` on Linux)'],
  EACCES: ['permission denied', 'give your user access to the socket (`sudo usermod -aG docker $USER`, then log in again)'],
  ENOTFOUND: ['no such host', 'check the host name'],
  EHOSTUNREACH: ['the host cannot be reached', 'check the address and the network'],
};

// The one message for an engine that does not answer: which address (and where it came from),
// why, and steps that work on any machine.
export function unreachableError(address: EngineAddress, error: unknown, done: string[] = []): AdapterError {
  const code = (error as EngineFailure)?.code ?? 'no answer';
  const [why, first] = UNREACHABLE_ADVICE[code] ?? ['no answer', 'start Docker'];
  return new AdapterError(
    ADAPTER,
    `cannot reach the Docker Engine at ${address.display}${address.source ? ` (${address.source})` : ''}: ${why} (${code}). ` +
      `To fix: ${first}, then check with \`docker info\`. If \`docker info\` works, your engine listens elsewhere: ` +
      "`docker context inspect --format '{{.Endpoints.docker.Host}}'` prints its address; put it in DOCKER_HOST or the provider's `host` setting.",
    { retryable: true, done, cause: error },
  );
}

// Wraps any engine failure: unreachable → the start-the-engine message; 5xx/timeouts → retryable.
export function engineError(address: EngineAddress, what: string, error: unknown, done: string[] = []): AdapterError {
  if (AdapterError.isAdapterError(error)) return error;
  if (isUnreachable(error)) return unreachableError(address, error, done);
  const status = (error as EngineFailure)?.statusCode;
  const retryable = outcomeUnknown(error) || status === undefined || status >= 500;
  return new AdapterError(ADAPTER, `${what}: ${engineMessage(error)}`, { retryable, done, cause: error });
}
