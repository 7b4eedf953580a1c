// An exclusive, crash-safe lock between processes on one machine, with no window in which two
// holders can both believe they hold it — including while a dead holder's lock is broken.
//
// The lock is a directory `<path>` holding exactly one file, `owner-<token>`, where the token
// names the holder (pid, the process's start time, a random part; unique forever).
//   acquire: build `<path>.new-<token>/owner-<token>`, then rename it onto `<path>`. rename(2)
//            replaces a missing or EMPTY directory atomically and fails (ENOTEMPTY/EEXIST) when
//            the lock is held, so of two racing acquirers exactly one wins.
//   release: unlink `<path>/owner-<token>` (then rmdir, which fails harmlessly if a new holder
//            already renamed its directory in).
//   break:   a waiter that finds `owner-<token>` of a dead process unlinks exactly that name.
//            The name is unique to that holder, so the unlink can only ever remove the dead
//            holder's claim: if someone broke it first, or a new holder took the lock since,
//            the unlink finds nothing (ENOENT) and changes nothing. The directory is then empty
//            and the next rename wins it.
// "Dead" is checked by pid and process start time (Linux /proc), so a reused pid is not
// mistaken for the holder; elsewhere by pid alone.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface Holder {
  pid: number;
  /** When the holder took the lock (ISO time). */
  since: string;
  token: string;
}

export interface LockOptions {
  signal?: AbortSignal;
  /** Called once when the lock has been busy for `waitNoticeMs` (default 1 s). */
  onWait?: (holder: Holder) => void;
  waitNoticeMs?: number;
}

const OWNER = 'owner-';

// The start time of a process, as the kernel counts it (clock ticks since boot), or undefined.
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) may contain spaces, so count from the last ")".
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

const myStart = startTimeOf(process.pid) ?? 'unknown';

// token = <pid>.<start>.<random>; the start part lets a waiter tell a reused pid from the holder.
function newToken(): string {
  return `${process.pid}.${myStart}.${randomBytes(6).toString('hex')}`;
}

function parseToken(token: string): { pid: number; start: string } {
  const [pid, start] = token.split('.');
  return { pid: Number(pid), start: start ?? 'unknown' };
}

// True when the process that wrote the token is certainly gone.
export function holderIsDead(token: string): boolean {
  const { pid, start } = parseToken(token);
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
  }
  // Alive (or not ours to signal): the same process only if its start time matches.
  const now = startTimeOf(pid);
  return start !== 'unknown' && now !== undefined && now !== start;
}

// The current holder's claim, or undefined when the lock is free.
export function currentHolder(path: string): Holder | undefined {
  let names: string[];
  try {
    names = readdirSync(path);
  } catch {
    return undefined;
  }
  const claim = names.find((n) => n.startsWith(OWNER));
  if (!claim) return undefined;
  const token = claim.slice(OWNER.length);
  let since = '';
  try {
    since = readFileSync(join(path, claim), 'utf8').trim() || statSync(join(path, claim)).mtime.toISOString();
  } catch {
    /* released meanwhile */
  }
  return { pid: parseToken(token).pid, since, token };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Takes the lock; resolves with its release function. Waits while a live process holds it.
export async function acquireLock(path: string, options: LockOptions = {}): Promise<() => void> {
  mkdirSync(dirname(path), { recursive: true });
  const token = newToken();
  const staging = join(dirname(path), `${basename(path)}.new-${token}`);
  mkdirSync(staging);
  writeFileSync(join(staging, `${OWNER}${token}`), new Date().toISOString());
  const started = Date.now();
  let noticed = false;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        renameSync(staging, path);
        return () => release(path, token);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOTDIR') {
          removeLegacyLock(path);
          continue;
        }
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      }
      const holder = currentHolder(path);
      if (holder && holderIsDead(holder.token)) {
        // Only this dead holder's claim can be removed by this name (see the header).
        try {
          unlinkSync(join(path, `${OWNER}${holder.token}`));
        } catch {
          /* someone else broke it first */
        }
        continue;
      }
      if (!holder) {
        // Empty (free) or mid-release: the next rename decides. Stray files (not a claim) block
        // the rename forever, so a directory without a claim is emptied of them.
        clearStrays(path);
        continue;
      }
      if (options.signal?.aborted) throw new Error('interrupted while waiting for the mock cloud state lock');
      if (!noticed && Date.now() - started >= (options.waitNoticeMs ?? 1000)) {
        noticed = true;
        options.onWait?.(holder);
      }
      await sleep(Math.min(5 + attempt * 2, 50) + Math.random() * 10);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function release(path: string, token: string): void {
  try {
    unlinkSync(join(path, `${OWNER}${token}`));
  } catch {
    return; // broken by someone who judged us dead: nothing of ours is left
  }
  try {
    rmdirSync(path);
  } catch {
    /* a new holder renamed its directory in: it is theirs now */
  }
}

// Versions before this lock used a plain file holding the pid. Such a file is removed when its
// pid is dead; a live one (an older scalectl running now) is an error rather than a shared lock.
function removeLegacyLock(path: string): void {
  let pid: number;
  try {
    pid = Number(readFileSync(path, 'utf8').trim());
  } catch {
    return;
  }
  if (!holderIsDead(`${pid}.unknown`)) throw new Error(`${path} is held by pid ${pid}, an older scalectl; wait for it to finish`);
  rmSync(path, { force: true });
}

// Removes entries of a claimless lock directory that are not claims (left by hand or a crash).
function clearStrays(path: string): void {
  try {
    for (const name of readdirSync(path)) if (!name.startsWith(OWNER)) rmSync(join(path, name), { recursive: true, force: true });
  } catch {
    /* gone */
  }
}
