import { describe, expect, it } from 'vitest';
import type { Capabilities, ObservedTarget } from '../../../adapters/contract.js';
import type { ServiceSpec } from '../../../src/config/model.js';
import { flattenSpec, supportOf } from '../../../src/plan/fields.js';
import { plan, type ServiceObservation } from '../../../src/plan/plan.js';
import type { Finding } from '../../../src/plan/types.js';
import { parse } from '../../support/config.js';

const NATIVE: Capabilities = { fields: {}, fallback: { support: 'native' } };
const DOCKERISH: Capabilities = {
  fields: {
    replicas: { support: 'native' },
    resources: { support: 'native', note: 'docker update' },
    autoscale: { support: 'unsupported', alternative: 'Docker has no autoscaler: use a fixed replicas count, or the mock cloud / Kubernetes' },
  },
};

const live = (spec: ServiceSpec, fingerprint = 'rev-1'): ObservedTarget => ({ exists: true, fingerprint, spec });
const observation = (observed: ObservedTarget, capabilities = NATIVE, adapter = 'mock'): ServiceObservation => ({ adapter, observed, capabilities });
const NOW = '2026-11-23T10:00:00.000Z';

const config = parse(`version: 1
services:
  web:
    autoscale:
      min: 2
      max: 20
      metrics:
        - { type: concurrency, target: 70 }
  bot:
    replicas: 1
`);

describe('field vocabulary', () => {
  it('flattens keyed arrays by their identity and keeps leaf objects whole', () => {
    const flat = flattenSpec({
      autoscale: {
        min: 1,
        max: 3,
        metrics: [{ type: 'cpu', utilization: 60 }, { type: 'queue', source: { kind: 'sqs' }, perInstance: 5 }, { type: 'cpu', utilization: 70 }],
        schedules: [{ name: 'day', recurring: { days: ['Mon'], start: '08:00', end: '09:00' }, min: 2 }],
      },
    });
    expect([...flat]).toEqual([
      ['autoscale.min', 1],
      ['autoscale.max', 3],
      ['autoscale.metrics[cpu].utilization', 60],
      ['autoscale.metrics[queue].source', { kind: 'sqs' }],
      ['autoscale.metrics[queue].perInstance', 5],
      ['autoscale.metrics[cpu#2].utilization', 70],
      ['autoscale.schedules[day].recurring', { days: ['Mon'], start: '08:00', end: '09:00' }],
      ['autoscale.schedules[day].min', 2],
    ]);
  });

  it('classifies a field by the longest matching capability pattern', () => {
    const caps: Capabilities = {
      fields: {
        autoscale: { support: 'native' },
        'autoscale.metrics[rps]': { support: 'emulated', note: 'as a Pods metric' },
        'autoscale.schedules': { support: 'unsupported' },
      },
    };
    expect(supportOf(caps, 'autoscale.min').support).toBe('native');
    expect(supportOf(caps, 'autoscale.metrics[rps].target')).toEqual({ support: 'emulated', note: 'as a Pods metric' });
    expect(supportOf(caps, 'autoscale.metrics[rps#2].target').support).toBe('emulated');
    expect(supportOf(caps, 'autoscale.schedules[day].min').support).toBe('unsupported');
    expect(supportOf(caps, 'resources.cpu').support).toBe('unsupported');
    // "autoscale.m" must not match "autoscale.max"
    expect(supportOf({ fields: { 'autoscale.m': { support: 'native' } } }, 'autoscale.max').support).toBe('unsupported');
  });
});

