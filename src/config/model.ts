// The typed scaling.yaml v1 model, after parsing, interpolation and normalisation.
// Durations are canonical strings ("300ms", "30s", "5m", "1h"); see config/duration.ts.

export type Duration = string;
export type Weekday = 'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun';

export interface ConcurrencyMetric {
  type: 'concurrency';
  target?: number;
  limit?: number;
  utilization?: number;
  window?: Duration; // Knative stable window / averaging window
  burstCapacity?: number; // Knative target-burst-capacity (-1 = always via the activator)
}
export interface RpsMetric { type: 'rps'; target: number; window?: Duration }
export interface ResourceMetric { type: 'cpu' | 'memory'; utilization?: number; averageValue?: string; window?: Duration }
export interface QueueMetric {
  type: 'queue';
  source: Record<string, unknown>;
  perInstance: number;
  activation?: number;
  window?: Duration;
}
export interface ExternalMetric {
  type: 'external';
  source: Record<string, unknown>;
  value?: number;
  averageValue?: number;
  window?: Duration;
}
export type Metric = ConcurrencyMetric | RpsMetric | ResourceMetric | QueueMetric | ExternalMetric;
export type MetricType = Metric['type'];

export interface ScalingPolicy { pods?: number; percent?: number; period: Duration }
export interface ScalingRules {
  stabilization?: Duration;
  cooldown?: Duration;
  delay?: Duration; // scaleDown only
  policies?: ScalingPolicy[];
  select?: 'max' | 'min' | 'disabled';
  tolerance?: number; // HPA behavior.scaleUp/scaleDown.tolerance
  step?: { count?: number; percent?: number }; // Azure ChangeCount / PercentChangeCount
}
export interface Behavior {
  evaluationInterval?: Duration;
  tolerance?: number;
  scaleUp?: ScalingRules;
  scaleDown?: ScalingRules;
  toZero?: { after?: Duration };
  flapping?: 'guard' | 'off';
  panic?: { window?: number; threshold?: number }; // Knative panic-window-percentage, panic-threshold-percentage
}

export interface Schedule {
  name: string;
  recurring?: { days: Weekday[]; start: string; end: string };
  dates?: { start: string; end: string };
  cron?: string;
  duration?: Duration;
  timezone?: string;
  min?: number;
  max?: number;
}

export type Pause = boolean | { replicas?: number; scaleIn?: boolean; scaleOut?: boolean };

export interface Autoscale {
  min: number;
  max: number;
  initial?: number;
  default?: number;
  metrics?: Metric[];
  combine?: string; // 'max' or a formula
  behavior?: Behavior;
  fallback?: { after?: number; replicas: number };
  schedules?: Schedule[];
  pause?: Pause;
}

export interface Traffic {
  requestTimeout?: Duration;
  queueTimeout?: Duration;
  instanceIdleTimeout?: Duration;
  coldStart?: Duration;
}

export interface Resources { cpu?: string; memory?: string }
export interface Routing { affinity?: 'none' | 'sticky' }

// The part of a service that adapters make true: what is planned and applied.
export interface ServiceSpec {
  replicas?: number;
  autoscale?: Autoscale;
  traffic?: Traffic;
  resources?: Resources;
  routing?: Routing;
}

export interface ServiceConfig {
  name: string;
  provider: string;
  target: string;
  spec: ServiceSpec;
  source?: string; // absolute path of the readiness checker's root
  readiness?: { ignore?: string[] };
  extensions: Record<string, unknown>; // x-<adapter> passthrough, keyed without the "x-"
}

export interface ProviderConfig {
  name: string;
  adapter: string;
  settings: Record<string, unknown>; // everything but `adapter`
}

export interface ScalingConfig {
  version: 1;
  file: string; // absolute path of scaling.yaml
  dir: string; // its folder: relative paths resolve here
  hash: string; // sha256 of the file's bytes (stale-plan detection)
  providers: Record<string, ProviderConfig>;
  defaults: { provider: string };
  services: ServiceConfig[];
  // "file:line" of each field path ("services.web.autoscale.max") for plan causes.
  locations: Record<string, string>;
  // line and column of each field path's value, for diagnostics found after parsing (targets).
  positions: Record<string, { line: number; col: number }>;
  // The environment this model is (undefined = the base), and every environment the file defines.
  environment?: string;
  environments?: string[];
  // Problems that do not stop planning (min == max, target above limit, …), as file:line:col lines.
  warnings: string[];
}

// The mock cloud, built in and the default when no provider is named.
export const DEFAULT_PROVIDER: ProviderConfig = { name: 'mock', adapter: 'mock', settings: {} };
