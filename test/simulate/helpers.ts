// Builders for simulate tests: services from plain autoscale objects, constant and stepped loads.
import type { Autoscale, ServiceConfig, Traffic } from '../../src/config/model.js';
import { FIELD, type LoadField } from '../../src/simulate/policy.js';
import type { LoadCurve } from '../../src/simulate/types.js';

export function service(autoscale: Autoscale, traffic?: Traffic, name = 'api'): ServiceConfig {
  return { name, provider: 'mock', target: name, spec: { autoscale, traffic }, extensions: {} };
}

// A load that takes `values[k]` for step k of `everyMs` (the last one holds).
export function stepped(field: LoadField, everyMs: number, values: number[], extra: Partial<Record<LoadField, number>> = {}): LoadCurve {
  const extraFields = Object.keys(extra) as LoadField[];
  return {
    fields: [field, ...extraFields],
    describe: `${field} stepped`,
    sample(offsetMs, out) {
      out[FIELD[field]] = values[Math.min(values.length - 1, Math.floor(offsetMs / everyMs))];
      for (const f of extraFields) out[FIELD[f]] = extra[f]!;
    },
  };
}

export const constant = (field: LoadField, value: number, extra: Partial<Record<LoadField, number>> = {}) => stepped(field, 1, [value], extra);

export const T0 = new Date('2026-03-02T00:00:00Z'); // a Monday
