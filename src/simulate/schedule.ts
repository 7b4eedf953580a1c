// Schedules change bounds, never the count: which min/max are in force at an instant.
// Precedence: `dates` schedules first, then `recurring`/`cron`, then the base bounds; first match wins.
import type { Autoscale, Schedule } from '../config/model.js';
import { durationMs } from '../config/duration.js';
import { WEEKDAYS, localMs, minuteOfDay, parseClock, readScheduleDate, weekdayOf } from './clock.js';
import { compileCron, cronInForce, type CronMatcher } from './cron.js';

// The min/max in force and the schedule that set them.
export interface Bounds { min: number; max: number; schedule?: string }

interface Compiled {
  schedule: Schedule;
  zone: string | undefined;
  kind: 'dates' | 'recurring' | 'cron';
  /** `local`: wall-clock ms in the schedule's zone; `at`: the instant. */
  test(local: number, at: number): boolean;
}

// A validated schedule date as a test: local dates compare with wall-clock time, zoned ones with the instant.
function dateBound(text: string): (local: number, at: number) => number {
  const date = readScheduleDate(text);
  if (!date) throw new Error(`"${text}" is not a schedule date; expected YYYY-MM-DD, YYYY-MM-DDTHH:MM or an ISO 8601 timestamp`);
  return date.zoned ? (_local, at) => at - date.ms : (local) => local - date.ms;
}

function compileOne(schedule: Schedule): Compiled {
  const zone = schedule.timezone;
  if (schedule.dates) {
    const sinceStart = dateBound(schedule.dates.start);
    const sinceEnd = dateBound(schedule.dates.end);
    return { schedule, zone, kind: 'dates', test: (local, at) => sinceStart(local, at) >= 0 && sinceEnd(local, at) < 0 };
  }
  if (schedule.recurring) {
    const days = new Set(schedule.recurring.days.map((d) => WEEKDAYS.indexOf(d)));
    const start = parseClock(schedule.recurring.start);
    const end = parseClock(schedule.recurring.end);
    const overnight = end <= start;
    return {
      schedule,
      zone,
      kind: 'recurring',
      test(local) {
        const day = weekdayOf(local);
        const minute = minuteOfDay(local);
        if (!overnight) return days.has(day) && minute >= start && minute < end;
        // An end before the start runs past midnight: the day named is the day it starts.
        return (days.has(day) && minute >= start) || (days.has((day + 6) % 7) && minute < end);
      },
    };
  }
  if (schedule.cron) {
    const cron: CronMatcher = compileCron(schedule.cron);
    const length = durationMs(schedule.duration, 60_000);
    // Occurrences only start on whole minutes: cache the answer per local minute.
    let cachedMinute = Number.NaN;
    let cached = false;
    return {
      schedule,
      zone,
      kind: 'cron',
      test(local) {
        const minute = Math.floor(local / 60_000);
        if (minute !== cachedMinute) {
          cachedMinute = minute;
          cached = cronInForce(cron, local, length);
        }
        return cached;
      },
    };
  }
  return { schedule, zone, kind: 'recurring', test: () => false };
}

const compiledCache = new WeakMap<Schedule[], Compiled[]>();

function compiled(schedules: Schedule[]): Compiled[] {
  let list = compiledCache.get(schedules);
  if (!list) {
    const all = schedules.map(compileOne);
    // Built by push, not spread: a spread makes arrays of another map when the simulator's loop, with
    // this inlined, is optimized, and the loop then deoptimizes on the map check.
    list = [];
    for (const c of all) if (c.kind === 'dates') list.push(c);
    for (const c of all) if (c.kind !== 'dates') list.push(c);
    compiledCache.set(schedules, list);
  }
  return list;
}

// The schedule in force at `atMs`, or undefined (precedence: dates, then recurring/cron, first match).
export function scheduleAt(schedules: Schedule[] | undefined, atMs: number): Schedule | undefined {
  if (!schedules || schedules.length === 0) return undefined;
  for (const c of compiled(schedules)) {
    if (c.test(localMs(c.zone, atMs), atMs)) return c.schedule;
  }
  return undefined;
}

// KEDA cron triggers: the largest desiredReplicas (schedule min) of those in force at `atMs`, or NaN
// (0 outside every window: the trigger then reports 0 and is inactive).
export function cronDesiredAt(schedules: Schedule[], atMs: number, baseMin: number): number {
  let best = 0;
  for (const c of compiled(schedules)) {
    if (c.test(localMs(c.zone, atMs), atMs)) best = Math.max(best, c.schedule.min ?? baseMin);
  }
  return best;
}

// Bounds in force from the base bounds and the schedule (a schedule min above max lifts max). Always the
// same three keys, so code holding bounds sees one object shape with or without a schedule.
export function boundsFor(autoscale: Autoscale, schedule: Schedule | undefined): Bounds {
  if (!schedule) return { min: autoscale.min, max: autoscale.max, schedule: undefined };
  const min = schedule.min ?? autoscale.min;
  const max = Math.max(schedule.max ?? autoscale.max, min);
  return { min, max, schedule: schedule.name };
}

// The bounds in force at `at` (used by simulate, the mock cloud's live count and plan --explain).
export function boundsAt(autoscale: Autoscale, at: Date): Bounds {
  return boundsFor(autoscale, scheduleAt(autoscale.schedules, at.getTime()));
}

// One line saying where a schedule applies, for explanations: "Mon–Fri 08:00–20:00 Europe/Moscow".
export function describeSchedule(schedule: Schedule): string {
  const zone = schedule.timezone ?? 'UTC';
  if (schedule.dates) return `${schedule.dates.start} → ${schedule.dates.end} ${zone}`;
  if (schedule.recurring) return `${schedule.recurring.days.join(',')} ${schedule.recurring.start}–${schedule.recurring.end} ${zone}`;
  return `cron "${schedule.cron}" for ${schedule.duration ?? '1m'} ${zone}`;
}
