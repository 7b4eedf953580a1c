// Quantities ("500m", "0.5", "1Gi") compared by value: the server rewrites them canonically.
const SUFFIX: Record<string, number> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

// The numeric value of a quantity, or undefined when it is not one.
export function quantityValue(text: string | number | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (typeof text === 'number') return text;
  const match = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/.exec(text.trim());
  if (!match) return undefined;
  const [, number, suffix = ''] = match;
  const value = /^[eE]/.test(suffix) ? Number(number) * 10 ** Number(suffix.slice(1)) : Number(number) * SUFFIX[suffix];
  return Math.abs(value) < 1e6 ? Math.round(value * 1e9) / 1e9 : value;
}

// True when two quantities are the same amount (within float noise).
export function sameQuantity(a: string | number | undefined, b: string | number | undefined): boolean {
  const x = quantityValue(a);
  const y = quantityValue(b);
  if (x === undefined || y === undefined) return a === b;
  return Math.abs(x - y) <= Math.max(Math.abs(x), Math.abs(y)) * 1e-9;
}

// The live value in the desired spelling when they are equal, so equal amounts plan no change.
export function inDesiredSpelling(live: string | undefined, desired: string | undefined): string | undefined {
  if (live === undefined) return undefined;
  return desired !== undefined && sameQuantity(live, desired) ? desired : live;
}
