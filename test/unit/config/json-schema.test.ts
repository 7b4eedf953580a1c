// scaling.schema.json is generated from the validator's schema: it must be current, and it must
// agree with the validator on real files.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { jsonSchema } from '../../../src/config/json-schema.js';

const root = new URL('../../../', import.meta.url);
const shipped = JSON.parse(readFileSync(new URL('scaling.schema.json', root), 'utf8'));
const validate = new Ajv({ strict: false, allErrors: true }).compile(shipped);

describe('scaling.schema.json', () => {
  it('is what the schema source generates (run npm run build after changing src/config/schema.ts)', () => {
    expect(shipped).toEqual(jsonSchema());
  });

  it('accepts the example application', () => {
    const example = parseYaml(readFileSync(new URL('examples/shop/scaling.yaml', root), 'utf8'));
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects what the validator rejects structurally', () => {
    expect(validate({ version: 1, services: { web: { replicas: -1 } } })).toBe(false);
    expect(validate({ version: 1, services: { web: { replicas: 1, resorces: {} } } })).toBe(false);
    expect(validate({ version: 1, services: { web: { autoscale: { min: 1, max: 2, metrics: [{ type: 'latency' }] } } } })).toBe(false);
    expect(validate({ version: 1, services: { web: { replicas: 1, 'x-docker': { any: 'thing' } } } })).toBe(true);
    expect(validate({ version: 1, services: { web: { autoscale: { min: 1, max: '${MAX:-3}' } } } })).toBe(true);
  });

  it('describes environments: partial overrides, null removes, the same types as the base', () => {
    const base = { version: 1, services: { web: { autoscale: { min: 1, max: 4 } }, bot: { replicas: 1 } } };
    const prod = { providers: { k8s: { adapter: 'kubernetes', context: 'prod' } }, defaults: { provider: 'k8s' }, services: { web: { autoscale: { max: 30, metrics: [{ type: 'rps', target: 150 }] }, resources: null }, bot: null } };
    expect(validate({ ...base, environments: { prod, staging: {} } }), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...base, environments: { prod: { services: { web: { autoscale: { max: -1 } } } } } })).toBe(false);
    expect(validate({ ...base, environments: { prod: { services: { web: { autoscale: { maxx: 3 } } } } } })).toBe(false);
    expect(validate({ ...base, environments: { prod: { service: {} } } })).toBe(false);
    expect(validate({ ...base, environments: { prod: { services: { web: { autoscale: { metrics: [{ type: 'latency' }] } } } } } })).toBe(false);
  });

  it('the example carries the yaml-language-server modeline', () => {
    expect(readFileSync(new URL('examples/shop/scaling.yaml', root), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../../scaling.schema.json');
  });
});
