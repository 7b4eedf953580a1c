import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import mockCloud from '../../adapters/mock-cloud/index.js';
import { adapterContract } from './contract/suite.js';

adapterContract('mock cloud', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-mock-'));
  const adapter = await mockCloud({ provider: { name: 'sim', adapter: 'mock', settings: {} }, configDir: dir, env: {}, debug: () => {} });
  return { adapter, target: 'web' };
});

describe('mock cloud live count', () => {
  const signal = new AbortController().signal;
  const start = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalectl-mock-'));
    return mockCloud({ provider: { name: 'sim', adapter: 'mock', settings: {} }, configDir: dir, env: {}, debug: () => {} });
  };
  const request = { service: 'web', target: 'web', extensions: {}, desired: {} };

  it('holds an autoscaled service within the bounds of the schedule in force', async () => {
    const adapter = await start();
    const desired = {
      autoscale: {
        min: 2,
        max: 20,
        schedules: [
          { name: 'always', dates: { start: '2000-01-01', end: '2100-01-01' }, min: 6 },
          { name: 'never', dates: { start: '2000-01-01', end: '2000-01-02' }, min: 9 },
        ],
      },
    };
    const [absent] = await adapter.read([request], { signal });
    await adapter.apply({ ...request, desired, changes: [], fingerprint: absent.fingerprint }, { dryRun: false, signal });
    const [live] = await adapter.read([request], { signal });
    expect(live.instances).toEqual({ desired: 6, ready: 6 });
    expect(live.details).toMatchObject({ bounds: '6..20', schedule: 'always' });
    expect(live.details?.count).toBe('holds 6 (previous count) within 6–20 (schedule always)');
  });

  it('starts at initial, and a fixed count is the count', async () => {
    const adapter = await start();
    const [absent] = await adapter.read([request], { signal });
    await adapter.apply({ ...request, desired: { autoscale: { min: 1, max: 9, initial: 4 } }, changes: [], fingerprint: absent.fingerprint }, { dryRun: false, signal });
    const [auto] = await adapter.read([request], { signal });
    expect(auto.instances).toEqual({ desired: 4, ready: 4 });
    await adapter.apply({ ...request, desired: { replicas: 0 }, changes: [], fingerprint: auto.fingerprint }, { dryRun: false, signal });
    const [fixed] = await adapter.read([request], { signal });
    expect(fixed.instances).toEqual({ desired: 0, ready: 0 });
    expect(fixed.spec).toEqual({ replicas: 0 });
  });
});
