// What the Kubernetes adapter can express per target kind, with or without KEDA in the cluster.
import type { Capabilities, FieldSupport, ObservedTarget } from '../contract.js';
import { limitSupport } from './limits.js';
import type { TargetKind } from './target.js';

const native = (note?: string): FieldSupport => ({ support: 'native', ...(note ? { note } : {}) });
const no = (alternative: string, note?: string): FieldSupport => ({ support: 'unsupported', alternative, ...(note ? { note } : {}) });

const KEDA_WAY = 'install KEDA (ScaledObject cron trigger)';

function workloadFields(keda: boolean, schedules: string[]): Record<string, FieldSupport> {
  const scaler = keda ? 'as a KEDA ScaledObject or an HPA autoscaling/v2' : 'as HPA autoscaling/v2';
  const fields: Record<string, FieldSupport> = {
    replicas: native('via the /scale subresource'),
    'autoscale.min': native(scaler),
    'autoscale.max': native(scaler),
    'autoscale.combine': no('remove combine: an HPA always takes the largest metric (combine: max)'),
    'autoscale.initial': no('use a ksvc target (initial-scale)'),
    'autoscale.default': no('use fallback with KEDA'),
    'autoscale.pause': no('suspend the HPA by hand (selectPolicy: Disabled) or use the mock cloud'),
    'autoscale.metrics[cpu]': native('HPA Resource metric (containers need resource requests)'),
    'autoscale.metrics[memory]': native('HPA Resource metric (containers need resource requests)'),
    'autoscale.metrics[rps]': native('HPA Pods metric: a custom metrics adapter must serve it'),
    'autoscale.metrics[rps].window': no('set the window in your metrics adapter'),
    'autoscale.metrics[concurrency]': native('HPA Pods metric: a custom metrics adapter must serve it'),
    'autoscale.metrics[concurrency].limit': no('use a ksvc target (containerConcurrency) or a proxy in front'),
    'autoscale.metrics[concurrency].utilization': no('use a ksvc target (target-utilization-percentage)'),
    'autoscale.metrics[queue]': keda ? native('KEDA scaler trigger') : native('HPA External metric: an external metrics adapter must serve it'),
    'autoscale.metrics[queue].activation': keda ? native('KEDA activation threshold') : no('install KEDA (activation thresholds)'),
    'autoscale.metrics[external]': keda ? native('KEDA scaler trigger') : native('HPA External metric: an external metrics adapter must serve it'),
    'autoscale.behavior.scaleUp.stabilization': native('HPA behavior'),
    'autoscale.behavior.scaleUp.policies': native('HPA behavior'),
    'autoscale.behavior.scaleUp.select': native('HPA selectPolicy'),
    'autoscale.behavior.scaleDown.stabilization': native('HPA behavior'),
    'autoscale.behavior.scaleDown.policies': native('HPA behavior'),
    'autoscale.behavior.scaleDown.select': native('HPA selectPolicy'),
    'autoscale.behavior.tolerance': native('HPA tolerance (Kubernetes ≥ 1.33, HPAConfigurableTolerance)'),
    'autoscale.behavior.scaleUp.tolerance': native('HPA behavior.scaleUp.tolerance (Kubernetes ≥ 1.33, feature gate HPAConfigurableTolerance)'),
    'autoscale.behavior.scaleDown.tolerance': native('HPA behavior.scaleDown.tolerance (Kubernetes ≥ 1.33, feature gate HPAConfigurableTolerance)'),
    'autoscale.behavior.scaleUp.step': no('an HPA scales to the computed count: use policies (pods or percent per period) to limit the step'),
    'autoscale.behavior.scaleDown.step': no('an HPA scales to the computed count: use policies (pods or percent per period) to limit the step'),
    'autoscale.behavior.panic': no('use a ksvc target (Knative panic mode)'),
    'autoscale.metrics[concurrency].window': no('use a ksvc target (Knative window)'),
    'autoscale.metrics[concurrency].burstCapacity': no('use a ksvc target (Knative target-burst-capacity)'),
    'autoscale.metrics[cpu].window': no('the HPA reads the metrics server\'s current value; smooth with scaleDown/scaleUp stabilization'),
    'autoscale.metrics[memory].window': no('the HPA reads the metrics server\'s current value; smooth with scaleDown/scaleUp stabilization'),
    'autoscale.metrics[queue].window': no('average in the metric source (e.g. a Prometheus query over a range) or use stabilization'),
    'autoscale.metrics[external].window': no('average in the metric source (e.g. a Prometheus query over a range) or use stabilization'),
    'autoscale.behavior.scaleUp.cooldown': no('use stabilization (HPA has no cooldown)'),
    'autoscale.behavior.scaleDown.cooldown': no('use stabilization (HPA has no cooldown)'),
    'autoscale.behavior.scaleDown.delay': no('use a ksvc target (scale-down-delay) or stabilization'),
    'autoscale.behavior.flapping': no('HPA has no flapping guard; use scaleDown.stabilization'),
    'autoscale.behavior.evaluationInterval': keda ? native('KEDA pollingInterval') : no('install KEDA (pollingInterval); the HPA sync period is cluster-wide'),
    'autoscale.behavior.toZero': keda ? native('KEDA cooldownPeriod') : no('install KEDA (cooldownPeriod)'),
    'autoscale.fallback': keda ? native('KEDA fallback') : no('install KEDA (ScaledObject fallback)'),
    'autoscale.schedules': keda ? native('KEDA cron trigger (raises the minimum)') : no(KEDA_WAY),
    'resources.cpu': native('container requests: changes the pod template, rolls the pods out'),
    'resources.memory': native('container requests and limit: changes the pod template, rolls the pods out'),
    'routing.affinity': native('Service sessionAffinity: ClientIP'),
    traffic: no('use a ksvc target (timeoutSeconds) or your ingress timeouts'),
  };
  for (const name of schedules) {
    fields[`autoscale.schedules[${name}].max`] = no('KEDA cron triggers only raise the minimum; remove max');
    fields[`autoscale.schedules[${name}].dates`] = no('write the window as recurring days or cron + duration');
  }
  return fields;
}

