// The scaling.yaml v1 vocabulary: the single source of truth for validation and scaling.schema.json.
import {
  any, array, bool, duration, enumOf, int, map, number, object, oneOf, override, quantity, string, tagged,
} from './schema-dsl.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
export const NAME_PATTERN = '^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$';
export const NAME_HINT = 'letters, digits, "-", "_" and "." (starting and ending with a letter or digit)';

const percent = (doc: string) => number(doc, { min: 0, max: 100, exclusiveMin: true });
const metricSource = any('Where the metric comes from: { kind: rabbitmq|sqs|kafka|redis|prometheus|…, … } (passed to KEDA / the platform as is).');

const policy = object(
  {
    pods: int('Add or remove at most this many instances per period.', { min: 1 }),
    percent: number('Add or remove at most this percentage of the current instances per period.', { min: 0, exclusiveMin: true }),
    period: duration('The period the limit applies to (HPA periodSeconds, at most 30m).', { minMs: 1000, maxMs: 30 * MINUTE }),
  },
  { required: ['period'], doc: 'A rate limit on scaling: exactly one of pods or percent, per period.' },
);

const rules = (direction: 'up' | 'down') =>
  object({
    stabilization: duration(
      direction === 'up'
        ? 'Use the lowest recommendation of this window before scaling up (HPA default 0s, at most 1h).'
        : 'Use the highest recommendation of this window before scaling down (HPA default 5m, at most 1h).',
      { maxMs: HOUR },
    ),
    cooldown: duration('After a scaling action in this direction, wait this long before the next (Azure cooldown).'),
    ...(direction === 'down' ? { delay: duration('Keep capacity this long after load drops (Knative scale-down-delay, at most 1h).', { maxMs: HOUR }) } : {}),
    policies: array(policy, { doc: 'Rate limits; `select` says which wins.' }),
    select: enumOf(['max', 'min', 'disabled'], 'max: the policy allowing the largest change wins (HPA default); min: the smallest; disabled: never scale in this direction.'),
    tolerance: number(
      direction === 'up'
        ? 'Dead band for scaling up only: no scale-up while current/target ≤ 1 + tolerance (HPA behavior.scaleUp.tolerance; Kubernetes ≥ 1.33, feature gate HPAConfigurableTolerance).'
        : 'Dead band for scaling down only: no scale-down while current/target ≥ 1 − tolerance (HPA behavior.scaleDown.tolerance; Kubernetes ≥ 1.33, feature gate HPAConfigurableTolerance).',
      { min: 0, max: 1 },
    ),
    step: object(
      {
        count: int('Change by exactly this many instances per action (Azure ChangeCount).', { min: 1 }),
        percent: number('Change by this percentage of the current count per action, at least 1 (Azure PercentChangeCount).', { min: 0, exclusiveMin: true }),
      },
      { doc: 'Azure step rule: each action changes the count by a fixed step instead of jumping to the computed count; exactly one of count or percent.' },
    ),
  });

