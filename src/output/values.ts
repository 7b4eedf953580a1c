// Short, stable spellings of plan values for people: 20, 5m, [Mon, Fri], {kind: rabbitmq}.

// One value on one line; null is "(none)".
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (typeof value === 'string') return /^[\w./:@-]*$/.test(value) && value !== '' ? value : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${k}: ${formatValue(v)}`).join(', ')}}`;
  }
  return String(value);
}

// Pads each row's cells to the widest in its column.
export function table(rows: string[][], visibleLength: (text: string) => number = stripLength): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - visibleLength(cell))))
      .join('  ')
      .trimEnd(),
  );
}

// Length without ANSI colour codes.
export function stripLength(text: string): number {
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}
