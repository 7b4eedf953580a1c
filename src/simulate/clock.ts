// Wall-clock arithmetic in IANA time zones through Intl, cached so the engine's hot loop stays cheap.
// "Local ms" = the local wall-clock time written as if it were UTC (Date.UTC of the local fields).

const formatters = new Map<string, Intl.DateTimeFormat>();
const HOUR = 3_600_000;

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

// Offset (local − UTC, ms) of `zone` at instant `ms`, straight from Intl.
export function zoneOffsetMs(zone: string, ms: number): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 0;
  const parts = formatter(zone).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - (ms - (ms % 1000 + 1000) % 1000);
}

// Offset cache: one Intl call per zone per UTC hour (zone transitions fall on whole or half hours;
// a half-hour transition is seen up to 30 minutes late — documented in docs/readme/simulate.md). The hour
// last asked for, and every hour asked for (so simulating many services over the same day asks Intl once).
const offsetCache = new Map<string, { hour: number; offset: number; hours: Map<number, number> }>();
// Hours kept per zone before the cache starts over (about eleven years).
const MAX_CACHED_HOURS = 100_000;

// Local wall-clock ms of instant `ms` in `zone` (cached per hour).
export function localMs(zone: string | undefined, ms: number): number {
  if (zone === undefined || zone === 'UTC' || zone === 'Etc/UTC') return ms;
  const hour = Math.floor(ms / HOUR);
  let entry = offsetCache.get(zone);
  if (!entry) {
    entry = { hour: Number.NaN, offset: 0, hours: new Map() };
    offsetCache.set(zone, entry);
  }
  if (entry.hour !== hour) {
    let offset = entry.hours.get(hour);
    if (offset === undefined) {
      if (entry.hours.size >= MAX_CACHED_HOURS) entry.hours.clear();
      offset = zoneOffsetMs(zone, hour * HOUR);
      entry.hours.set(hour, offset);
    }
    entry.hour = hour;
    entry.offset = offset;
  }
  return ms + entry.offset;
}

// Weekday names by getUTCDay() index, as schedules spell them.
export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

// Day of week (0 = Sunday) of a local ms value.
export function weekdayOf(local: number): number {
  // 1970-01-01 was a Thursday (4); no Date allocation in the hot path.
  return (((Math.floor(local / 86_400_000) + 4) % 7) + 7) % 7;
}

// Minutes since local midnight.
export function minuteOfDay(local: number): number {
  const dayMs = ((local % 86_400_000) + 86_400_000) % 86_400_000;
  return Math.floor(dayMs / 60_000);
}

// "08:30" → 510.
export function parseClock(text: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a time of day; expected HH:MM such as "08:00"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

// A schedule date: "2026-11-27", "2026-11-27T08:00[:00[.000]]" (local wall-clock time in the
// schedule's zone), or the same with "Z" or "+03:00" (an instant; the schedule's zone is ignored).
export interface ScheduleDate { ms: number; zoned: boolean }

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

// Reads a schedule date; undefined when it is not one or names a day or time that does not exist.
export function readScheduleDate(text: string): ScheduleDate | undefined {
  const match = DATE_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = match;
  const parts = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)];
  if (parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || parts[3] > 23 || parts[4] > 59 || parts[5] > 59) return undefined;
  const ms = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], Number(fraction.padEnd(3, '0').slice(0, 3)));
  if (new Date(ms).getUTCDate() !== parts[2]) return undefined; // 2026-02-30
  if (!zone) return { ms, zoned: false };
  if (/^z$/i.test(zone)) return { ms, zoned: true };
  const offset = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  if (Number(offset[2]) > 23 || Number(offset[3]) > 59) return undefined;
  const sign = offset[1] === '-' ? -1 : 1;
  return { ms: ms - sign * (Number(offset[2]) * 3_600_000 + Number(offset[3]) * 60_000), zoned: true };
}

// "2026-11-27" or "2026-11-27T08:00[:00]" read as local wall-clock ms.
export function parseLocalDateTime(text: string): number {
  const date = readScheduleDate(text);
  if (!date || date.zoned) throw new Error(`"${text}" is not a local date-time; expected YYYY-MM-DD or YYYY-MM-DDTHH:MM`);
  return date.ms;
}
