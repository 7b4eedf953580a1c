// The event log: append-only JSON lines, rotated by size, read back oldest first and filtered.
import { mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendEvents, readEvents, type ScaleEvent } from '../../src/autoscale/events.js';

const event = (i: number, service = 'worker'): ScaleEvent => ({
  time: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), service, provider: 'mock', target: service, from: 1, to: 2, actor: 'autoscale', rule: 'combine max', reason: `event ${String(i).padStart(2, '0')}`,
});

describe('event log', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'scalectl-events-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('rotates by size, keeps N files, and reads everything kept oldest first', () => {
    const d = dir();
    const size = Buffer.byteLength(`${JSON.stringify(event(0))}\n`);
    // Room for 3 events a file, 2 rotated files kept: the 13th event starts a new file, so 6–12 remain.
    for (let i = 0; i < 13; i++) appendEvents(d, [event(i)], { maxBytes: size * 3 + 2, keep: 2 });
    expect(readdirSync(d).sort()).toEqual(['events.jsonl', 'events.jsonl.1', 'events.jsonl.2']);
    const kept = readEvents(d, {}, 2).map((e) => e.reason);
    expect(kept).toEqual(['event 06', 'event 07', 'event 08', 'event 09', 'event 10', 'event 11', 'event 12']);
  });

  it('filters by service and time, and skips a torn last line', () => {
    const d = dir();
    appendEvents(d, [event(1), event(2, 'web'), event(3)]);
    appendFileSync(join(d, 'events.jsonl'), '{"time":"2026-01-01T00:0');
    expect(readEvents(d, { service: 'worker' }).map((e) => e.reason)).toEqual(['event 01', 'event 03']);
    expect(readEvents(d, { sinceMs: Date.UTC(2026, 0, 1, 0, 2) }).map((e) => e.reason)).toEqual(['event 02', 'event 03']);
    writeFileSync(join(d, 'events.jsonl'), '');
    expect(readEvents(d)).toEqual([]);
  });
});
