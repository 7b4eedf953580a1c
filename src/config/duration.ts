// Durations: "300ms", "30s", "5m", "1h", combinations ("1h30m") and ISO-8601 ("PT5M", "PT1H30M").

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const GO_STYLE = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h|d))+$/;
const GO_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const ISO = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

// Milliseconds of a duration string, or undefined when it is not one.
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (value === '0') return 0;
  if (GO_STYLE.test(value)) {
    let total = 0;
    for (const match of value.matchAll(GO_PART)) total += Number(match[1]) * UNIT_MS[match[2]];
    return Math.round(total);
  }
  const iso = ISO.exec(value);
  if (iso && value.length > 1 && !/T$/i.test(value)) {
    const [, d, h, m, s] = iso;
    const total =
      Number(d ?? 0) * UNIT_MS.d + Number(h ?? 0) * UNIT_MS.h + Number(m ?? 0) * UNIT_MS.m + Number(s ?? 0) * UNIT_MS.s;
    return Math.round(total);
  }
  return undefined;
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
