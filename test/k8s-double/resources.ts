// The resource types the double serves: discovery facts, schema validation (kubernetes-models,
// and the KEDA / Knative CRD schemas), server-side defaulting and the status a controller writes.
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Service } from 'kubernetes-models/v1/Service';
import { Event } from 'kubernetes-models/v1/Event';
import { Secret } from 'kubernetes-models/v1/Secret';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Scale } from 'kubernetes-models/autoscaling/v1/Scale';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import { Service as KnativeService } from '@kubernetes-models/knative/serving.knative.dev/v1/Service';
import { canonicalQuantity } from './quantity.js';
import { semanticChecks } from './semantics.js';

export type Obj = Record<string, any>;

// One REST resource as discovery describes it, plus what the server does with its bodies.
export interface ResourceDef {
  group: string;
  version: string;
  resource: string;
  kind: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  crd?: 'keda' | 'knative';
  scale?: boolean;
  /** Throws with the server's message when the body is invalid (→ 422). */
  validate(obj: Obj): void;
  defaults?(obj: Obj): void;
  status?(obj: Obj, store: { get(def: ResourceDef, ns: string, name: string): Obj | undefined }): void;
}

type ModelClass = new (data?: any) => { validate(): void };

function schema(Model: ModelClass, kind: string): (obj: Obj) => void {
  return (obj) => {
    try {
      new Model(structuredClone(obj)).validate();
    } catch (error) {
      throw new Error(`${kind} is invalid: ${(error as Error).message}`);
    }
    semanticChecks(kind, obj);
  };
}

function canonicalResources(podSpec: Obj | undefined): void {
  for (const container of podSpec?.containers ?? []) {
    for (const section of ['requests', 'limits']) {
      const values = container.resources?.[section];
      if (values) for (const key of Object.keys(values)) values[key] = canonicalQuantity(values[key]);
    }
  }
}

function workloadStatus(obj: Obj): void {
  const replicas = obj.spec?.replicas ?? 1;
  obj.status = {
    observedGeneration: obj.metadata.generation,
    replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    updatedReplicas: replicas,
    ...(obj.kind === 'StatefulSet' ? { currentReplicas: replicas } : {}),
  };
}

// HPA defaults from kubernetes/kubernetes pkg/apis/autoscaling/v2/defaults.go.
function hpaDefaults(obj: Obj): void {
  const spec = obj.spec;
  spec.minReplicas ??= 1;
  if (!spec.metrics || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  for (const metric of spec.metrics) {
    for (const source of [metric.resource, metric.pods, metric.external, metric.object, metric.containerResource]) {
      const target = source?.target;
      if (target?.averageValue !== undefined) target.averageValue = canonicalQuantity(target.averageValue);
      if (target?.value !== undefined) target.value = canonicalQuantity(target.value);
    }
  }
  const behavior = spec.behavior;
  if (!behavior) return;
  const up = (behavior.scaleUp ??= {});
  up.stabilizationWindowSeconds ??= 0;
  up.selectPolicy ??= 'Max';
  up.policies ??= [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }];
  const down = (behavior.scaleDown ??= {});
  down.selectPolicy ??= 'Max';
  down.policies ??= [{ type: 'Percent', value: 100, periodSeconds: 15 }];
  for (const rules of [up, down]) if (rules.tolerance !== undefined) rules.tolerance = canonicalQuantity(rules.tolerance);
}

// Knative webhook defaults on the revision template (config-defaults: timeout 300, cc 0).
function ksvcDefaults(obj: Obj): void {
  const spec = (obj.spec ??= {});
  const template = (spec.template ??= {});
  const podSpec = (template.spec ??= {});
  podSpec.timeoutSeconds ??= 300;
  podSpec.containerConcurrency ??= 0;
  for (const [index, container] of (podSpec.containers ?? []).entries()) {
    container.name ??= index === 0 ? 'user-container' : `user-container-${index}`;
  }
  canonicalResources(podSpec);
  spec.traffic ??= [{ latestRevision: true, percent: 100 }];
}

function ksvcStatus(obj: Obj): void {
  const generation = obj.metadata.generation;
  const revision = `${obj.metadata.name}-${String(generation).padStart(5, '0')}`;
  obj.status = {
    observedGeneration: generation,
    latestCreatedRevisionName: revision,
    latestReadyRevisionName: revision,
    url: `http://${obj.metadata.name}.${obj.metadata.namespace}.example.com`,
    conditions: [{ type: 'Ready', status: 'True' }],
  };
}

// core/v1 Secret writes: `stringData` is merged into `data` (base64) and never stored; every
// `data` value must be base64 (the schema's format "byte") under a valid config key.
function secretDefaults(obj: Obj): void {
  if (obj.stringData) {
    obj.data = { ...obj.data };
    for (const [key, value] of Object.entries(obj.stringData as Record<string, string>)) obj.data[key] = Buffer.from(String(value)).toString('base64');
    delete obj.stringData;
  }
  obj.type ??= 'Opaque';
}

