// What `init` decides, whether asked on a terminal or given as flags: one provider and, per
// service, a fixed count or autoscaling on one metric, plus where its source lives.

export type AdapterName = 'mock' | 'docker' | 'kubernetes';
export type MetricChoice = 'concurrency' | 'rps' | 'cpu';

export interface ProviderChoice {
  /** The key under `providers:` (sim, docker, k8s, or an existing one when extending). */
  name: string;
  adapter: AdapterName | string;
  settings: Record<string, string>;
  /** Already declared in the file being extended: nothing to write. */
  existing?: boolean;
}

export type Scaling =
  | { kind: 'fixed'; replicas: number }
  | { kind: 'autoscale'; metric: MetricChoice; min: number; max: number; target: number; limit?: number };

export interface ServicePlan {
  name: string;
  target?: string;
  scaling: Scaling;
  /** Relative to the folder scaling.yaml lives in, `./`-prefixed. */
  source?: string;
  /** Comment lines written above the service (e.g. why it is held at one instance). */
  notes: string[];
}

export interface InitAnswers {
  provider: ProviderChoice;
  services: ServicePlan[];
}

// Provider keys the wizard writes for each adapter.
export const PROVIDER_NAMES: Record<AdapterName, string> = { mock: 'sim', docker: 'docker', kubernetes: 'k8s' };

// Defaults per metric, and the one line that explains it to a person choosing.
export const METRICS: Record<MetricChoice, { target: number; limit?: number; label: string; explain: string }> = {
  concurrency: {
    target: 70,
    limit: 100,
    label: 'concurrency',
    explain: 'in-flight requests per instance: a soft target to aim at, a hard limit past which requests queue',
  },
  rps: { target: 150, label: 'requests per second', explain: 'requests per second per instance: for short, even requests' },
  cpu: { target: 70, label: 'CPU', explain: 'average CPU, % of the request: for CPU-bound work; cannot wake from zero' },
};

// The default scaling when nothing else is known: autoscale on concurrency, 1 hot, up to 10.
export function defaultScaling(metric: MetricChoice = 'concurrency'): Scaling {
  const m = METRICS[metric];
  return { kind: 'autoscale', metric, min: 1, max: 10, target: m.target, ...(m.limit ? { limit: m.limit } : {}) };
}

// The most instances a service could run: what decides whether the readiness check matters.
export function peakOf(scaling: Scaling): number {
  return scaling.kind === 'fixed' ? scaling.replicas : scaling.max;
}

// The target string a provider expects for a service, when the service name alone is not enough.
export function defaultTarget(adapter: string, service: string, composeProject?: string): string | undefined {
  if (adapter === 'kubernetes') return `deployment/${service}`;
  if (adapter === 'docker') return composeProject ? `compose:${composeProject}/${service}` : `container/${service}`;
  return undefined;
}

// One line describing a service's scaling, for comments and summaries.
export function describeScaling(scaling: Scaling): string {
  if (scaling.kind === 'fixed') return scaling.replicas === 0 ? 'stopped (0 instances)' : `${scaling.replicas} instance${scaling.replicas === 1 ? '' : 's'}, fixed`;
  const cold = scaling.max - scaling.min;
  return `autoscaled on ${METRICS[scaling.metric].label}: ${scaling.min} hot instance${scaling.min === 1 ? '' : 's'}, up to ${scaling.max} in all${cold > 0 ? ` (${cold} cold, started on demand)` : ''}`;
}
