// "Did you mean …?" for unknown keys and enum values.

// Levenshtein distance, small strings only.
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

// The closest candidate within a distance that still reads as a typo, if any.
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (!best) return undefined;
  if (best.distance > 0 && lower.length >= 3) {
    // "Monday" → "Mon", "maximum" → "max": a candidate that the word starts with, or that starts with the word.
    const prefix = candidates.find((c) => lower.startsWith(c.toLowerCase()) || c.toLowerCase().startsWith(lower));
    if (prefix) return prefix;
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return best.distance <= limit ? best.candidate : undefined;
}

// A hint naming the closest candidate, else listing them all.
export function suggestion(word: string, candidates: readonly string[]): string {
  const match = closest(word, candidates);
  if (match) return `did you mean "${match}"?`;
  return `expected one of: ${candidates.join(', ')}`;
}