function validateSecret(obj: Obj): void {
  schema(Secret, 'Secret')(obj);
  for (const key of Object.keys(obj.data ?? {})) {
    if (!/^[-._a-zA-Z0-9]+$/.test(key)) throw new Error(`Secret "${obj.metadata?.name}" is invalid: data[${key}]: Invalid value: "${key}": a valid config key must consist of alphanumeric characters, '-', '_' or '.'`);
  }
}

// The types served, in discovery order.
export const RESOURCES: ResourceDef[] = [
  { group: '', version: 'v1', resource: 'services', kind: 'Service', singular: 'service', shortNames: ['svc'], namespaced: true, validate: schema(Service, 'Service') },
  // core/v1 Events, as controllers record them (tests create them the way the HPA controller would).
  // core/v1 Secrets, where scalectl keeps a KEDA trigger's credential (read by a TriggerAuthentication).
  { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', singular: 'secret', shortNames: [], namespaced: true, validate: validateSecret, defaults: secretDefaults },
  { group: '', version: 'v1', resource: 'events', kind: 'Event', singular: 'event', shortNames: ['ev'], namespaced: true, validate: schema(Event, 'Event') },
  {
    group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', singular: 'deployment', shortNames: ['deploy'], namespaced: true, scale: true,
    validate: schema(Deployment, 'Deployment'),
    defaults: (obj) => { obj.spec.replicas ??= 1; canonicalResources(obj.spec.template?.spec); },
    status: workloadStatus,
  },
  {
    group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', singular: 'statefulset', shortNames: ['sts'], namespaced: true, scale: true,
    validate: schema(StatefulSet, 'StatefulSet'),
    defaults: (obj) => { obj.spec.replicas ??= 1; canonicalResources(obj.spec.template?.spec); },
    status: workloadStatus,
  },
  {
    group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', singular: 'horizontalpodautoscaler', shortNames: ['hpa'], namespaced: true,
    validate: schema(HorizontalPodAutoscaler, 'HorizontalPodAutoscaler'),
    defaults: hpaDefaults,
    status: (obj, store) => {
      const ref = obj.spec.scaleTargetRef;
      const def = RESOURCES.find((r) => r.kind === ref.kind && r.scale);
      const target = def && store.get(def, obj.metadata.namespace, ref.name);
      const replicas = target?.spec?.replicas ?? 0;
      // The conditions the HPA controller writes (pkg/controller/podautoscaler): able to scale,
      // metrics found, and whether min/max limits the count.
      const since = obj.metadata.creationTimestamp;
      const min = obj.spec.minReplicas ?? 1;
      const max = obj.spec.maxReplicas;
      const limited = replicas <= min ? ['True', 'TooFewReplicas', 'the desired replica count is less than the minimum replica count'] : replicas >= max ? ['True', 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'] : ['False', 'DesiredWithinRange', 'the desired count is within the acceptable range'];
      obj.status = {
        currentReplicas: replicas,
        desiredReplicas: replicas,
        currentMetrics: [],
        conditions: [
          { type: 'AbleToScale', status: 'True', lastTransitionTime: since, reason: 'ReadyForNewScale', message: 'recommended size matches current size' },
          { type: 'ScalingActive', status: 'True', lastTransitionTime: since, reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count' },
          { type: 'ScalingLimited', status: limited[0], lastTransitionTime: since, reason: limited[1], message: limited[2] },
        ],
      };
    },
  },
  {
    group: 'keda.sh', version: 'v1alpha1', resource: 'scaledobjects', kind: 'ScaledObject', singular: 'scaledobject', shortNames: ['so'], namespaced: true, crd: 'keda',
    validate: schema(ScaledObject, 'ScaledObject'),
    status: (obj) => {
      obj.status = { hpaName: `keda-hpa-${obj.metadata.name}`, conditions: [{ type: 'Ready', status: 'True' }, { type: 'Active', status: 'False' }] };
    },
  },
  {
    group: 'keda.sh', version: 'v1alpha1', resource: 'triggerauthentications', kind: 'TriggerAuthentication', singular: 'triggerauthentication', shortNames: ['ta', 'triggerauth'], namespaced: true, crd: 'keda',
    validate: schema(TriggerAuthentication, 'TriggerAuthentication'),
  },
  {
    group: 'serving.knative.dev', version: 'v1', resource: 'services', kind: 'Service', singular: 'service', shortNames: ['kservice', 'ksvc'], namespaced: true, crd: 'knative',
    validate: schema(KnativeService, 'Service.serving.knative.dev'),
    defaults: ksvcDefaults,
    status: ksvcStatus,
  },
];

// The autoscaling/v1 Scale a `/scale` subresource speaks, validated like any other body.
export const validateScale = schema(Scale, 'Scale');
