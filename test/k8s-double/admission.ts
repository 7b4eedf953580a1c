// The validating admission webhooks a cluster with KEDA or Knative Serving runs, with their real
// names, codes and wording. The API server wraps a denial as `admission webhook "<name>" denied
// the request: <reason>` (k8s.io/apiserver pkg/admission/plugin/webhook/errors, ToStatusErr),
// keeping the webhook's code.
import { ApiFailure } from './api.js';
import { RESOURCES, type Obj, type ResourceDef } from './resources.js';
import type { Store } from './store.js';

function denied(code: number, webhook: string, reason: string): ApiFailure {
  return new ApiFailure(code, code === 403 ? 'Forbidden' : 'BadRequest', `admission webhook "${webhook}" denied the request: ${reason}`);
}

// KEDA's vscaledobject.kb.io (kedacore/keda apis/keda/v1alpha1/scaledobject_webhook.go,
// verifyHpas): a ScaledObject may not target a workload an HPA it does not own already scales.
// controller-runtime's admission.Denied answers 403.
function kedaScaledObject(store: Store, so: Obj): void {
  const target = so.spec?.scaleTargetRef ?? {};
  const kind = target.kind ?? 'Deployment';
  const apiVersion = target.apiVersion ?? 'apps/v1';
  const hpaDef = RESOURCES.find((d) => d.kind === 'HorizontalPodAutoscaler')!;
  for (const hpa of store.list(hpaDef, so.metadata.namespace)) {
    const ref = hpa.spec?.scaleTargetRef ?? {};
    if (ref.name !== target.name || (ref.kind ?? 'Deployment') !== kind) continue;
    const owners: Obj[] = hpa.metadata.ownerReferences ?? [];
    if (owners.some((o) => o.kind === 'ScaledObject' && o.name === so.metadata.name)) continue;
    throw denied(403, 'vscaledobject.kb.io', `the workload '${target.name}' of type '${apiVersion}.${kind}' is already managed by the hpa '${hpa.metadata.name}'`);
  }
}

// Knative Serving's validation.webhook.serving.knative.dev (knative/serving pkg/apis/serving
// metadata_validation.go, ValidateHasNoAutoscalingAnnotation): autoscaling annotations belong on
// the revision template, never on the Service's own metadata. knative.dev/pkg answers 400.
function knativeService(ksvc: Obj): void {
  const keys = Object.keys(ksvc.metadata?.annotations ?? {}).filter((k) => k.startsWith('autoscaling.knative.dev'));
  if (!keys.length) return;
  const reasons = keys.map((k) => `invalid key name "${k}": metadata.annotations\nautoscaling annotations must be put under "spec.template.metadata.annotations" to work`);
  throw denied(400, 'validation.webhook.serving.knative.dev', `validation failed: ${reasons.join('\n')}`);
}

// Runs the webhooks installed with the CRDs on a create or update of `obj`.
export function admit(store: Store, def: ResourceDef, obj: Obj): void {
  if (def.kind === 'ScaledObject') kedaScaledObject(store, obj);
  if (def.crd === 'knative') knativeService(obj);
}
