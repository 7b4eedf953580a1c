// The autoscale loop's memory between runs: each service's engine state (stabilization windows,
// past scale events, cooldown, idle timer) in one JSON file under .scalectl/, replaced atomically,
// so a restart — or the next `--once` from cron — keeps the windows.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineState } from '../simulate/decide.js';
import { writeFileAtomic } from '../init/atomic-write.js';

// One service's saved memory; reset when its provider or target changes.
export interface SavedService {
  provider: string;
  target: string;
  engine: EngineState;
  /** The count the loop last saw or set. */
  count: number;
  updatedAt: string;
}

export interface AutoscaleState {
  formatVersion: 1;
  services: Record<string, SavedService>;
}

export const STATE_FILE = 'autoscale-state.json';

// Reads the state file; missing is empty, unreadable is an Error naming the file and the fix.
export function loadAutoscaleState(dir: string): AutoscaleState {
  const file = join(dir, STATE_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { formatVersion: 1, services: {} };
    throw error;
  }
  let parsed: AutoscaleState;
  try {
    parsed = JSON.parse(text) as AutoscaleState;
  } catch {
    throw new Error(`${file} is not valid JSON; remove it to start the windows afresh`);
  }
  if (parsed?.formatVersion !== 1 || typeof parsed.services !== 'object') throw new Error(`${file} is not a scalectl autoscale state file; remove it to start afresh`);
  return parsed;
}

// Writes the whole state atomically (readers see the old or the new file, never half).
export function saveAutoscaleState(dir: string, state: AutoscaleState): void {
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, STATE_FILE), `${JSON.stringify(state)}\n`);
}