const metric = tagged(
  'type',
  {
    concurrency: object(
      {
        type: string(),
        target: number('Soft limit: in-flight requests per instance the autoscaler aims at.', { min: 0, exclusiveMin: true }),
        limit: int('Hard limit: in-flight requests one instance accepts; the excess is queued (FIFO).', { min: 1 }),
        utilization: percent('Percentage of the target actually aimed at (Knative target-utilization-percentage, default 100).'),
        window: duration('Stable window the in-flight count is averaged over (Knative window, 6s to 1h; default 60s on Knative, none elsewhere).', { minMs: 6000, maxMs: HOUR }),
        burstCapacity: number('Spare in-flight requests to keep before the activator leaves the request path (Knative target-burst-capacity; -1 = always through the activator, 0 = only from zero).', { min: -1 }),
      },
      { required: ['type'], doc: 'In-flight requests per instance (Container Apps / Knative semantics).' },
    ),
    rps: object(
      {
        type: string(),
        target: number('Requests per second per instance.', { min: 0, exclusiveMin: true }),
        window: duration('Averaging window (Knative window, 6s to 1h).', { minMs: 6000, maxMs: HOUR }),
      },
      { required: ['type', 'target'], doc: 'Requests per second per instance.' },
    ),
    cpu: object(
      {
        type: string(),
        utilization: number('Average CPU as a percentage of the requested CPU.', { min: 0, exclusiveMin: true }),
        averageValue: quantity('cpu', 'Average CPU per instance, e.g. "500m".'),
        window: duration('Average the metric over this window before deciding (Azure Monitor timeWindow; 1s to 12h).', { minMs: 1000, maxMs: 12 * HOUR }),
      },
      { required: ['type'], doc: 'CPU per instance: utilization or averageValue.' },
    ),
    memory: object(
      {
        type: string(),
        utilization: number('Average memory as a percentage of the requested memory.', { min: 0, exclusiveMin: true }),
        averageValue: quantity('memory', 'Average memory per instance, e.g. "400Mi".'),
        window: duration('Average the metric over this window before deciding (Azure Monitor timeWindow; 1s to 12h).', { minMs: 1000, maxMs: 12 * HOUR }),
      },
      { required: ['type'], doc: 'Memory per instance: utilization or averageValue.' },
    ),
    queue: object(
      {
        type: string(),
        source: metricSource,
        perInstance: number('Messages one instance should have waiting (AverageValue semantics).', { min: 0, exclusiveMin: true }),
        activation: number('Scale from zero only when the queue is longer than this (KEDA activation).', { min: 0 }),
        window: duration('Average the metric over this window before deciding (Azure Monitor timeWindow; 1s to 12h).', { minMs: 1000, maxMs: 12 * HOUR }),
      },
      { required: ['type', 'source', 'perInstance'], doc: 'Queue length divided per instance.' },
    ),
    external: object(
      {
        type: string(),
        source: metricSource,
        value: number('Target for the total value.', { min: 0, exclusiveMin: true }),
        averageValue: number('Target per instance.', { min: 0, exclusiveMin: true }),
        window: duration('Average the metric over this window before deciding (Azure Monitor timeWindow; 1s to 12h).', { minMs: 1000, maxMs: 12 * HOUR }),
      },
      { required: ['type', 'source'], doc: 'Any other metric: value (total) or averageValue (per instance).' },
    ),
  },
  'What drives the instance count; with several, the largest count wins (combine: max).',
);

