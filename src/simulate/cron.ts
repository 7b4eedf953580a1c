// A 5-field cron matcher (minute hour day-of-month month day-of-week) for schedules with cron + duration.

// A compiled cron expression.
export interface CronMatcher {
  text: string;
  /** True when a cron occurrence starts at this local minute. */
  matches(local: number): boolean;
}

const FIELDS: Array<{ name: string; min: number; max: number }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 7 },
];

function parseField(text: string, index: number): boolean[] {
  const { name, min, max } = FIELDS[index];
  const allowed = new Array<boolean>(max + 1).fill(false);
  for (const part of text.split(',')) {
    const match = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
    if (!match) throw new Error(`cron ${name} field "${text}" is not valid; expected *, N, N-M, */S or lists of them`);
    const start = match[1] === '*' ? min : Number(match[1]);
    const end = match[2] !== undefined ? Number(match[2]) : match[1] === '*' || match[3] !== undefined ? max : start;
    const step = match[3] !== undefined ? Number(match[3]) : 1;
    if (start < min || end > max || start > end || step < 1) {
      throw new Error(`cron ${name} field "${text}" is out of range ${min}-${max}`);
    }
    for (let v = start; v <= end; v += step) allowed[v] = true;
  }
  return allowed;
}

// Compiles "0 8 * * 1-5" into a matcher; throws with the field that is wrong.
export function compileCron(text: string): CronMatcher {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron "${text}" has ${parts.length} fields; expected 5 (minute hour day-of-month month day-of-week)`);
  const [minute, hour, dom, month, dow] = parts.map(parseField);
  if (dow[7]) dow[0] = true;
  const domAny = parts[2] === '*';
  const dowAny = parts[4] === '*';
  return {
    text,
    matches(local: number): boolean {
      const d = new Date(local);
      if (!minute[d.getUTCMinutes()] || !hour[d.getUTCHours()] || !month[d.getUTCMonth() + 1]) return false;
      const domOk = dom[d.getUTCDate()];
      const dowOk = dow[d.getUTCDay()];
      // Classic cron: when both day fields are restricted, either may match.
      if (!domAny && !dowAny) return domOk || dowOk;
      return domOk && dowOk;
    },
  };
}

// True when an occurrence started within (local − duration, local]; scans minute by minute.
export function cronInForce(cron: CronMatcher, local: number, durationMs: number): boolean {
  const minuteStart = local - (((local % 60_000) + 60_000) % 60_000);
  for (let t = minuteStart; t > local - durationMs; t -= 60_000) {
    if (cron.matches(t)) return true;
  }
  return false;
}
