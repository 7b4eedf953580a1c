// Paths into scaling.yaml as people type them: `autoscale.max`, `autoscale.metrics[cpu].utilization`,
// `autoscale.schedules[business-hours].min`, `autoscale.metrics[0].target` (the planner's field names).
import { UsageError } from '../errors.js';

// A mapping key, a list item picked by its `type`/`name` (a string) or by its position (a number).
export type Segment = string | { select: string | number };

const KEY = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

// Splits "a.b[c].d" into segments; throws a UsageError naming the bad part.
export function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  const pattern = /([^.[\]]+)|\[([^\]]*)\]|(\.)/g;
  let expectKey = true;
  let consumed = 0;
  for (const match of path.matchAll(pattern)) {
    if (match.index !== consumed) break;
    consumed += match[0].length;
    if (match[3]) {
      if (expectKey) throw pathError(path, 'a "." must follow a key or [item]');
      expectKey = true;
    } else if (match[1] !== undefined) {
      if (!expectKey || !KEY.test(match[1])) throw pathError(path, `"${match[1]}" is not a key`);
      segments.push(match[1]);
      expectKey = false;
    } else {
      const inner = match[2].trim();
      if (expectKey || inner === '') throw pathError(path, '[item] must follow a list key, as in metrics[cpu]');
      segments.push({ select: /^\d+$/.test(inner) ? Number(inner) : inner });
    }
  }
  if (consumed !== path.length || expectKey || segments.length === 0) throw pathError(path, 'it must end with a key or [item]');
  return segments;
}

function pathError(path: string, why: string): UsageError {
  return new UsageError(`cannot read the path "${path}": ${why}; expected a dotted path such as autoscale.max or autoscale.metrics[cpu].utilization`);
}

// "autoscale.metrics[cpu].utilization" again, for messages.
export function formatPath(segments: Segment[]): string {
  let text = '';
  for (const segment of segments) {
    if (typeof segment === 'string') text += text === '' ? segment : `.${segment}`;
    else text += `[${segment.select}]`;
  }
  return text;
}

// The key that names list items: metrics by `type`, schedules (and anything else) by `name`.
export function itemKeyOf(listKey: string | undefined): string {
  return listKey === 'metrics' ? 'type' : 'name';
}
