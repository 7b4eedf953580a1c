// The history of count changes: one JSON line per change in .scalectl/events.jsonl, appended
// (O_APPEND, one write per line) and rotated by size (events.jsonl.1 … .N, oldest dropped).
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Who changed the count (hpa / kubernetes: read from a cluster, not recorded by scalectl).
export type Actor = 'autoscale' | 'apply' | 'schedule' | 'hpa' | 'kubernetes';

// One metric's reading at the change.
export interface EventMetric {
  metric: string;
  /** The total read, or null when it could not be read. */
  value: number | null;
  /** Where it came from (no credentials), or why it is missing. */
  source?: string;
  recommended?: number | null;
}

// One count change.
export interface ScaleEvent {
  time: string;
  service: string;
  provider: string;
  target: string;
  /** The count before and after (null where a cluster's event does not say). */
  from: number | null;
  to: number | null;
  actor: Actor;
  /** The rule that decided (constraint, "combine max", "schedule business-hours", "plan"). */
  rule: string;
  /** One line: the metrics, the combination and each constraint that changed the count. */
  reason: string;
  schedule?: string;
  metrics?: EventMetric[];
}

export const EVENTS_FILE = 'events.jsonl';

export interface RotationOptions {
  /** Rotate when the file would pass this many bytes (default 1 MiB). */
  maxBytes?: number;
  /** Rotated files kept (default 5). */
  keep?: number;
}

// Appends events, rotating first when the file is full.
export function appendEvents(dir: string, events: ScaleEvent[], options: RotationOptions = {}): void {
  if (events.length === 0) return;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const keep = options.keep ?? 5;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, EVENTS_FILE);
  const text = events.map((e) => `${JSON.stringify(e)}\n`).join('');
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    // no file yet
  }
  if (size > 0 && size + Buffer.byteLength(text) > maxBytes) rotate(file, keep);
  appendFileSync(file, text, { flag: 'a' });
}

function rotate(file: string, keep: number): void {
  rmSync(`${file}.${keep}`, { force: true });
  for (let i = keep - 1; i >= 1; i--) {
    try {
      renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    } catch {
      // a gap in the series
    }
  }
  try {
    renameSync(file, `${file}.1`);
  } catch {
    // another writer rotated it first
  }
}

export interface EventQuery {
  service?: string;
  /** Only events at or after this epoch ms. */
  sinceMs?: number;
}

// The events, oldest first, from the rotated files and the current one; unparsable lines skipped.
export function readEvents(dir: string, query: EventQuery = {}, keep = 5): ScaleEvent[] {
  const file = join(dir, EVENTS_FILE);
  const files = [...Array.from({ length: keep }, (_, i) => `${file}.${keep - i}`), file];
  const out: ScaleEvent[] = [];
  for (const path of files) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let event: ScaleEvent;
      try {
        event = JSON.parse(line) as ScaleEvent;
      } catch {
        continue;
      }
      if (query.service && event.service !== query.service) continue;
      if (query.sinceMs !== undefined && Date.parse(event.time) < query.sinceMs) continue;
      out.push(event);
    }
  }
  return out;
}
