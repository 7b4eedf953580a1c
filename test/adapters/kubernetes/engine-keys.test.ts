// The engine's keys in Kubernetes objects: Knative window/panic/burst annotations, HPA per-direction
// tolerance (also what a KEDA ScaledObject passes to its HPA), each read back as the file wrote it.
import { describe, expect, it } from 'vitest';
import type { Autoscale, ServiceSpec } from '../../../src/config/model.js';
import { behaviorFromHpa, behaviorToHpa } from '../../../adapters/kubernetes/behavior.js';
import { renderScaledObject } from '../../../adapters/kubernetes/keda.js';
import { knativeTemplate, specFromKnative } from '../../../adapters/kubernetes/knative.js';
import { parseTargetRef } from '../../../adapters/kubernetes/target.js';

const A = 'autoscaling.knative.dev/';

describe('Knative annotations', () => {
  const desired: ServiceSpec = {
    autoscale: {
      min: 0,
      max: 20,
      metrics: [{ type: 'concurrency', target: 50, limit: 100, window: '2m', burstCapacity: -1 }],
      behavior: { panic: { window: 20, threshold: 300 } },
    },
  };

  it('renders window, panic window and threshold, and target-burst-capacity', () => {
    const { annotations, containerConcurrency } = knativeTemplate(desired);
    expect(containerConcurrency).toBe(100);
    expect(annotations[`${A}window`]).toBe('2m');
    expect(annotations[`${A}panic-window-percentage`]).toBe('20');
    expect(annotations[`${A}panic-threshold-percentage`]).toBe('300');
    expect(annotations[`${A}target-burst-capacity`]).toBe('-1');
  });

  it('reads them back as scaling.yaml wrote them', () => {
    const { annotations, containerConcurrency } = knativeTemplate(desired);
    const live = Object.fromEntries(Object.entries(annotations).filter(([, v]) => v !== null));
    const ksvc = { spec: { template: { metadata: { annotations: live }, spec: { containerConcurrency } } } };
    expect(specFromKnative(ksvc, desired)).toEqual(desired);
  });

  it('clears them when the file drops them', () => {
    const { annotations } = knativeTemplate({ autoscale: { min: 0, max: 5, metrics: [{ type: 'concurrency', target: 10 }] } });
    expect(annotations[`${A}window`]).toBeNull();
    expect(annotations[`${A}panic-threshold-percentage`]).toBeNull();
  });
});

describe('HPA per-direction tolerance', () => {
  it('renders scaleUp/scaleDown.tolerance; a direction without one takes the shared tolerance', () => {
    const behavior = { tolerance: 0.1, scaleUp: { tolerance: 0.02 } };
    const hpa = behaviorToHpa(behavior)!;
    expect(hpa.scaleUp.tolerance).toBe('0.02');
    expect(hpa.scaleDown.tolerance).toBe('0.1');
    expect(behaviorFromHpa(hpa, behavior)).toEqual(behavior);
  });

  it('reads equal tolerances back as the shared one when the file has no per-direction one', () => {
    const hpa = behaviorToHpa({ tolerance: 0.05 })!;
    expect(behaviorFromHpa(hpa, { tolerance: 0.05 })).toEqual({ tolerance: 0.05 });
  });

  it('KEDA passes it to its HPA (advanced.horizontalPodAutoscalerConfig.behavior)', () => {
    const auto: Autoscale = { min: 0, max: 10, metrics: [{ type: 'queue', source: { kind: 'rabbitmq', queue: 'jobs' }, perInstance: 20 }], behavior: { scaleDown: { tolerance: 0.3 } } };
    const so = renderScaledObject(parseTargetRef('deployment/worker'), 'worker', 'default', auto);
    expect(so.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.tolerance).toBe('0.3');
  });
});