const time = string('Local time of day, HH:MM.', { pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', patternHint: 'HH:MM, e.g. "08:00"' });
const dateTime = string('A date (YYYY-MM-DD), a local date and time in the schedule\'s zone (YYYY-MM-DDTHH:MM[:SS]), or an ISO 8601 timestamp with Z or an offset (2026-11-27T08:00:00+03:00; the zone is then ignored).', {
  pattern: '^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?([Zz]|[+-]\\d{2}:?\\d{2})?)?$',
  patternHint: 'YYYY-MM-DD, YYYY-MM-DDTHH:MM or an ISO 8601 timestamp, e.g. "2026-11-27T00:00" or "2026-11-27T00:00:00Z"',
});
const weekday = enumOf(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);

const schedule = object(
  {
    name: string('Names the schedule in plans and explanations.', { pattern: NAME_PATTERN, patternHint: NAME_HINT }),
    recurring: object(
      { days: array(weekday, { minItems: 1 }), start: time, end: time },
      { required: ['days', 'start', 'end'], doc: 'Every week on these days, from start to end (an end before start runs past midnight).' },
    ),
    dates: object({ start: dateTime, end: dateTime }, { required: ['start', 'end'], doc: 'Once, from start to end.' }),
    cron: string('Start times as a 5-field cron expression (minute hour day-of-month month day-of-week).'),
    duration: duration('With cron: how long each occurrence lasts.', { minMs: MINUTE }),
    timezone: string('IANA time zone, e.g. Europe/Moscow (default UTC).'),
    min: int('Hot instances while the schedule is in force.', { min: 0 }),
    max: int('Maximum instances while the schedule is in force.', { min: 1 }),
  },
  { required: ['name'], doc: 'Changes the bounds while in force, never the count. Dates win over recurring/cron; then the first match.' },
);

const autoscale = object(
  {
    min: int('Hot instances, always running (0 = scale to zero).', { min: 0 }),
    max: int('Maximum instances, hot plus cold (started on demand).', { min: 0 }),
    initial: int('Instances when the service is first created.', { min: 0 }),
    default: int('Instances while metrics are missing (Azure capacity.default).', { min: 0 }),
    metrics: array(metric, { keyBy: 'type', doc: 'Signals; the largest recommended count wins unless `combine` says otherwise.' }),
    combine: string('`max` (default), `min`, `avg`, or a formula over metric types, e.g. "max(concurrency, rps * 1.2)".'),
    behavior: object({
      evaluationInterval: duration('How often the autoscaler decides (HPA 15s).', { minMs: 1000, maxMs: HOUR }),
      tolerance: number('Dead band: no action while current/target is within 1 ± tolerance (HPA 0.1).', { min: 0, max: 1 }),
      scaleUp: rules('up'),
      scaleDown: rules('down'),
      toZero: object({ after: duration('Idle time before the last instance is removed (KEDA cooldownPeriod).') }),
      flapping: enumOf(['guard', 'off'], 'guard: before a scale-in, project the load on fewer instances and shrink or skip it (Azure).'),
      panic: object(
        {
          window: number('Panic window as a percentage of the stable window (Knative panic-window-percentage, 1–100, default 10).', { min: 1, max: 100 }),
          threshold: number('Enter panic mode when the panic-window load wants this percentage of the ready instances (Knative panic-threshold-percentage, 110–1000, default 200).', { min: 110, max: 1000 }),
        },
        { doc: 'Knative panic mode: on a burst, scale on the short window and never scale down until a stable window passes calm.' },
      ),
    }),
    fallback: object(
      {
        after: int('Failed metric reads before falling back.', { min: 1 }),
        replicas: int('Instances to hold while metrics fail.', { min: 0 }),
      },
      { required: ['replicas'], doc: 'What to do when metrics cannot be read (KEDA fallback).' },
    ),
    schedules: array(schedule, { keyBy: 'name', doc: 'Bounds that change with time.' }),
    pause: oneOf(
      [
        bool('true: hold the current count.'),
        object({
          replicas: int('Hold exactly this many.', { min: 0 }),
          scaleIn: bool('false: never scale in.'),
          scaleOut: bool('false: never scale out.'),
        }),
      ],
      'Stop autoscaling: true, { replicas: N }, { scaleIn: false } or { scaleOut: false }.',
    ),
  },
  { required: ['min', 'max'], doc: 'Autoscaling between min (hot) and max (hot + cold). Excludes `replicas`.' },
);

const service = object(
  {
    provider: string('Which provider runs it (a key of `providers`; default: defaults.provider).'),
    target: string('What to scale, in the adapter\'s terms: deployment/api, ksvc/api, compose:shop/web, service/web, container/worker … (mock cloud: any name; default: the service name).'),
    replicas: int('A fixed instance count (0 = stopped). Excludes `autoscale`.', { min: 0 }),
    autoscale,
    traffic: object({
      requestTimeout: duration('Longest a request may run.'),
      queueTimeout: duration('Longest a queued request waits for capacity before it is dropped.'),
      instanceIdleTimeout: duration('How long an idle cold instance lives.'),
      coldStart: duration('How long a cold instance takes to start (mock cloud and simulate).'),
    }),
    resources: object({
      cpu: quantity('cpu', 'CPU per instance: cores ("0.5", 2) or millicores ("500m").'),
      memory: quantity('memory', 'Memory per instance: 512Mi, 1Gi, 1G …'),
    }),
    routing: object({ affinity: enumOf(['none', 'sticky'], 'sticky: keep a client on one instance (WebSocket, in-memory sessions).') }),
    source: string('Folder of the service\'s source, scanned by the readiness checker (relative to scaling.yaml).'),
    readiness: object({ ignore: array(string('A rule id (e.g. polling-bot/grammy-long-polling) or a path glob.')) }),
  },
  { extensions: true, doc: 'One service: where it runs and how it scales.' },
);

const provider = object(
  {
    adapter: string('mock, docker, kubernetes, a path to an adapter module (./my-adapter.js), or an npm package name.'),
  },
  { required: ['adapter'], open: true, doc: 'A named connection: the adapter and its settings (context, namespace, host, …).' },
);

const providers = map(provider, { keyPattern: NAME_PATTERN, keyHint: NAME_HINT, doc: 'Named connections to platforms.' });
const defaults = object({ provider: string('The provider of services that name none (default: the built-in mock cloud).') });
const services = map(service, { keyPattern: NAME_PATTERN, keyHint: NAME_HINT, doc: 'The services of the application.' });

// One environment (staging, prod …): what it changes in the base. Checked on the merged file.
const environment = object(
  {
    providers: override(providers, 'Providers added, changed (merged key by key) or removed (null) in this environment.'),
    defaults: override(defaults, 'Defaults changed in this environment.'),
    services: override(services, 'Any part of any service: maps merge, a list replaces the base list, null removes a key; `<service>: null` leaves the service out.'),
  },
  { doc: 'Overrides of the base for one environment, selected with --env <name> or SCALECTL_ENV.' },
);

// The whole file.
export const scalingSchema = object(
  {
    version: int('The file format version: 1.', { min: 1, max: 1 }),
    providers,
    defaults,
    services,
    environments: map(environment, {
      keyPattern: NAME_PATTERN,
      keyHint: NAME_HINT,
      doc: 'Named environments (staging, prod …), each overriding providers, defaults and parts of services; the base alone stays valid.',
    }),
  },
  { required: ['version', 'services'], doc: 'scalectl scaling.yaml' },
);
