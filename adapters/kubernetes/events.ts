// `scalectl events` on Kubernetes: the HPA changes the count there, so the history comes from
// the cluster — the conditions of the HPAs (KEDA's included) that scale the target, and the
// Events recorded on the target and on those HPAs (SuccessfulRescale, ScalingReplicaSet, …).
import type { ScaleEvent } from '../../src/autoscale/events.js';
import type { Kube } from './client.js';
import { extensionsOf, parseTargetRef } from './target.js';

type Obj = Record<string, any>;

const plain = (value: unknown): Obj => JSON.parse(JSON.stringify(value)) as Obj;

export async function clusterEvents(kube: Kube, target: string, extensions: Record<string, unknown>): Promise<ScaleEvent[]> {
  const ref = parseTargetRef(target);
  const namespace = extensionsOf(extensions).namespace ?? kube.namespace;
  const o = kube.options();
  const site = { verb: 'list', object: `events of ${ref.kind}/${ref.name}`, namespace };
  let hpas: Obj[];
  let events: Obj[];
  try {
    const [hpaList, eventList] = await Promise.all([
      ref.kind === 'ksvc' ? Promise.resolve({ items: [] }) : kube.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }, o),
      kube.core.listNamespacedEvent({ namespace }, o),
    ]);
    hpas = hpaList.items.map(plain).filter((h) => h.spec?.scaleTargetRef?.name === ref.name && (h.spec.scaleTargetRef.kind ?? 'Deployment') === ref.apiKind);
    events = eventList.items.map(plain);
  } catch (error) {
    throw kube.fail(error, site);
  }
  const base = { service: '', provider: '', target };
  const out: ScaleEvent[] = [];
  for (const hpa of hpas) {
    const count = hpa.status?.currentReplicas ?? null;
    for (const condition of hpa.status?.conditions ?? []) {
      out.push({
        ...base,
        time: condition.lastTransitionTime ?? hpa.metadata?.creationTimestamp ?? new Date(0).toISOString(),
        from: count,
        to: hpa.status?.desiredReplicas ?? count,
        actor: 'hpa',
        rule: `hpa/${hpa.metadata.name} ${condition.type}=${condition.status}`,
        reason: [condition.reason, condition.message].filter(Boolean).join(': '),
      });
    }
  }
  const involved = new Set([`${ref.apiKind}/${ref.name}`, ...hpas.map((h) => `HorizontalPodAutoscaler/${h.metadata.name}`)]);
  for (const event of events) {
    const on = `${event.involvedObject?.kind}/${event.involvedObject?.name}`;
    if (!involved.has(on)) continue;
    const size = /New size: (\d+)/.exec(event.message ?? '') ?? /to (\d+)(?: from \d+)?$/.exec(event.message ?? '');
    out.push({
      ...base,
      time: event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata?.creationTimestamp ?? new Date(0).toISOString(),
      from: null,
      to: size ? Number(size[1]) : null,
      actor: event.involvedObject.kind === 'HorizontalPodAutoscaler' ? 'hpa' : 'kubernetes',
      rule: `${on} ${event.reason ?? event.type ?? 'Event'}`,
      reason: `${event.message ?? ''}${event.count > 1 ? ` (×${event.count})` : ''}`,
    });
  }
  return out;
}
