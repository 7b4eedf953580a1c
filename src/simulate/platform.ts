// Which autoscaler realises a service, so simulate / plan --explain / scalectl autoscale decide the
// way that autoscaler will (docs/engine.md lists what each platform changes).
import type { ServiceConfig } from '../config/model.js';
import { parseTargetRef, targetError, wantsKeda } from '../../adapters/kubernetes/target.js';

/**
 * mock: the mock cloud (Container Apps scale rules + Azure Monitor autoscale); docker: scalectl autoscale
 * driving Docker (the same semantics as mock); hpa: a Kubernetes HPA; keda: a KEDA ScaledObject (its HPA
 * plus activation, cooldownPeriod and cron triggers); knative: the Knative Pod Autoscaler (KPA).
 */
export type Platform = 'mock' | 'docker' | 'hpa' | 'keda' | 'knative';
export const PLATFORMS: readonly Platform[] = ['mock', 'docker', 'hpa', 'keda', 'knative'];

// The platform for a service on an adapter (by name, as in providers.<name>.adapter).
export function platformOf(adapter: string, service: ServiceConfig): Platform {
  if (adapter === 'docker') return 'docker';
  if (adapter !== 'kubernetes') return 'mock';
  if (targetError(service.target) === undefined && parseTargetRef(service.target).kind === 'ksvc') return 'knative';
  return wantsKeda(service.spec) ? 'keda' : 'hpa';
}

// Platforms whose decisions go through an HPA (the HPA's arithmetic, no cooldown, no flapping guard).
export const viaHpa = (p: Platform): boolean => p === 'hpa' || p === 'keda';
