// Target strings, capabilities per kind, and emit's refusals: the pure parts, no cluster.
import { describe, expect, it } from 'vitest';
import createKubernetesAdapter from '../../../adapters/kubernetes/index.js';
import { manifestsFor } from '../../../adapters/kubernetes/emit.js';
import { scheduleToCron } from '../../../adapters/kubernetes/keda.js';
import { supportOf } from '../../../src/plan/fields.js';

const adapter = await createKubernetesAdapter({ provider: { name: 'k', adapter: 'kubernetes', settings: {} }, configDir: '/', env: {}, debug: () => {} });

describe('parseTarget', () => {
  it('accepts deployment/, statefulset/ and ksvc/ (and their short names)', () => {
    for (const target of ['deployment/web', 'deploy/web', 'statefulset/db', 'sts/db', 'ksvc/fn']) expect(adapter.parseTarget(target)).toBeUndefined();
  });

  it('names what was expected, with an example', () => {
    expect(adapter.parseTarget('service/web')).toBe('target "service/web" is not a Kubernetes target: expected deployment/<name>, statefulset/<name> or ksvc/<name>, e.g. deployment/web');
    expect(adapter.parseTarget('deployment/Web_1')).toBe('target "deployment/Web_1": "Web_1" is not a valid object name (lowercase letters, digits and "-", at most 63 characters)');
  });
});

describe('capabilities', () => {
  it('workloads: HPA-native fields, KEDA-only fields unsupported without KEDA', () => {
    const caps = adapter.capabilities('deployment/web', { exists: true, fingerprint: '', spec: {}, details: { keda: false } });
    expect(supportOf(caps, 'autoscale.behavior.scaleDown.stabilization').support).toBe('native');
    expect(supportOf(caps, 'autoscale.behavior.scaleDown.cooldown')).toEqual({ support: 'unsupported', alternative: 'use stabilization (HPA has no cooldown)' });
    expect(supportOf(caps, 'autoscale.metrics[queue].activation').support).toBe('unsupported');
    expect(supportOf(caps, 'traffic.requestTimeout').alternative).toBe('use a ksvc target (timeoutSeconds) or your ingress timeouts');
  });

  it('workloads with KEDA in charge: schedules native, but not their max', () => {
    const caps = adapter.capabilities('deployment/web', { exists: true, fingerprint: '', spec: {}, details: { keda: true, backend: 'keda', schedules: 'office' } });
    expect(supportOf(caps, 'autoscale.schedules[office].min').support).toBe('native');
    expect(supportOf(caps, 'autoscale.schedules[office].max').support).toBe('unsupported');
    expect(supportOf(caps, 'autoscale.metrics[rps].target').support).toBe('unsupported');
  });

  it('Knative Services', () => {
    const caps = adapter.capabilities('ksvc/fn');
    expect(supportOf(caps, 'autoscale.metrics[concurrency].limit').support).toBe('native');
    expect(supportOf(caps, 'traffic.requestTimeout').support).toBe('native');
    expect(supportOf(caps, 'traffic.queueTimeout').support).toBe('unsupported');
    expect(supportOf(caps, 'autoscale.schedules[x].min').alternative).toBe('target a deployment and install KEDA (ScaledObject cron trigger)');
  });
});

describe('schedules as KEDA cron', () => {
  it('recurring windows and cron + duration', () => {
    expect(scheduleToCron({ name: 'a', recurring: { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], start: '08:00', end: '20:30' } })).toEqual({ start: '0 8 * * 1-5', end: '30 20 * * 1-5' });
    // Crossing midnight: the window ends the next day (Sat 22:15 → Sun 01:15), not a week later.
    expect(scheduleToCron({ name: 'b', cron: '15 22 * * 6', duration: '3h' })).toEqual({ start: '15 22 * * 6', end: '15 1 * * 0' });
    expect(scheduleToCron({ name: 'fri-night', recurring: { days: ['Fri'], start: '22:00', end: '02:00' } })).toEqual({ start: '0 22 * * 5', end: '0 2 * * 6' });
    expect(scheduleToCron({ name: 'weeknights', recurring: { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], start: '23:00', end: '01:00' } })).toEqual({ start: '0 23 * * 1-5', end: '0 1 * * 2-6' });
    expect(scheduleToCron({ name: 'nightly', cron: '0 22 * * *', duration: '4h' })).toEqual({ start: '0 22 * * *', end: '0 2 * * *' });
    // A day-of-week that cannot be moved a day later (names, or with a day-of-month) is not expressible.
    expect(scheduleToCron({ name: 'named', cron: '0 22 * * FRI', duration: '4h' })).toBeUndefined();
    expect(scheduleToCron({ name: 'monthly', cron: '0 22 1 * 5', duration: '4h' })).toBeUndefined();
    expect(scheduleToCron({ name: 'c', dates: { start: '2026-11-27T00:00', end: '2026-11-28T00:00' } })).toBeUndefined();
  });

  it('emit refuses a schedule cron cannot express, naming the service', () => {
    expect(() => manifestsFor({ service: 'web', target: 'deployment/web', extensions: {}, desired: { autoscale: { min: 1, max: 3, schedules: [{ name: 'bf', dates: { start: '2026-11-27T00:00', end: '2026-11-28T00:00' }, min: 5 }] } } }, {}))
      .toThrow('service web: schedule "bf" cannot be a KEDA cron trigger: use recurring days/start/end or a 5-field cron with a duration under 24h');
  });
});
