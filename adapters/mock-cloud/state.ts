// The mock cloud's persistent state: one JSON file, replaced atomically (write, fsync, rename)
// and changed only under an exclusive lock (lock.ts), so concurrent applies never corrupt it or
// lose an update. An apply run changes it in one session: one write, however many services.
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { acquireLock, type LockOptions } from './lock.js';
import type { ServiceSpec } from '../../src/config/model.js';

export interface MockService {
  spec: ServiceSpec;
  /** Instances the platform holds now. */
  count: number;
  /** Bumped on every change: the fingerprint plans are checked against. */
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface MockState {
  formatVersion: 1;
  /** Bumped on every write. */
  revision: number;
  /** provider name → target → service */
  providers: Record<string, Record<string, MockService>>;
}

const EMPTY: MockState = { formatVersion: 1, revision: 0, providers: {} };

// Reads the state; a missing file is an empty cloud, a corrupt one a clear error.
export function readState(file: string): MockState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...structuredClone(EMPTY), providers: nameMap({}) };
    throw error;
  }
  const parsed = JSON.parse(text) as MockState;
  if (parsed.formatVersion !== 1 || typeof parsed.providers !== 'object') {
    throw new Error(`${file} is not a mock cloud state file (formatVersion ${String(parsed.formatVersion)})`);
  }
  // Provider and target names are the user's: null-prototype maps, so "constructor" is a name.
  parsed.providers = nameMap(parsed.providers);
  for (const provider of Object.keys(parsed.providers)) parsed.providers[provider] = nameMap(parsed.providers[provider]);
  return parsed;
}

// A map keyed by user names, without a prototype.
export function nameMap<T>(from: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, from);
}

// Writes the whole state to a temporary file (0600: it may hold metric-source settings), syncs
// it, renames it over the old one and syncs the folder, so a crash leaves the old or the new
// state, never a torn one.
export function writeStateAtomic(file: string, state: MockState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  chmodSync(file, 0o600);
  try {
    const folder = openSync(dirname(file), 'r');
    try {
      fsyncSync(folder);
    } finally {
      closeSync(folder);
    }
  } catch {
    /* not every platform syncs a folder */
  }
}

// The lock beside a state file.
export const lockPathOf = (file: string) => `${file}.lock`;

// The state held under the lock while changes are made: opened on first use, written once by
// commit, released by close. One session is what `apply` uses for a whole run.
export class StateSession {
  private release: (() => void) | undefined;
  private state: MockState | undefined;
  private dirty = false;
  private opening: Promise<MockState> | undefined;

  constructor(private readonly file: string) {}

  /** The state under the lock, or undefined when the session has not started. */
  get current(): MockState | undefined {
    return this.state;
  }

  // Concurrent callers share one acquisition (the lock is not re-entrant).
  open(options: LockOptions = {}): Promise<MockState> {
    this.opening ??= (async () => {
      this.release = await acquireLock(lockPathOf(this.file), options);
      try {
        this.state = readState(this.file);
        return this.state;
      } catch (error) {
        this.close();
        throw error;
      }
    })();
    return this.opening;
  }

  /** Marks the state changed: commit will write it. */
  touch(): void {
    this.dirty = true;
  }

  /** Writes the state once if anything changed. */
  commit(): void {
    if (!this.state || !this.dirty) return;
    this.state.revision += 1;
    writeStateAtomic(this.file, this.state);
    this.dirty = false;
  }

  close(): void {
    this.release?.();
    this.release = undefined;
    this.state = undefined;
    this.opening = undefined;
    this.dirty = false;
  }
}

// Runs `change` on the current state under the lock and writes its result atomically.
export async function updateState<T>(file: string, change: (state: MockState) => T, signal?: AbortSignal, onWait?: LockOptions['onWait']): Promise<T> {
  const session = new StateSession(file);
  try {
    const result = change(await session.open({ signal, onWait }));
    session.touch();
    session.commit();
    return result;
  } finally {
    session.close();
  }
}
