// scaling.yaml `behavior` ↔ HPA autoscaling/v2 `behavior` (also KEDA's
// advanced.horizontalPodAutoscalerConfig.behavior), with the API server's defaults stripped on read.
import type { Behavior, ScalingPolicy, ScalingRules } from '../../src/config/model.js';
import { durationMs, formatDuration } from '../../src/config/duration.js';
import { quantityValue } from './quantity.js';

type Obj = Record<string, any>;
const SELECT = { max: 'Max', min: 'Min', disabled: 'Disabled' } as const;
const SELECT_BACK: Record<string, ScalingRules['select']> = { Max: 'max', Min: 'min', Disabled: 'disabled' };

// kubernetes pkg/apis/autoscaling/v2/defaults.go
const DEFAULT_POLICIES: Record<'scaleUp' | 'scaleDown', Obj[]> = {
  scaleUp: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
  scaleDown: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};
const DEFAULT_WINDOW: Record<'scaleUp' | 'scaleDown', number | undefined> = { scaleUp: 0, scaleDown: undefined };

function rulesToHpa(rules: ScalingRules | undefined, tolerance: number | undefined): Obj | undefined {
  if (!rules && tolerance === undefined) return undefined;
  const out: Obj = {};
  if (rules?.stabilization !== undefined) out.stabilizationWindowSeconds = Math.round(durationMs(rules.stabilization) / 1000);
  if (rules?.select) out.selectPolicy = SELECT[rules.select];
  if (rules?.policies) {
    out.policies = rules.policies.map((p) => ({
      type: p.pods !== undefined ? 'Pods' : 'Percent',
      value: p.pods ?? p.percent,
      periodSeconds: Math.round(durationMs(p.period) / 1000),
    }));
  }
  // Per direction (HPA behavior.scaleUp/scaleDown.tolerance, feature gate HPAConfigurableTolerance).
  const perDirection = rules?.tolerance ?? tolerance;
  if (perDirection !== undefined) out.tolerance = String(perDirection);
  return out;
}

// The HPA behavior for a scaling.yaml behavior, or undefined when nothing HPA holds is set.
export function behaviorToHpa(behavior: Behavior | undefined): Obj | undefined {
  if (!behavior) return undefined;
  const scaleUp = rulesToHpa(behavior.scaleUp, behavior.tolerance);
  const scaleDown = rulesToHpa(behavior.scaleDown, behavior.tolerance);
  if (!scaleUp && !scaleDown) return undefined;
  return { ...(scaleUp ? { scaleUp } : {}), ...(scaleDown ? { scaleDown } : {}) };
}

function samePolicies(a: Obj[] | undefined, b: Obj[]): boolean {
  const key = (p: Obj) => `${p.type}/${p.value}/${p.periodSeconds}`;
  return (a ?? []).map(key).join(',') === b.map(key).join(',');
}

function rulesFromHpa(direction: 'scaleUp' | 'scaleDown', live: Obj | undefined, desired: ScalingRules | undefined): ScalingRules | undefined {
  if (!live) return undefined;
  const out: ScalingRules = {};
  const window = live.stabilizationWindowSeconds;
  if (window !== undefined && (desired?.stabilization !== undefined || window !== DEFAULT_WINDOW[direction])) {
    out.stabilization = formatDuration(window * 1000);
  }
  if (live.selectPolicy && (desired?.select !== undefined || live.selectPolicy !== 'Max')) out.select = SELECT_BACK[live.selectPolicy];
  if (live.policies && (desired?.policies !== undefined || !samePolicies(live.policies, DEFAULT_POLICIES[direction]))) {
    out.policies = live.policies.map((p: Obj): ScalingPolicy => ({
      ...(p.type === 'Pods' ? { pods: p.value } : { percent: p.value }),
      period: formatDuration(p.periodSeconds * 1000),
    }));
  }
  return Object.keys(out).length ? out : undefined;
}

// The scaling.yaml behavior an HPA behavior means; server defaults the file did not ask for are left out.
export function behaviorFromHpa(live: Obj | undefined, desired: Behavior | undefined): Behavior | undefined {
  if (!live) return undefined;
  const out: Behavior = {};
  const up = rulesFromHpa('scaleUp', live.scaleUp, desired?.scaleUp);
  const down = rulesFromHpa('scaleDown', live.scaleDown, desired?.scaleDown);
  const tolerances = [live.scaleUp?.tolerance, live.scaleDown?.tolerance].map((t) => quantityValue(t));
  const perDirection = desired?.scaleUp?.tolerance !== undefined || desired?.scaleDown?.tolerance !== undefined;
  let upRules = up;
  let downRules = down;
  if (!perDirection && tolerances[0] !== undefined && tolerances[0] === tolerances[1]) out.tolerance = tolerances[0];
  else {
    // A direction's own tolerance where the file has one (or the live one differs from the shared one).
    const own = (t: number | undefined, wanted: ScalingRules | undefined) => t !== undefined && (wanted?.tolerance !== undefined || t !== desired?.tolerance);
    if (own(tolerances[0], desired?.scaleUp)) upRules = { ...upRules, tolerance: tolerances[0] };
    else if (tolerances[0] !== undefined) out.tolerance = tolerances[0];
    if (own(tolerances[1], desired?.scaleDown)) downRules = { ...downRules, tolerance: tolerances[1] };
    else if (tolerances[1] !== undefined) out.tolerance = tolerances[1];
  }
  if (upRules) out.scaleUp = upRules;
  if (downRules) out.scaleDown = downRules;
  return Object.keys(out).length ? out : undefined;
}
