// Scalar helpers of the validator: YAML typing after interpolation, quantities, message spellings.
import { isMap, isScalar, isSeq, type Node } from 'yaml';

// A plain scalar after interpolation takes the type YAML would have given it.
export function reparsePlain(text: string): unknown {
  if (/^[-+]?\d+$/.test(text)) return Number(text);
  if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  if (/^(null|~)?$/.test(text)) return null;
  return text;
}

const CPU = /^(\d+(\.\d+)?|\.\d+)(m)?$/;
const MEMORY = /^(\d+(\.\d+)?)(Ki|Mi|Gi|Ti|Pi|k|K|M|G|T|P)?$/;

/** The most cpu a quantity may say: 2^31−1 millicores (about 2.1 million cores). */
export const MAX_MILLICORES = 2_147_483_647;
/** The most memory a quantity may say: 1 EiB (Kubernetes holds quantities in int64). */
export const MAX_MEMORY_BYTES = 2 ** 60;
const MEMORY_UNIT: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50 };

// A well-formed quantity larger than anything scalectl takes: the limit to say, else undefined.
export function quantityTooLarge(unit: 'cpu' | 'memory', value: unknown): string | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (unit === 'memory') {
    const match = MEMORY.exec(text);
    return match && Number(match[1]) * MEMORY_UNIT[match[3] ?? ''] > MAX_MEMORY_BYTES ? '1 EiB' : undefined;
  }
  const match = CPU.exec(text);
  return match && (match[3] ? Number(match[1]) : Number(match[1]) * 1000) > MAX_MILLICORES ? `${MAX_MILLICORES}m (about 2.1 million cores)` : undefined;
}

// cpu → cores ("2") or millicores ("500m"); memory → as written, numbers become byte strings.
export function normaliseQuantity(unit: 'cpu' | 'memory', value: unknown): string | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined) return undefined;
  if (quantityTooLarge(unit, text)) return undefined;
  if (unit === 'memory') return MEMORY.test(text) && Number.parseFloat(text) > 0 ? text : undefined;
  const match = CPU.exec(text);
  if (!match) return undefined;
  const millicores = match[3] ? Number(match[1]) : Number(match[1]) * 1000;
  if (!(millicores > 0) || !Number.isInteger(Math.round(millicores * 1000) / 1000)) return undefined;
  if (millicores % 1000 === 0) return String(millicores / 1000);
  return `${Math.round(millicores)}m`;
}

// How a node reads in a message: a mapping, a list, a value.
export function describe(node: Node | null): string {
  if (node === null) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return show(node.value);
  return 'something else';
}

// A value as a message quotes it.
export function show(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (value === null) return 'nothing';
  return String(value);
}
