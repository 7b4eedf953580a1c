// The one adapter contract. Every adapter — mock cloud, Docker, Kubernetes, or a third-party
// package named in `providers.<name>.adapter` — default-exports `defineAdapter(factory)`.
//
// The planner never talks to an adapter: the CLI asks adapters to `read` live state, hands that
// to the pure planner together with each adapter's `capabilities`, and later gives each planned
// service to `apply`. Adapters speak scaling.yaml's vocabulary (ServiceSpec) on both sides and
// translate to their platform internally.
import type { ProviderConfig, ServiceSpec } from '../src/config/model.js';

/** How an adapter realises a scaling.yaml field for a target. */
export type Support = 'native' | 'emulated' | 'unsupported';

export interface FieldSupport {
  support: Support;
  /** Shown in the plan next to the field, e.g. "as HPA autoscaling/v2" or "rolls the pods out". */
  note?: string;
  /** For `unsupported`: what the user can do instead (another adapter, a plugin, a key to remove). */
  alternative?: string;
}

/**
 * What an adapter can express for one target. Keys are field patterns in the planner's flat
 * field vocabulary: `replicas`, `autoscale.min`, `autoscale.metrics[cpu]`,
 * `autoscale.behavior`, `autoscale.schedules`, `traffic.requestTimeout`, `resources.cpu`,
 * `routing.affinity` … A field takes the support of the longest pattern that is a prefix of it
 * (at a `.` or `[` boundary); a field no pattern covers takes `fallback`, and without one it
 * is `unsupported`. Capabilities are declared, never probed at plan time — but they may depend
 * on what `read` observed (a cluster with or without the KEDA CRDs).
 */
export interface Capabilities {
  fields: Record<string, FieldSupport>;
  fallback?: FieldSupport;
  /**
   * The most instances this adapter can run for the target (every count in the spec: replicas,
   * autoscale max, schedule bounds). Planning refuses a spec above it. Absent: 2^31−1, the
   * largest count scaling.yaml takes.
   */
  maxReplicas?: number;
}

/**
 * One target to observe: the service's name, its `target:` string and its extensions — every
 * `x-<name>` key of the service, keyed without the `x-` (`x-docker: {…}` arrives as
 * `extensions.docker`). An adapter reads its own key and ignores the others.
 */
export interface TargetRequest {
  service: string;
  target: string;
  extensions: Record<string, unknown>;
  /** The desired spec, for adapters whose reading depends on it (never to be written by read). */
  desired: ServiceSpec;
}

/** Live state of one target, in scaling.yaml's vocabulary. */
export interface ObservedTarget {
  /** False when the target does not exist yet (the plan then creates it, or errors). */
  exists: boolean;
  /**
   * What the adapter observed, opaque to everyone else: a resourceVersion, a Swarm version
   * index, container ids, a state revision. Present even when the target does not exist, so a
   * saved plan can be proven stale. Two reads of an unchanged target give the same fingerprint.
   */
  fingerprint: string;
  /** Live scaling state; only the fields the platform holds. */
  spec: ServiceSpec;
  /** Instances the platform wants and has ready, when it can tell. */
  instances?: { desired: number; ready: number };
  /** Adapter-specific facts worth showing (`hpa: web`, `schedule: business-hours`). */
  details?: Record<string, string | number | boolean>;
  /** Facts the planner must turn into plan warnings (e.g. "a custom metrics adapter must serve rps"). */
  warnings?: string[];
  /** Set instead of throwing when this one target could not be read. */
  error?: string;
}

/** One field of a planned change, as the plan record holds it. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  support: Support;
  cause?: string;
  note?: string;
}

/** What `apply` receives: one service's whole planned change. */
export interface ChangeRequest {
  service: string;
  target: string;
  extensions: Record<string, unknown>;
  /**
   * The complete desired spec: adapters converge to it, using `changes` to know what moved.
   * An autoscaled spec that also carries `replicas` (never valid in scaling.yaml) comes from
   * `scalectl autoscale`: set the count to `replicas` and leave everything else as it is.
   */
  desired: ServiceSpec;
  changes: FieldChange[];
  /** The fingerprint the plan observed. The adapter refuses (StalePlanError) if the live one differs. */
  fingerprint: string;
}

