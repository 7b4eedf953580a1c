import { describe, expect, it } from 'vitest';
import type { Adapter, ApplyOptions, ChangeRequest } from '../../../adapters/contract.js';
import { runApply, type ApplyItem, type EngineEvent } from '../../../src/apply/engine.js';
import { AdapterError, StalePlanError } from '../../../src/errors.js';

// A scripted adapter: each call takes the next outcome for its service.
function scripted(outcomes: Record<string, Array<'ok' | 'retryable' | 'fatal' | 'stale' | 'partial'>>, log: string[] = []): Adapter {
  return {
    name: 'scripted',
    parseTarget: () => undefined,
    capabilities: () => ({ fields: {}, fallback: { support: 'native' } }),
    read: async () => [],
    async apply(change: ChangeRequest, options: ApplyOptions) {
      log.push(`start ${change.service}`);
      await new Promise((r) => setTimeout(r, 5));
      const outcome = outcomes[change.service].shift() ?? 'ok';
      log.push(`end ${change.service}`);
      if (outcome === 'retryable') throw new AdapterError('scripted', `${change.service}: 503`, { retryable: true });
      if (outcome === 'fatal') throw new AdapterError('scripted', `${change.service}: forbidden`);
      if (outcome === 'partial') throw new AdapterError('scripted', `${change.service}: engine went away`, { done: ['created web-2'] });
      if (outcome === 'stale') throw new StalePlanError(`${change.service}: changed`);
      return { done: [`${options.dryRun ? 'would set' : 'set'} ${change.service} (fp ${change.fingerprint})`] };
    },
  };
}

const item = (adapter: Adapter, service: string): ApplyItem => ({
  service,
  adapter,
  request: { service, target: service, extensions: {}, desired: { replicas: 2 }, changes: [], fingerprint: 'fp1' },
});

const options = (extra: Partial<Parameters<typeof runApply>[1]> = {}) => ({
  concurrency: 2,
  dryRun: false,
  signal: new AbortController().signal,
  backoffMs: 1,
  ...extra,
});

describe('apply engine', () => {
  it('retries retryable errors with backoff and reports attempts', async () => {
    const events: EngineEvent[] = [];
    const adapter = scripted({ a: ['retryable', 'retryable', 'ok'] });
    const [result] = await runApply([item(adapter, 'a')], options({ onEvent: (e) => events.push(e) }));
    expect(result).toEqual({ service: 'a', status: 'applied', done: ['set a (fp fp1)'], attempts: 3 });
    expect(events.filter((e) => e.type === 'retry').map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2]);
  });

  it('does not retry what is not retryable, and gives up after the attempts', async () => {
    const adapter = scripted({ a: ['fatal'], b: ['retryable', 'retryable', 'retryable', 'retryable', 'ok'] });
    const results = await runApply([item(adapter, 'a'), item(adapter, 'b')], options({ attempts: 4 }));
    expect(results[0]).toEqual({ service: 'a', status: 'failed', done: [], error: 'a: forbidden', attempts: 1 });
    expect(results[1]).toEqual({ service: 'b', status: 'failed', done: [], error: 'b: 503 (gave up after 4 attempts)', attempts: 4 });
  });

  it('keeps the steps done before a failure', async () => {
    const [result] = await runApply([item(scripted({ a: ['partial'] }), 'a')], options());
    expect(result).toMatchObject({ status: 'failed', done: ['created web-2'], error: 'a: engine went away' });
  });

  it('re-plans a stale fresh plan once via refresh; a saved plan (no refresh) fails as stale', async () => {
    const adapter = scripted({ a: ['stale', 'ok'], b: ['stale'] });
    const refreshed = await runApply([item(adapter, 'a')], options({ refresh: async (i) => ({ ...i.request, fingerprint: 'fp2' }) }));
    expect(refreshed[0]).toEqual({ service: 'a', status: 'applied', done: ['set a (fp fp2)'], attempts: 1 });
    const saved = await runApply([item(adapter, 'b')], options());
    expect(saved[0]).toMatchObject({ status: 'stale', error: 'b: changed' });
  });

  it('bounds concurrency', async () => {
    const log: string[] = [];
    const adapter = scripted({ a: [], b: [], c: [], d: [] }, log);
    await runApply(['a', 'b', 'c', 'd'].map((s) => item(adapter, s)), options({ concurrency: 2 }));
    let inFlight = 0;
    let peak = 0;
    for (const entry of log) {
      inFlight += entry.startsWith('start') ? 1 : -1;
      peak = Math.max(peak, inFlight);
    }
    expect(peak).toBe(2);
  });

  it('on abort, starts nothing new and lets in-flight work finish', async () => {
    const controller = new AbortController();
    const adapter = scripted({ a: [], b: [], c: [] });
    const pending = runApply(['a', 'b', 'c'].map((s) => item(adapter, s)), options({ concurrency: 1, signal: controller.signal, onEvent: (e) => e.type === 'start' && controller.abort() }));
    const results = await pending;
    expect(results.map((r) => r.status)).toEqual(['applied', 'interrupted', 'interrupted']);
    expect(results[1].error).toBe('not started: interrupted');
  });
});

describe('apply engine, concurrent appliers', () => {
  it('reports success when a re-plan finds the change already made by someone else', async () => {
    const adapter = scripted({ a: ['stale'] });
    const [result] = await runApply([item(adapter, 'a')], options({ refresh: async () => 'converged' }));
    expect(result).toEqual({ service: 'a', status: 'applied', done: ['a already matched the file (changed concurrently)'], attempts: 1 });
  });

  it('re-plans up to three times while the target keeps moving, then fails as stale', async () => {
    const adapter = scripted({ a: ['stale', 'stale', 'stale', 'stale'] });
    let refreshes = 0;
    const [result] = await runApply([item(adapter, 'a')], options({ refresh: async (i) => (refreshes++, { ...i.request }) }));
    expect(refreshes).toBe(3);
    expect(result).toMatchObject({ status: 'stale', error: 'a: changed' });
  });
});

describe('apply summary', () => {
  it('counts a service interrupted part-way as partly changed and does not repeat steps the error lists', async () => {
    const { renderApplySummary } = await import('../../../src/output/apply-human.js');
    const { makeStyle } = await import('../../../src/output/style.js');
    const lines = renderApplySummary(
      [
        { service: 'web', status: 'interrupted', done: ['created web-1', 'created web-2'], error: 'interrupted; done: created web-1, created web-2', attempts: 1 },
        { service: 'api', status: 'interrupted', done: [], error: 'not started: interrupted', attempts: 0 },
        { service: 'bot', status: 'failed', done: ['created bot-2'], error: 'engine went away', attempts: 1 },
      ],
      makeStyle(false),
      false,
      true,
    );
    expect(lines).toEqual([
      '',
      '○ web: interrupted: interrupted; done: created web-1, created web-2',
      '○ api: interrupted: not started: interrupted',
      '✗ bot: failed: engine went away',
      '    done before that: created bot-2',
      '',
      'Apply interrupted: 0 changed, 1 partly changed, 1 failed, 1 not done.',
      'Interrupted: no new changes were started; the ones in flight finished. Run apply again to converge.',
    ]);
  });
});
