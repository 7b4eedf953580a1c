// `target:` strings of the Kubernetes adapter and the x-kubernetes settings that refine them.
import type { ServiceSpec } from '../../src/config/model.js';

export type TargetKind = 'deployment' | 'statefulset' | 'ksvc';

// One parsed target: its kind, name and the API facts needed to address it.
export interface TargetRef {
  kind: TargetKind;
  name: string;
  /** Kind as the API spells it (Deployment, StatefulSet, Service). */
  apiKind: string;
  apiVersion: string;
}

const API: Record<TargetKind, { apiKind: string; apiVersion: string }> = {
  deployment: { apiKind: 'Deployment', apiVersion: 'apps/v1' },
  statefulset: { apiKind: 'StatefulSet', apiVersion: 'apps/v1' },
  ksvc: { apiKind: 'Service', apiVersion: 'serving.knative.dev/v1' },
};
const ALIASES: Record<string, TargetKind> = {
  deployment: 'deployment', deploy: 'deployment', statefulset: 'statefulset', sts: 'statefulset', ksvc: 'ksvc', kservice: 'ksvc',
};
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

// Checks a target string; an error message with an example, or undefined when valid.
export function targetError(target: string): string | undefined {
  const [kind, name, extra] = target.split('/');
  if (extra !== undefined || !name || !(kind in ALIASES)) {
    return `target "${target}" is not a Kubernetes target: expected deployment/<name>, statefulset/<name> or ksvc/<name>, e.g. deployment/web`;
  }
  if (!NAME.test(name) || name.length > 63) {
    return `target "${target}": "${name}" is not a valid object name (lowercase letters, digits and "-", at most 63 characters)`;
  }
  return undefined;
}

// Parses a target known to be valid.
export function parseTargetRef(target: string): TargetRef {
  const error = targetError(target);
  if (error) throw new Error(error);
  const [alias, name] = target.split('/');
  const kind = ALIASES[alias];
  return { kind, name, ...API[kind] };
}

// The x-kubernetes keys a service may set.
export interface Extensions {
  /** Core Service carrying the traffic (sessionAffinity for sticky routing); default: the target's name. */
  service?: string;
  /** Container whose resources are managed; default: the first container. */
  container?: string;
  /** Take over an HPA / ScaledObject scalectl did not create. */
  adopt?: boolean;
  /** Pods metric names an adapter serves for rps and concurrency. */
  rpsMetric?: string;
  concurrencyMetric?: string;
  /** Namespace of this service, overriding the provider's. */
  namespace?: string;
}

// Reads x-kubernetes (tolerates absence and wrong types by ignoring them).
export function extensionsOf(raw: Record<string, unknown>): Extensions {
  // The contract keys extensions by adapter: `x-kubernetes: {…}` arrives as `extensions.kubernetes`.
  const ext = (raw.kubernetes ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof ext[key] === 'string' ? (ext[key] as string) : undefined);
  return {
    service: text('service'),
    container: text('container'),
    adopt: ext.adopt === true,
    rpsMetric: text('rpsMetric'),
    concurrencyMetric: text('concurrencyMetric'),
    namespace: text('namespace'),
  };
}

// Whether a backend needs KEDA: queue/external metrics, schedules, scale to zero or fallback.
export function wantsKeda(spec: ServiceSpec): boolean {
  const auto = spec.autoscale;
  if (!auto) return false;
  return (auto.metrics ?? []).some((m) => m.type === 'queue' || m.type === 'external') || (auto.schedules?.length ?? 0) > 0
    || auto.min === 0 || auto.fallback !== undefined || auto.behavior?.toZero !== undefined || auto.behavior?.evaluationInterval !== undefined;
}
