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
  socketPath?: string;
  host?: string;
  port?: number;
}

// Resolves provider `host` (a socket path, `unix://…` or `tcp://host:port`), else DOCKER_HOST, else the default socket.
export function resolveAddress(setting: unknown, env: NodeJS.ProcessEnv): EngineAddress {
  const raw = typeof setting === 'string' && setting.trim() !== '' ? setting.trim() : env.DOCKER_HOST?.trim() || DEFAULT_SOCKET;
  const from = typeof setting === 'string' && setting.trim() !== '' ? 'provider setting `host`' : env.DOCKER_HOST ? 'DOCKER_HOST' : 'default';
  if (raw.startsWith('unix://')) return { display: raw, socketPath: raw.slice('unix://'.length) };
  if (raw.startsWith('/')) return { display: `unix://${raw}`, socketPath: raw };
  if (raw.startsWith('tcp://') || raw.startsWith('http://')) {
    const url = new URL(raw.replace(/^tcp:/, 'http:'));
    return { display: raw, host: url.hostname, port: Number(url.port || 2375) };
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

// The one message for an engine that does not answer: which address, and how to start it.
export function unreachableError(address: EngineAddress, error: unknown, done: string[] = []): AdapterError {
  const code = (error as EngineFailure)?.code ?? 'no answer';
  return new AdapterError(
    ADAPTER,
    `cannot reach the Docker Engine at ${address.display} (${code}). Start it (\`sudo systemctl start docker\`, ` +
      '`dockerd &`, or `bash .ci/docker-setup.sh`), or point the provider setting `host` / DOCKER_HOST at a running engine.',
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
