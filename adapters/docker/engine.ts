// What every Docker target handler shares: the client, the engine address and the provider settings.
import type Docker from 'dockerode';
import type { ApplyOptions, ApplyResult, ChangeRequest, ObservedTarget, TargetRequest } from '../contract.js';
import { durationMs, parseDuration } from '../../src/config/duration.js';
import { AdapterError } from '../../src/errors.js';
import { ADAPTER, type EngineAddress } from './client.js';

// One connected engine plus the provider's settings.
export interface Engine {
  docker: Docker;
  address: EngineAddress;
  /** Provider `stopGrace` in ms when set: SIGTERM → SIGKILL on scale-in. Unset: each container's own StopTimeout. */
  stopGraceMs: number | undefined;
  /** The HTTP timeout of one engine request; a stop request gets its grace on top. */
  timeoutMs: number;
  /** How long apply waits for Swarm tasks to converge. */
  convergeTimeoutMs: number;
  /** The folder of scaling.yaml: Compose stacks started from it are this project's. */
  configDir?: string;
  debug: (message: string) => void;
}

// A handler for one kind of target (compose:, service/, container/).
export interface TargetHandler {
  read(request: TargetRequest): Promise<ObservedTarget>;
  apply(change: ChangeRequest, options: ApplyOptions): Promise<ApplyResult>;
}

// A provider duration setting (a "30s" string or a number of ms), or an AdapterError naming it.
export function durationSetting(settings: Record<string, unknown>, key: string, fallbackMs: number): number {
  const value = settings[key];
  if (value === undefined || value === null) return fallbackMs;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string' && parseDuration(value) !== undefined) return parseDuration(value)!;
  throw new AdapterError(ADAPTER, `provider setting \`${key}\` is ${JSON.stringify(value)}; expected a duration such as "10s" or "2m"`);
}

// The engine's stop grace when neither scaling.yaml nor the container sets one (`docker stop` default).
export const ENGINE_STOP_GRACE_SECONDS = 10;

// The stop grace for a change, in whole seconds: `traffic.requestTimeout`, else the provider's
// `stopGrace`; undefined when neither is set, so each container keeps its own StopTimeout
// (Compose's stop_grace_period).
export function graceSeconds(engine: Engine, change: ChangeRequest): number | undefined {
  const requestTimeout = change.desired.traffic?.requestTimeout;
  if (requestTimeout === undefined && engine.stopGraceMs === undefined) return undefined;
  return Math.ceil(durationMs(requestTimeout, engine.stopGraceMs ?? ENGINE_STOP_GRACE_SECONDS * 1000) / 1000);
}

// The x-docker settings of a request: `extensions.docker` when the CLI passes them keyed, else the object itself.
export function dockerExtensions(extensions: Record<string, unknown> | undefined): Record<string, unknown> {
  // The contract keys extensions by adapter: `x-docker: {…}` arrives as `extensions.docker`.
  const keyed = extensions?.docker;
  return keyed && typeof keyed === 'object' && !Array.isArray(keyed) ? (keyed as Record<string, unknown>) : {};
}

// True when the change carries the plan's fingerprint (an apply without a saved plan may not).
export function hasFingerprint(change: ChangeRequest): boolean {
  return typeof change.fingerprint === 'string' && change.fingerprint !== '';
}
