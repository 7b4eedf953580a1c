// One live evaluation with an in-process adapter and sources: who acted (a schedule's bounds),
// a change the platform refuses (held, memory unchanged), and partial data (out yes, in never).
import { describe, expect, it } from 'vitest';
import type { Adapter, ChangeRequest, ObservedTarget } from '../../adapters/contract.js';
import type { MetricSource } from '../../adapters/sources/types.js';
import { SourceError } from '../../adapters/sources/types.js';
import { evaluateService, type LoopService } from '../../src/autoscale/evaluate.js';
import type { Autoscale } from '../../src/config/model.js';
import { resolvePolicy } from '../../src/simulate/policy.js';
import { service } from '../simulate/helpers.js';

// A platform holding one count; `refuse` makes apply fail as an engine would.
function platform(count: number, refuse?: string) {
  const applied: ChangeRequest[] = [];
  const adapter: Adapter = {
    name: 'docker',
    parseTarget: () => undefined,
    capabilities: () => ({ fields: {} }),
    read: async () => [],
    async apply(change) {
      if (refuse) throw Object.assign(new Error(refuse), { name: 'AdapterError' });
      applied.push(change);
      return { done: [`scaled to ${change.desired.replicas}`] };
    },
  };
  const observed: ObservedTarget = { exists: true, fingerprint: 'f1', spec: { replicas: count }, instances: { desired: count, ready: count } };
  return { adapter, observed, applied };
}

const value = (n: number, describe = 'test source'): MetricSource => ({ describe, read: async () => n });
const broken = (why: string): MetricSource => ({ describe: 'broken source', read: async () => { throw new SourceError(`broken source: ${why}`); } });

function entry(autoscale: Autoscale, adapter: Adapter, sources: Array<MetricSource | string>): LoopService {
  const svc = { ...service(autoscale, undefined, 'worker'), provider: 'local', target: 'compose:shop/worker' };
  return { service: svc, adapter, policy: resolvePolicy(svc, 'docker'), sources };
}

const queue = (perInstance: number) => ({ type: 'queue' as const, perInstance, source: { kind: 'command', command: 'true' } });

describe('evaluateService', () => {
  it('a schedule raising min scales out, and the event says the schedule acted', async () => {
    const { adapter, observed, applied } = platform(1);
    const autoscale: Autoscale = {
      min: 1,
      max: 10,
      metrics: [queue(10)],
      schedules: [{ name: 'launch', dates: { start: '2026-03-02T00:00', end: '2026-03-03T00:00' }, min: 4 }],
    };
    const result = await evaluateService(entry(autoscale, adapter, [value(0)]), { now: new Date('2026-03-02T10:00:00Z'), observed });
    expect(result).toMatchObject({ current: 1, final: 4, changed: true });
    expect(result.event).toMatchObject({ from: 1, to: 4, actor: 'schedule', rule: 'schedule launch (min)', schedule: 'launch' });
    expect(applied[0].desired).toMatchObject({ replicas: 4, autoscale });
    expect(applied[0].fingerprint).toBe('f1');
  });

  it('a change the platform refuses is held, reported, and leaves the engine memory as it was', async () => {
    const { adapter, observed } = platform(2, 'the engine is busy');
    const e = entry({ min: 1, max: 10, metrics: [queue(10)] }, adapter, [value(80)]);
    const result = await evaluateService(e, { now: new Date('2026-03-02T10:00:00Z'), observed });
    expect(result).toMatchObject({ current: 2, final: 2, changed: false, error: '2 → 6 not applied: the engine is busy' });
    expect(e.scaler!.saveState().scaleEvents).toEqual([]);
  });

  it('with one of two metrics unreadable it may scale out but never in, and names the source', async () => {
    const autoscale: Autoscale = { min: 1, max: 10, metrics: [queue(10), { type: 'external', value: 100, source: { kind: 'command', command: 'true' } }], behavior: { scaleDown: { stabilization: '0s' } } };
    const out = platform(2);
    const up = await evaluateService(entry(autoscale, out.adapter, [value(50), broken('connection refused')]), { now: new Date('2026-03-02T10:00:00Z'), observed: out.observed });
    expect(up).toMatchObject({ current: 2, final: 5, changed: true, missing: ['external: broken source: connection refused'] });
    const hold = platform(5);
    const down = await evaluateService(entry(autoscale, hold.adapter, [value(10), broken('connection refused')]), { now: new Date('2026-03-02T10:00:00Z'), observed: hold.observed });
    expect(down).toMatchObject({ current: 5, final: 5, changed: false });
    expect(down.reason).toContain('metrics missing 1→5');
    expect(hold.applied).toEqual([]);
  });

  it('a target that cannot be read holds the count and says why', async () => {
    const { adapter } = platform(3);
    const result = await evaluateService(entry({ min: 1, max: 10, metrics: [queue(10)] }, adapter, [value(10)]), {
      now: new Date(),
      observed: { exists: false, fingerprint: '', spec: {}, error: 'cannot reach the Docker Engine' },
    });
    expect(result).toMatchObject({ current: null, final: null, changed: false, error: 'cannot reach the Docker Engine' });
  });
});