export interface ApplyOptions {
  /** Validate and report what would be done; change nothing (server-side dry run where the platform has one). */
  dryRun: boolean;
  /**
   * Aborted on Ctrl-C. An adapter stops starting new steps, finishes or rolls back the step in
   * flight, and throws an AdapterError whose `done` lists the steps that completed.
   */
  signal: AbortSignal;
  /** Progress lines for the person watching ("created shop-web-3"). */
  progress?: (message: string) => void;
}

export interface ApplyResult {
  /** Human lines, one per step actually done (or, with dryRun, that would be done). */
  done: string[];
  /**
   * The instance count the change moved, when the adapter moved it (not on a dry run): `from` 0 for
   * a target created. `scalectl events` records it (actor apply); without it, only a planned
   * `replicas` change is recorded.
   */
  count?: { from: number; to: number };
}

export interface AdapterContext {
  provider: ProviderConfig;
  /** Folder of scaling.yaml: relative settings (state dirs, kubeconfig paths) resolve here. */
  configDir: string;
  /**
   * The scaling.yaml environment being worked on (undefined = the base). Providers already carry
   * the environment's settings; an adapter that keeps its own state keeps one per environment.
   */
  environment?: string;
  env: NodeJS.ProcessEnv;
  /** Verbose diagnostics (-v); never credentials. */
  debug: (message: string) => void;
}

/** A live adapter for one provider. */
export interface Adapter {
  /** The adapter's name as written in `providers.<name>.adapter` (mock, docker, kubernetes, …). */
  readonly name: string;
  /**
   * Checks a `target:` string's shape before anything else runs.
   * Returns an error message (what was expected, with an example) or undefined.
   */
  parseTarget(target: string): string | undefined;
  /** What the adapter can express for this target (see Capabilities). Pure and synchronous. */
  capabilities(target: string, observed?: ObservedTarget): Capabilities;
  /**
   * Observes the given targets, one result per request in the same order. Throws an
   * AdapterError only when nothing could be read (platform unreachable, bad credentials);
   * a single unreadable target sets `error` on its result.
   */
  read(requests: TargetRequest[], options: { signal: AbortSignal }): Promise<ObservedTarget[]>;
  /**
   * Makes one service's planned change true. Either it converges the target to `desired` and
   * resolves, or it throws an AdapterError: `retryable` when trying the same call again may
   * succeed (timeouts, 5xx, conflicts on a lock), and `done` listing every step that took
   * effect before the failure. A StalePlanError when the live fingerprint is not the plan's.
   * Must never report a step it did not see succeed.
   */
  apply(change: ChangeRequest, options: ApplyOptions): Promise<ApplyResult>;
  /**
   * Optional: a batch for one apply run. The engine sends the run's changes for this adapter
   * to the batch's `apply` instead, then calls `commit` once after the last one and `close`
   * at the end. Results are reported only after `commit` resolves; when it throws, none of the
   * batch's changes took effect and every one is reported failed. Adapters whose every call is
   * durable on its own (most) do not implement it; callers other than the engine keep using
   * `apply`, which stays durable per call.
   */
  batch?(): AdapterBatch;
  /** Releases connections; called once by the CLI. */
  close?(): Promise<void>;
}

/** See Adapter.batch. */
export interface AdapterBatch {
  apply(change: ChangeRequest, options: ApplyOptions): Promise<ApplyResult>;
  /** Makes every change applied through the batch durable at once. */
  commit(): Promise<void>;
  /** Releases what the batch holds (locks); called after commit, or instead of it. */
  close(): Promise<void>;
}

export type AdapterFactory = (context: AdapterContext) => Adapter | Promise<Adapter>;

/** Declares an adapter: a typed identity, so third-party adapters get the contract's types. */
export function defineAdapter(factory: AdapterFactory): AdapterFactory {
  return factory;
}
