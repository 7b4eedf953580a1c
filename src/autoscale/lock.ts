// One autoscale loop per project at a time: a lock file holding the owner's pid (O_EXCL); a
// lock whose owner is gone is taken over.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

// Takes the lock, or returns the pid of the live process holding it.
export function takeLock(dir: string): { release(): void } | { heldBy: number } {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'autoscale.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) return { heldBy: owner };
    rmSync(file, { force: true });
  }
  return { heldBy: 0 };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