describe('plan', () => {
  it('diffs per field with + ~ - semantics, causes and a summary', () => {
    const observations = new Map([
      ['web', observation(live({ autoscale: { min: 2, max: 10, metrics: [{ type: 'concurrency', target: 70 }, { type: 'cpu', utilization: 60 }] } }))],
      ['bot', observation(live({ replicas: 1 }))],
    ]);
    const result = plan(config, observations, { now: NOW });
    expect(result.summary).toEqual({ toChange: 1, unchanged: 1, errors: 0 });
    expect(result.configHash).toBe(config.hash);
    const web = result.services[0];
    expect(web.action).toBe('update');
    expect(web.fingerprint).toBe('rev-1');
    expect(web.changes).toEqual([
      { field: 'autoscale.max', before: 10, after: 20, support: 'native', cause: 'scaling.yaml:6' },
      { field: 'autoscale.metrics[cpu].utilization', before: 60, after: null, support: 'native', cause: 'scaling.yaml:8' },
    ]);
  });

  it('creates a target that does not exist yet, keeping its fingerprint', () => {
    const observations = new Map([
      ['web', observation({ exists: false, fingerprint: 'absent', spec: {} })],
      ['bot', observation(live({ replicas: 3 }))],
    ]);
    const result = plan(config, observations, { now: NOW });
    expect(result.services[0]).toMatchObject({ action: 'create', fingerprint: 'absent' });
    expect(result.services[0].changes.map((c) => c.field)).toEqual(['autoscale.min', 'autoscale.max', 'autoscale.metrics[concurrency].target']);
    expect(result.services[1].changes).toEqual([{ field: 'replicas', before: 3, after: 1, support: 'native', cause: 'scaling.yaml:10' }]);
  });

  it('never drops an unsupported field: it is a plan error naming field, adapter and alternative', () => {
    const observations = new Map([
      ['web', observation(live({ replicas: 2 }), DOCKERISH, 'docker')],
      ['bot', observation(live({ replicas: 1 }), DOCKERISH, 'docker')],
    ]);
    const result = plan(config, observations, { now: NOW });
    expect(result.services[0].errors).toEqual([
      'web.autoscale.min is not supported by the docker adapter for web: Docker has no autoscaler: use a fixed replicas count, or the mock cloud / Kubernetes',
      'web.autoscale.max is not supported by the docker adapter for web: Docker has no autoscaler: use a fixed replicas count, or the mock cloud / Kubernetes',
      'web.autoscale.metrics[concurrency].target is not supported by the docker adapter for web: Docker has no autoscaler: use a fixed replicas count, or the mock cloud / Kubernetes',
    ]);
    expect(result.summary).toEqual({ toChange: 0, unchanged: 1, errors: 3 });
  });

  it('carries read errors and adapter warnings into the plan', () => {
    const observations = new Map([
      ['web', observation({ exists: false, fingerprint: '', spec: {}, error: 'cluster unreachable' })],
      ['bot', observation({ ...live({ replicas: 1 }), warnings: ['a custom metrics adapter must serve rps'] })],
    ]);
    const result = plan(config, observations, { now: NOW });
    expect(result.services[0].errors).toEqual(['web: cluster unreachable']);
    expect(result.services[1].warnings).toEqual(['a custom metrics adapter must serve rps']);
  });

  it('the readiness gate blocks more than one instance on error findings, unless forced', () => {
    const finding: Finding = { ruleId: 'polling-bot/grammy-long-polling', category: 'polling-bot', severity: 'error', file: 'bot.ts', line: 3, column: 1, message: 'long polling', fix: 'use webhooks' };
    const scaled = parse('version: 1\nservices:\n  bot:\n    replicas: 3\n    source: ./bot\n');
    const observations = new Map([['bot', observation(live({ replicas: 1 }))]]);
    const blocked = plan(scaled, observations, { now: NOW, findings: new Map([['bot', [finding]]]) });
    expect(blocked.services[0].gate).toBe('blocked');
    expect(blocked.services[0].errors[0]).toBe(
      'readiness: 1 error finding(s) make more than one instance unsafe (bot.ts:3:1 polling-bot/grammy-long-polling); fix them (scalectl check shows how), keep 1 instance, or pass --force',
    );
    const forced = plan(scaled, observations, { now: NOW, findings: new Map([['bot', [finding]]]), force: true });
    expect(forced.services[0]).toMatchObject({ gate: 'forced', errors: [] });
    expect(forced.forced).toBe(true);
    // one instance is always allowed; warnings never block
    const single = parse('version: 1\nservices:\n  bot:\n    replicas: 1\n');
    expect(plan(single, observations, { now: NOW, findings: new Map([['bot', [finding]]]) }).services[0].gate).toBeUndefined();
    const warning = { ...finding, severity: 'warning' as const };
    expect(plan(scaled, observations, { now: NOW, findings: new Map([['bot', [warning]]]) }).services[0].errors).toEqual([]);
  });
});

describe('plan, counts owned by an autoscaler', () => {
  it('does not plan to remove the live count of an autoscaled service', () => {
    const auto = parse('version: 1\nservices:\n  web:\n    autoscale: { min: 1, max: 4 }\n');
    const observations = new Map([['web', observation(live({ replicas: 3, autoscale: { min: 1, max: 4 } }))]]);
    expect(plan(auto, observations, { now: NOW }).services[0].changes).toEqual([]);
    // switching to a fixed count still removes the autoscaler's fields
    const fixed = parse('version: 1\nservices:\n  web:\n    replicas: 2\n');
    expect(plan(fixed, observations, { now: NOW }).services[0].changes.map((c) => c.field)).toEqual(['replicas', 'autoscale.min', 'autoscale.max']);
  });
});

describe('an adapter-declared maximum count', () => {
  const scheduled = parse(`version: 1
services:
  web:
    autoscale:
      min: 1
      max: 50
      schedules:
        - { name: peak, recurring: { days: [Mon], start: "08:00", end: "09:00" }, max: 300 }
  bot:
    replicas: 40
`);
  const capped: Capabilities = { ...NATIVE, maxReplicas: 100 };

  it('is an error naming the largest count and where it is written', () => {
    const result = plan(scheduled, new Map([['web', observation(live({}), capped)], ['bot', observation(live({}), capped)]]), { now: NOW });
    expect(result.services[0].errors).toEqual([
      'web.autoscale.schedules[peak].max asks for 300 instances; the mock adapter runs at most 100 for web (scaling.yaml:8): lower it',
    ]);
    expect(result.services[1].errors).toEqual([]);
  });

  it('is not checked when the adapter declares none', () => {
    const result = plan(scheduled, new Map([['web', observation(live({}))], ['bot', observation(live({}))]]), { now: NOW });
    expect(result.summary.errors).toBe(0);
  });
});
