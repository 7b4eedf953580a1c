// scaling.yaml `resources` (cpu "0.5" / "500m", memory "512Mi" / "1G") ↔ the engine's NanoCPUs and bytes.
import type { Resources } from '../../src/config/model.js';
import { AdapterError } from '../../src/errors.js';
import { ADAPTER } from './client.js';

const MEMORY_UNITS: Record<string, number> = {
  '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40,
  b: 1, kb: 2 ** 10, mb: 2 ** 20, gb: 2 ** 30, // Docker CLI spellings (binary)
};

// NanoCPUs of a cpu quantity ("2", "0.5", "500m"), or an AdapterError naming the value.
export function cpuToNano(cpu: string): number {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(cpu.trim());
  if (!match) throw new AdapterError(ADAPTER, `resources.cpu "${cpu}" is not a CPU quantity; expected e.g. "0.5", "2" or "500m"`);
  const cores = Number(match[1]) / (match[2] === 'm' ? 1000 : 1);
  return Math.round(cores * 1e9);
}

// Bytes of a memory quantity ("512Mi", "1G", "268435456"), or an AdapterError naming the value.
export function memoryToBytes(memory: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(memory.trim());
  const unit = match ? MEMORY_UNITS[match[2]] : undefined;
  if (!match || unit === undefined) {
    throw new AdapterError(ADAPTER, `resources.memory "${memory}" is not a memory quantity; expected e.g. "512Mi", "1Gi" or "256M"`);
  }
  return Math.round(Number(match[1]) * unit);
}

// The engine's limits as scaling.yaml would write them, for the fields the desired spec names only;
// echoes the desired spelling when equal. A limit the file does not mention is not reported: the
// adapter never removes it, so reporting it would plan a removal that apply could not converge.
export function observedResources(nanoCpus: number, memoryBytes: number, desired?: Resources): Resources | undefined {
  const out: Resources = {};
  if (desired?.cpu !== undefined && nanoCpus > 0) {
    out.cpu = safeEqual(() => cpuToNano(desired.cpu!), nanoCpus) ? desired.cpu : formatCpu(nanoCpus);
  }
  if (desired?.memory !== undefined && memoryBytes > 0) {
    out.memory = safeEqual(() => memoryToBytes(desired.memory!), memoryBytes) ? desired.memory : formatMemory(memoryBytes);
  }
  return out.cpu === undefined && out.memory === undefined ? undefined : out;
}

function safeEqual(parse: () => number, value: number): boolean {
  try {
    return parse() === value;
  } catch {
    return false;
  }
}

// "2" for whole cores, else millicores ("500m").
export function formatCpu(nanoCpus: number): string {
  return nanoCpus % 1e9 === 0 ? String(nanoCpus / 1e9) : `${Math.round(nanoCpus / 1e6)}m`;
}

// The largest binary unit that divides the bytes ("512Mi"), else plain bytes.
export function formatMemory(bytes: number): string {
  for (const [unit, size] of [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}
