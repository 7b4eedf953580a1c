// Fields the API server accepted but did not keep: unknown to its schema (an older API or CRD
// version prunes them, with only a Warning header) or behind a feature gate that is off (dropped
// silently whatever fieldValidation says). Found by reading back what a write stored.

type Obj = Record<string, any>;

// Fields known to sit behind a feature gate, and what that means for the user.
const GATED: Array<{ path: RegExp; why: string }> = [
  {
    path: /^spec\.behavior\.scale(Up|Down)\.tolerance$/,
    why: 'the HPAConfigurableTolerance feature gate is off (alpha in Kubernetes 1.33): the cluster-wide tolerance (0.1) applies',
  },
  {
    path: /^spec\.advanced\.horizontalPodAutoscalerConfig\.behavior\.scale(Up|Down)\.tolerance$/,
    why: "this KEDA's ScaledObject schema has no behavior tolerance (KEDA built on the Kubernetes API before 1.33): the cluster-wide tolerance (0.1) applies",
  },
];

function leaves(value: unknown, path: string[], out: string[]): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value as Obj)) leaves(child, [...path, key], out);
  } else if (value !== undefined && value !== null) out.push(path.join('.'));
}

function has(obj: Obj, path: string): boolean {
  let at: any = obj;
  for (const key of path.split('.')) {
    if (!at || typeof at !== 'object' || !(key in at)) return false;
    at = at[key];
  }
  return at !== undefined && at !== null;
}

// The spec fields `sent` sets that `stored` (the server's answer) no longer has.
export function droppedFields(sent: Obj, stored: Obj): string[] {
  const paths: string[] = [];
  leaves(sent.spec, ['spec'], paths);
  return paths.filter((path) => !has(stored, path));
}

// One line naming what the server dropped from `label` and why (the gate, or an old API/CRD).
export function droppedLine(label: string, dropped: string[]): string | undefined {
  if (!dropped.length) return undefined;
  const reasons = new Set(dropped.map((path) => GATED.find((g) => g.path.test(path))?.why
    ?? 'the server does not know the field (an older API or CRD version): upgrade it to use this setting'));
  return `${label}: the API server dropped ${dropped.join(', ')} — ${[...reasons].join('; ')}`;
}
