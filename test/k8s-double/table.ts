// meta.k8s.io/v1 Table responses, which `kubectl get` asks for to print its columns.
import type { Obj, ResourceDef } from './resources.js';

interface Column { name: string; type: string; format?: string }

function age(obj: Obj): string {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(obj.metadata.creationTimestamp)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h`;
}

function hpaTargets(obj: Obj): string {
  const parts = (obj.spec.metrics ?? []).map((metric: Obj) => {
    const source = metric.resource ?? metric.pods ?? metric.external ?? metric.object ?? {};
    const name = source.name ?? source.metric?.name ?? metric.type;
    const target = source.target ?? {};
    const goal = target.averageUtilization !== undefined ? `${target.averageUtilization}%` : (target.averageValue ?? target.value);
    return `${name}: <unknown>/${goal}`;
  });
  return parts.join(', ') || '<none>';
}

function columnsFor(def: ResourceDef): { columns: Column[]; cells: (obj: Obj) => unknown[] } {
  if (def.kind === 'Deployment') {
    return {
      columns: [{ name: 'Ready', type: 'string' }, { name: 'Up-to-date', type: 'integer' }, { name: 'Available', type: 'integer' }],
      cells: (o) => [`${o.status?.readyReplicas ?? 0}/${o.spec.replicas ?? 1}`, o.status?.updatedReplicas ?? 0, o.status?.availableReplicas ?? 0],
    };
  }
  if (def.kind === 'StatefulSet') {
    return { columns: [{ name: 'Ready', type: 'string' }], cells: (o) => [`${o.status?.readyReplicas ?? 0}/${o.spec.replicas ?? 1}`] };
  }
  if (def.kind === 'HorizontalPodAutoscaler') {
    return {
      columns: [
        { name: 'Reference', type: 'string' }, { name: 'Targets', type: 'string' }, { name: 'MinPods', type: 'string' },
        { name: 'MaxPods', type: 'integer' }, { name: 'Replicas', type: 'integer' },
      ],
      cells: (o) => [`${o.spec.scaleTargetRef.kind}/${o.spec.scaleTargetRef.name}`, hpaTargets(o), String(o.spec.minReplicas ?? 1), o.spec.maxReplicas, o.status?.currentReplicas ?? 0],
    };
  }
  return { columns: [], cells: () => [] };
}

// The Table for a list or one object.
export function toTable(def: ResourceDef, objects: Obj[], resourceVersion: string): object {
  const { columns, cells } = columnsFor(def);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
      ...columns.map((column) => ({ ...column, format: column.format ?? '', description: column.name, priority: 0 })),
      { name: 'Age', type: 'string', format: '', description: 'CreationTimestamp', priority: 0 },
    ],
    rows: objects.map((obj) => ({
      cells: [obj.metadata.name, ...cells(obj), age(obj)],
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata },
    })),
  };
}
