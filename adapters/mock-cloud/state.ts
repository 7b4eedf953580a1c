// The mock cloud's persistent state: one JSON file, replaced atomically (write, fsync, rename)
// and changed only under an exclusive lock file, so concurrent applies never corrupt it or lose
// an update.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
const LOCK_STALE_MS = 30_000;

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

// Writes the whole state to a temporary file, syncs it, and renames it over the old one.
export function writeStateAtomic(file: string, state: MockState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(temporary, 'w', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Runs `change` on the current state under the lock and writes its result atomically.
export async function updateState<T>(file: string, change: (state: MockState) => T, signal?: AbortSignal): Promise<T> {
  const release = await acquireLock(`${file}.lock`, signal);
  try {
    const state = readState(file);
    const result = change(state);
    state.revision += 1;
    writeStateAtomic(file, state);
    return result;
  } finally {
    release();
  }
}

// An exclusive lock file (O_EXCL) holding the owner's pid; a dead owner's or very old lock is broken.
async function acquireLock(lock: string, signal?: AbortSignal): Promise<() => void> {
  mkdirSync(dirname(lock), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (isStale(lock)) {
      // Rename first so two breakers cannot both delete a fresh lock.
      try {
        renameSync(lock, join(dirname(lock), `.broken-${process.pid}-${attempt}`));
        rmSync(join(dirname(lock), `.broken-${process.pid}-${attempt}`), { force: true });
      } catch {
        /* someone else broke it */
      }
      continue;
    }
    if (signal?.aborted && attempt > 200) throw new Error('interrupted while waiting for the mock cloud state lock');
    await sleep(Math.min(5 + attempt * 2, 50) + Math.random() * 10);
  }
}

function isStale(lock: string): boolean {
  try {
    const owner = Number(readFileSync(lock, 'utf8'));
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid) {
      try {
        process.kill(owner, 0);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
      }
    }
    return Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS;
  } catch {
    return false;
  }
}
