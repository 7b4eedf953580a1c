// The validation the API server (or the CRD's admission webhook) does beyond the OpenAPI schema,
// with the real servers' field paths and wording.
type Obj = Record<string, any>;

const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function invalid(path: string, value: unknown, detail: string): never {
  throw new Error(`${path}: Invalid value: ${JSON.stringify(value)}: ${detail}`);
}

function checkHpa(spec: Obj): void {
  if (spec.maxReplicas < 1) invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to 1');
  if (spec.minReplicas !== undefined && spec.minReplicas < 1) {
    invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1');
  }
  if ((spec.minReplicas ?? 1) > spec.maxReplicas) invalid('spec.maxReplicas', spec.maxReplicas, 'must be greater than or equal to `minReplicas`');
  for (const [index, metric] of (spec.metrics ?? []).entries()) {
    const source = metric[String(metric.type).charAt(0).toLowerCase() + String(metric.type).slice(1)];
    if (!source) throw new Error(`spec.metrics[${index}]: Required value: must populate information for the given metric source`);
    const target = source.target;
    if (!target) throw new Error(`spec.metrics[${index}].target: Required value: must specify a metric target`);
    if (target.type === 'Utilization' && !(target.averageUtilization > 0)) {
      invalid(`spec.metrics[${index}].target.averageUtilization`, target.averageUtilization, 'must be greater than 0');
    }
    if (target.type === 'AverageValue' && target.averageValue === undefined) {
      throw new Error(`spec.metrics[${index}].target.averageValue: Required value: must set either a target value or averageValue`);
    }
  }
  for (const direction of ['scaleUp', 'scaleDown']) {
    const rules = spec.behavior?.[direction];
    if (!rules) continue;
    const path = `spec.behavior.${direction}`;
    const window = rules.stabilizationWindowSeconds;
    if (window !== undefined && (window < 0 || window > 3600)) invalid(`${path}.stabilizationWindowSeconds`, window, 'must be less than or equal to 3600');
    for (const [index, policy] of (rules.policies ?? []).entries()) {
      if (!(policy.value > 0)) invalid(`${path}.policies[${index}].value`, policy.value, 'must be greater than zero');
      if (!(policy.periodSeconds > 0 && policy.periodSeconds <= 1800)) {
        invalid(`${path}.policies[${index}].periodSeconds`, policy.periodSeconds, 'must be greater than zero and less than or equal to 1800');
      }
    }
  }
}

function checkWorkload(obj: Obj): void {
  const spec = obj.spec;
  if (spec.replicas !== undefined && spec.replicas < 0) invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0');
  const selector: Record<string, string> = spec.selector?.matchLabels ?? {};
  const labels: Record<string, string> = spec.template?.metadata?.labels ?? {};
  if (Object.entries(selector).some(([key, value]) => labels[key] !== value)) {
    invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`');
  }
  const names = new Set<string>();
  for (const [index, container] of (spec.template?.spec?.containers ?? []).entries()) {
    if (names.has(container.name)) throw new Error(`spec.template.spec.containers[${index}].name: Duplicate value: "${container.name}"`);
    names.add(container.name);
  }
}

function checkScaledObject(spec: Obj): void {
  const min = spec.minReplicaCount ?? 0;
  const max = spec.maxReplicaCount ?? 100;
  if (min > max) throw new Error(`MinReplicaCount=${min} must be less than MaxReplicaCount=${max}`);
  for (const trigger of spec.triggers ?? []) {
    if (trigger.type !== 'cron') continue;
    const { start, end, desiredReplicas, timezone } = trigger.metadata ?? {};
    if (!start || !end || !desiredReplicas || !timezone) throw new Error('error parsing cron metadata: start, end, timezone and desiredReplicas are required');
    if (start === end) throw new Error('error parsing cron metadata: start and end can not have exactly same time input');
  }
}

const KNATIVE_INT = ['min-scale', 'max-scale', 'initial-scale'];

function checkKnative(spec: Obj): void {
  const template = spec.template ?? {};
  const annotations: Record<string, string> = template.metadata?.annotations ?? {};
  const values: Record<string, number> = {};
  for (const key of KNATIVE_INT) {
    const raw = annotations[`autoscaling.knative.dev/${key}`];
    if (raw === undefined) continue;
    if (!/^\d+$/.test(raw)) invalid(`spec.template.metadata.annotations.autoscaling.knative.dev/${key}`, raw, 'expected an int >= 0');
    values[key] = Number(raw);
  }
  if (values['max-scale'] && values['min-scale'] > values['max-scale']) {
    invalid('spec.template.metadata.annotations.autoscaling.knative.dev/min-scale', values['min-scale'], 'min-scale must be less than or equal to max-scale');
  }
  const metric = annotations['autoscaling.knative.dev/metric'];
  const klass = annotations['autoscaling.knative.dev/class'] ?? 'kpa.autoscaling.knative.dev';
  if (metric && klass === 'kpa.autoscaling.knative.dev' && !['concurrency', 'rps'].includes(metric)) {
    invalid('spec.template.metadata.annotations.autoscaling.knative.dev/metric', metric, 'the KPA class supports concurrency and rps');
  }
  const target = annotations['autoscaling.knative.dev/target'];
  if (target !== undefined && !(Number(target) >= 0.01)) invalid('spec.template.metadata.annotations.autoscaling.knative.dev/target', target, 'must be at least 0.01');
  const podSpec = template.spec ?? {};
  if (podSpec.containerConcurrency !== undefined && (podSpec.containerConcurrency < 0 || podSpec.containerConcurrency > 1000)) {
    invalid('spec.template.spec.containerConcurrency', podSpec.containerConcurrency, 'must be between 0 and 1000');
  }
  if (podSpec.timeoutSeconds !== undefined && (podSpec.timeoutSeconds < 0 || podSpec.timeoutSeconds > 600)) {
    invalid('spec.template.spec.timeoutSeconds', podSpec.timeoutSeconds, 'must be between 0 and 600 (max-revision-timeout-seconds)');
  }
}

// Throws the server's message when `obj` passes the schema but not the server's own rules.
export function semanticChecks(kind: string, obj: Obj): void {
  const name = obj.metadata?.name;
  if (kind !== 'Scale' && (typeof name !== 'string' || name.length > 253 || !DNS1123.test(name))) {
    invalid('metadata.name', name, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'");
  }
  if (kind === 'HorizontalPodAutoscaler') checkHpa(obj.spec ?? {});
  else if (kind === 'Deployment' || kind === 'StatefulSet') checkWorkload(obj);
  else if (kind === 'ScaledObject') checkScaledObject(obj.spec ?? {});
  else if (kind === 'Service.serving.knative.dev') checkKnative(obj.spec ?? {});
  else if (kind === 'Scale' && obj.spec?.replicas !== undefined && obj.spec.replicas < 0) {
    invalid('spec.replicas', obj.spec.replicas, 'must be greater than or equal to 0');
  }
}