function knativeFields(): Record<string, FieldSupport> {
  return {
    replicas: native('min-scale = max-scale'),
    'autoscale.min': native('autoscaling.knative.dev/min-scale'),
    'autoscale.max': native('autoscaling.knative.dev/max-scale'),
    'autoscale.initial': native('autoscaling.knative.dev/initial-scale'),
    'autoscale.combine': no('remove combine: Knative scales on one metric'),
    'autoscale.metrics[concurrency]': native('Knative target / containerConcurrency'),
    'autoscale.metrics[rps]': native('Knative metric: rps'),
    'autoscale.metrics[rps].window': native('autoscaling.knative.dev/window (the stable window)'),
    'autoscale.metrics[concurrency].window': native('autoscaling.knative.dev/window (the stable window)'),
    'autoscale.metrics[concurrency].burstCapacity': native('autoscaling.knative.dev/target-burst-capacity'),
    'autoscale.metrics[cpu].window': no('Knative\'s HPA class reads the current value; use the mock cloud for averaged windows'),
    'autoscale.metrics[memory].window': no('Knative\'s HPA class reads the current value; use the mock cloud for averaged windows'),
    'autoscale.behavior.panic': native('autoscaling.knative.dev/panic-window-percentage and panic-threshold-percentage'),
    'autoscale.metrics[cpu]': native('Knative HPA class'),
    'autoscale.metrics[cpu].averageValue': no('use cpu utilization (Knative\'s HPA class targets a cpu percentage)'),
    'autoscale.metrics[memory]': native('Knative HPA class'),
    'autoscale.metrics[memory].utilization': no('use memory averageValue (Knative\'s HPA class targets memory in Mi)'),
    'autoscale.metrics[queue]': no('target a deployment and install KEDA'),
    'autoscale.metrics[external]': no('target a deployment and install KEDA'),
    'autoscale.behavior.scaleDown.delay': native('autoscaling.knative.dev/scale-down-delay'),
    'autoscale.behavior': no('Knative global autoscaler settings (config-autoscaler ConfigMap)'),
    'autoscale.schedules': no('target a deployment and install KEDA (ScaledObject cron trigger)'),
    'autoscale.fallback': no('target a deployment and install KEDA'),
    'autoscale.default': no('target a deployment and install KEDA'),
    'autoscale.pause': no('use the mock cloud'),
    'traffic.requestTimeout': native('timeoutSeconds on the revision template (new revision)'),
    traffic: no('Knative has no per-service queue or idle timeout'),
    'resources.cpu': native('container requests (new revision)'),
    'resources.memory': native('container requests and limit (new revision)'),
    routing: no('Knative routes by revision; session affinity needs your ingress'),
  };
}

// Capabilities of one target; KEDA presence comes from what read observed.
export function capabilitiesFor(kind: TargetKind | undefined, observed?: ObservedTarget): Capabilities {
  const caps = baseCapabilities(kind, observed);
  // What only the desired spec reveals (read lists it): unsupported per key.
  for (const key of String(observed?.details?.unsupported ?? '').split(', ').filter(Boolean)) caps.fields[key] = limitSupport(key, kind);
  return caps;
}

function baseCapabilities(kind: TargetKind | undefined, observed?: ObservedTarget): Capabilities {
  if (kind === 'ksvc') return { fields: knativeFields() };
  const keda = observed?.details?.keda === true;
  const schedules = String(observed?.details?.schedules ?? '').split(',').filter(Boolean);
  const fields = workloadFields(keda, schedules);
  if (observed?.details?.backend === 'keda') {
    // One workload, one scaler: with a ScaledObject in charge there is no HPA to carry Pods metrics.
    const http = no('a ScaledObject has no request-rate trigger: use an external metric (e.g. prometheus) or a ksvc target');
    fields['autoscale.metrics[rps]'] = http;
    fields['autoscale.metrics[concurrency]'] = http;
    fields['autoscale.metrics[cpu]'] = native('KEDA cpu trigger (containers need resource requests)');
    fields['autoscale.metrics[memory]'] = native('KEDA memory trigger (containers need resource requests)');
  }
  return { fields };
}
