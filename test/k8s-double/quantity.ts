// resource.Quantity canonical form, as the API server stores it ("0.5" → "500m", "1024Mi" → "1Gi").
const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL).map(([suffix, exponent]) => [exponent, suffix]));

// Parses "1.5Gi", "500m", "2", "1e3" into a nano-unit BigInt and its format; undefined if malformed.
export function parseQuantity(text: string): { nanos: bigint; binary: boolean } | undefined {
  const match = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/.exec(text);
  if (!match) return undefined;
  const [, sign, digits, suffix = ''] = match;
  const [whole, fraction = ''] = digits.split('.');
  let nanos = BigInt(`${whole || '0'}${fraction}`) * 10n ** 9n;
  let scale = fraction.length;
  let binary = false;
  if (suffix in BINARY) {
    nanos *= 1024n ** BigInt(BINARY[suffix]);
    binary = true;
  } else if (/^[eE]/.test(suffix)) scale -= Number(suffix.slice(1));
  else scale -= DECIMAL[suffix];
  nanos = scale >= 0 ? nanos / 10n ** BigInt(scale) : nanos * 10n ** BigInt(-scale);
  return { nanos: sign === '-' ? -nanos : nanos, binary };
}

// The canonical spelling the server returns for a quantity it accepted.
export function canonicalQuantity(value: string | number): string {
  const text = String(value);
  const parsed = parseQuantity(text);
  if (!parsed) return text;
  const { nanos, binary } = parsed;
  const negative = nanos < 0n;
  const magnitude = negative ? -nanos : nanos;
  const sign = negative ? '-' : '';
  if (magnitude === 0n) return '0';
  if (binary && magnitude % 10n ** 9n === 0n) {
    const bytes = magnitude / 10n ** 9n;
    for (const [suffix, power] of Object.entries(BINARY).reverse()) {
      const unit = 1024n ** BigInt(power);
      if (bytes % unit === 0n) return `${sign}${bytes / unit}${suffix}`;
    }
  }
  for (const exponent of [18, 15, 12, 9, 6, 3, 0, -3, -6, -9]) {
    const unit = 10n ** BigInt(exponent + 9);
    if (magnitude % unit === 0n) return `${sign}${magnitude / unit}${DECIMAL_BY_EXPONENT.get(exponent)}`;
  }
  return text;
}
