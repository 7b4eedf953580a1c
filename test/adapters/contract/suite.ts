// The conformance suite every adapter passes: read, apply with a fingerprint precondition,
// stale refusal, dry run, stable fingerprints. Each adapter's test file calls it with a setup
// that gives a live adapter and a target it may scale (existing, or created by the first apply).
import { describe, expect, it } from 'vitest';
import type { Adapter, ChangeRequest, ObservedTarget, TargetRequest } from '../../../adapters/contract.js';
import { ScalectlError } from '../../../src/errors.js';

export interface ContractSetup {
  adapter: Adapter;
  target: string;
  extensions?: Record<string, unknown>;
  cleanup?: () => Promise<void>;
}

const signal = new AbortController().signal;

// Registers the suite for one adapter.
export function adapterContract(name: string, setup: () => Promise<ContractSetup>): void {
  describe(`adapter contract: ${name}`, () => {
    const read = async (s: ContractSetup): Promise<ObservedTarget> => {
      const request: TargetRequest = { service: 'svc', target: s.target, extensions: s.extensions ?? {}, desired: {} };
      const [observed] = await s.adapter.read([request], { signal });
      expect(observed.error).toBeUndefined();
      return observed;
    };
    const change = (s: ContractSetup, replicas: number, fingerprint: string): ChangeRequest => ({
      service: 'svc',
      target: s.target,
      extensions: s.extensions ?? {},
      desired: { replicas },
      changes: [{ field: 'replicas', before: null, after: replicas, support: 'native' }],
      fingerprint,
    });

    it('declares its name, checks target shapes and supports replicas', async () => {
      const s = await setup();
      try {
        expect(typeof s.adapter.name).toBe('string');
        expect(s.adapter.parseTarget(s.target)).toBeUndefined();
        expect(s.adapter.parseTarget('%%% not a target %%%')).toMatch(/.+/);
        const { support } = (await import('../../../src/plan/fields.js')).supportOf(s.adapter.capabilities(s.target), 'replicas');
        expect(['native', 'emulated']).toContain(support);
      } finally {
        await s.cleanup?.();
      }
    });

    it('applies replicas against the observed fingerprint and reads them back', async () => {
      const s = await setup();
      try {
        const first = await read(s);
        expect(first.fingerprint).toMatch(/.+/);
        expect((await read(s)).fingerprint).toBe(first.fingerprint); // stable while nothing changes
        await s.adapter.apply(change(s, 2, first.fingerprint), { dryRun: false, signal });
        const second = await read(s);
        expect(second.exists).toBe(true);
        expect(second.spec.replicas).toBe(2);
        expect(second.fingerprint).not.toBe(first.fingerprint);
        await s.adapter.apply(change(s, 1, second.fingerprint), { dryRun: false, signal });
        expect((await read(s)).spec.replicas).toBe(1);
      } finally {
        await s.cleanup?.();
      }
    });

    it('refuses a change planned against a fingerprint that is no longer live', async () => {
      const s = await setup();
      try {
        const before = await read(s);
        await s.adapter.apply(change(s, 2, before.fingerprint), { dryRun: false, signal });
        const error = await s.adapter.apply(change(s, 3, before.fingerprint), { dryRun: false, signal }).catch((e: unknown) => e);
        expect(ScalectlError.is(error) && (error as Error).name).toBe('StalePlanError');
        expect((await read(s)).spec.replicas).toBe(2);
      } finally {
        await s.cleanup?.();
      }
    });

    it('changes nothing on a dry run', async () => {
      const s = await setup();
      try {
        const before = await read(s);
        await s.adapter.apply(change(s, 2, before.fingerprint), { dryRun: false, signal });
        const live = await read(s);
        const result = await s.adapter.apply(change(s, 3, live.fingerprint), { dryRun: true, signal });
        expect(result.done.length).toBeGreaterThan(0);
        const after = await read(s);
        expect(after.spec.replicas).toBe(2);
        expect(after.fingerprint).toBe(live.fingerprint);
      } finally {
        await s.cleanup?.();
      }
    });
  });
}
