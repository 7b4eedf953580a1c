// Durations: "300ms", "30s", "5m", "1h", combinations ("1h30m") and ISO-8601 ("PT5M", "PT1H30M").

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const GO_STYLE = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h|d))+$/;
const GO_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const ISO = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** The longest duration any field takes: 365 days. */
export const MAX_DURATION_MS = 365 * UNIT_MS.d;

export type DurationReading = { ms: number } | { problem: string } | undefined;

// Reads a duration: its milliseconds, a problem (too long, finer than a millisecond), or
// undefined when it is not a duration at all.
export function readDuration(text: string): DurationReading {
  const value = text.trim();
  if (value === '0') return { ms: 0 };
  let total: number | undefined;
  if (GO_STYLE.test(value)) {
    total = 0;
    for (const match of value.matchAll(GO_PART)) total += Number(match[1]) * UNIT_MS[match[2]];
  } else {
    const iso = ISO.exec(value);
    if (iso && value.length > 1 && !/T$/i.test(value)) {
      const [, d, h, m, s] = iso;
      total = Number(d ?? 0) * UNIT_MS.d + Number(h ?? 0) * UNIT_MS.h + Number(m ?? 0) * UNIT_MS.m + Number(s ?? 0) * UNIT_MS.s;
    }
  }
  if (total === undefined) return undefined;
  if (!Number.isFinite(total) || total > MAX_DURATION_MS) return { problem: `is longer than ${formatDuration(MAX_DURATION_MS)} (365 days), the longest duration scalectl takes` };
  // Binary fractions: 0.1s is 100.00000000000001 ms; anything within a micro-millisecond is whole.
  const whole = Math.round(total);
  if (Math.abs(total - whole) > 1e-6) return { problem: 'is not a whole number of milliseconds' };
  if (whole === 0 && total !== 0) return { problem: 'is shorter than 1ms' };
  return { ms: whole };
}

// Milliseconds of a duration string, or undefined when it is not one (or not a usable one).
export function parseDuration(text: string): number | undefined {
  const reading = readDuration(text);
  return reading && 'ms' in reading ? reading.ms : undefined;
}

// The canonical spelling of a duration: the largest unit that divides it ("300s" → "5m").
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  for (const unit of ['h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

// Milliseconds of a canonical duration that is known to be valid (model values).
export function durationMs(text: string | undefined, fallbackMs = 0): number {
  if (text === undefined) return fallbackMs;
  return parseDuration(text) ?? fallbackMs;
}
