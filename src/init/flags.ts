// The non-interactive spelling of init's answers: --service web=autoscale:concurrency:2..20,
// --service bot=fixed:1, --source web=./web, --target web=deployment/web.
import { UsageError } from '../errors.js';
import { METRICS, type MetricChoice, type Scaling } from './model.js';

export interface ServiceFlag { name: string; scaling?: Scaling }

const NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/;
const GRAMMAR = 'expected NAME, NAME=N or NAME=fixed:N (a fixed count), or NAME=autoscale[:METRIC[:MIN..MAX[:TARGET[/LIMIT]]]] with METRIC concurrency, rps or cpu — e.g. web=autoscale:concurrency:2..20';

function bad(spec: string, why: string): UsageError {
  return new UsageError(`--service "${spec}": ${why}; ${GRAMMAR}`);
}

function whole(spec: string, text: string, what: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) throw bad(spec, `${what} must be a whole number of at least ${min}, got "${text}"`);
  return Number(text);
}

// Parses one --service value.
export function parseServiceFlag(spec: string): ServiceFlag {
  const [name, rest] = spec.includes('=') ? [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)] : [spec, undefined];
  if (!NAME.test(name)) throw bad(spec, `"${name}" is not a service name (letters, digits, "-", "_", ".")`);
  if (rest === undefined) return { name };
  const parts = rest.split(':');
  if (/^\d+$/.test(parts[0]) && parts.length === 1) return { name, scaling: { kind: 'fixed', replicas: Number(parts[0]) } };
  if (parts[0] === 'fixed') {
    if (parts.length !== 2) throw bad(spec, 'fixed takes one count, as in bot=fixed:1');
    return { name, scaling: { kind: 'fixed', replicas: whole(spec, parts[1], 'the count', 0) } };
  }
  if (parts[0] !== 'autoscale') throw bad(spec, `"${parts[0]}" is neither a count, "fixed" nor "autoscale"`);
  if (parts.length > 4) throw bad(spec, 'too many ":" parts');
  const metric = (parts[1] ?? 'concurrency') as MetricChoice;
  if (!(metric in METRICS)) throw bad(spec, `"${parts[1]}" is not a metric`);
  const defaults = METRICS[metric];
  let min = 1;
  let max = 10;
  if (parts[2] !== undefined) {
    const bounds = /^(\d+)\.\.(\d+)$/.exec(parts[2]);
    if (!bounds) throw bad(spec, `bounds must be MIN..MAX, got "${parts[2]}"`);
    min = Number(bounds[1]);
    max = Number(bounds[2]);
    if (max < 1 || min > max) throw bad(spec, `bounds ${min}..${max} need 0 ≤ MIN ≤ MAX and MAX ≥ 1`);
    if (metric === 'cpu' && min === 0) throw bad(spec, 'cpu cannot wake a service scaled to zero: use MIN ≥ 1 or the concurrency metric');
  }
  let target = defaults.target;
  let limit = defaults.limit;
  if (parts[3] !== undefined) {
    const [t, l] = parts[3].split('/');
    target = whole(spec, t, 'the target', 1);
    if (l !== undefined) {
      if (metric !== 'concurrency') throw bad(spec, 'only concurrency takes a hard limit (TARGET/LIMIT)');
      limit = whole(spec, l, 'the limit', 1);
    }
  }
  return { name, scaling: { kind: 'autoscale', metric, min, max, target, ...(metric === 'concurrency' && limit ? { limit } : {}) } };
}

// Parses --source / --target values: NAME=VALUE, one per service.
export function parsePairs(flag: string, values: string[], example: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const value of values) {
    const at = value.indexOf('=');
    if (at <= 0 || at === value.length - 1) throw new UsageError(`${flag} "${value}": expected SERVICE=VALUE, e.g. ${flag} ${example}`);
    pairs.set(value.slice(0, at), value.slice(at + 1));
  }
  return pairs;
}

// A flag value that may be given once or repeated: always a list.
export function listOf(value: unknown): string[] {
  if (value === undefined || value === null || value === false) return [];
  return (Array.isArray(value) ? value : [value]).map(String).filter(Boolean);
}
