// What the Docker adapter can express per target kind: declared, never probed.
import type { Capabilities, FieldSupport, ObservedTarget } from '../contract.js';
import type { DockerTarget } from './target.js';

// Docker has no autoscaler: `scalectl autoscale` runs the engine against metric sources.
const EMULATED: FieldSupport = { support: 'emulated', note: 'by scalectl autoscale' };
const NEEDS_PROXY: FieldSupport = {
  support: 'unsupported',
  note: 'no request counts on Docker',
  alternative: 'measure requests with Prometheus and scale on an external metric (kind: prometheus), or use the mock cloud or Kubernetes',
};

// The most containers scalectl runs for one Compose service or container/ group on one engine:
// beyond a few thousand a single host runs out of PIDs, memory or bridge addresses (a /16
// network holds 65 534) long before the count is reached.
export const MAX_CONTAINER_REPLICAS = 10_000;

// The capabilities of one parsed target (Swarm's depend on the mode `read` observed).
export function dockerCapabilities(target: DockerTarget | undefined, observed?: ObservedTarget): Capabilities {
  const fields: Record<string, FieldSupport> = {
    autoscale: EMULATED,
    'autoscale.metrics[concurrency]': NEEDS_PROXY,
    'autoscale.metrics[rps]': NEEDS_PROXY,
    routing: { support: 'unsupported', alternative: 'put a proxy in front of the replicas, or use Kubernetes' },
    traffic: {
      support: 'unsupported',
      alternative: 'Docker enforces no request, queue or idle timeouts; use the mock cloud or Kubernetes (Knative)',
    },
  };
  if (target?.kind === 'swarm') {
    const mode = observed?.details?.mode;
    fields.replicas =
      mode !== undefined && mode !== 'replicated'
        ? { support: 'unsupported', note: `the service runs in ${String(mode)} mode`, alternative: 'remove `replicas`, or use a replicated service' }
        : { support: 'native', note: 'Swarm Replicated.Replicas, written with the version index' };
    fields.resources = { support: 'native', note: 'task template limits (Swarm rolls the tasks)' };
    fields['traffic.requestTimeout'] = {
      support: 'unsupported',
      alternative: 'set the service\'s stop grace (`docker service update --stop-grace-period`)',
    };
  } else {
    fields.replicas = {
      support: 'native',
      note: target?.kind === 'compose' ? 'Compose-labelled containers; highest numbers removed first' : 'labelled containers; highest numbers removed first',
    };
    fields.resources = { support: 'native', note: '`docker update` on each replica, no restart' };
    fields['traffic.requestTimeout'] = { support: 'emulated', note: 'the stop grace on scale-in: SIGTERM, this long, then SIGKILL' };
  }
  return {
    fields,
    fallback: { support: 'unsupported', alternative: 'remove the field for Docker services, or use the mock cloud or Kubernetes' },
    // Swarm spreads tasks over its nodes; containers all run on this one engine.
    ...(target?.kind === 'swarm' ? {} : { maxReplicas: MAX_CONTAINER_REPLICAS }),
  };
}
