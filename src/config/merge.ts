// Deep merge of YAML syntax nodes for environments: maps merge key by key, anything else (a
// list, a scalar) replaces, `null` removes. The result reuses the original nodes, so every value
// keeps its source position: the validator reports a problem at the line that wrote it.
import { isAlias, isMap, isScalar, Pair, YAMLMap, type Document, type Node } from 'yaml';

export interface MergeResult {
  /** The merged node, or undefined when the override removed it. */
  node: Node | null | undefined;
  /** Dotted path (planner vocabulary) → offset of each value the override wrote or removed. */
  overrides: Map<string, number>;
}

const MAX_ALIAS_DEPTH = 100;

// Follows aliases (bounded: the validator reports runaway ones).
function deref(doc: Document, node: unknown): Node | null {
  let current = node;
  for (let depth = 0; isAlias(current) && depth < MAX_ALIAS_DEPTH; depth++) current = current.resolve(doc);
  return (current ?? null) as Node | null;
}

// `key:` with no value, `~` or `null`: the override removes what it names.
export function isRemoval(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

function keyOf(pair: Pair): string | undefined {
  const key = pair.key as Node | null;
  return isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number') ? String(key.value) : undefined;
}

function offsetOf(node: Node | null, fallback: Node | null): number {
  return node?.range?.[0] ?? fallback?.range?.[0] ?? 0;
}

// Merges `override` over `base`; `path` names where in the file the two sit.
export function mergeNodes(doc: Document, base: unknown, override: unknown, path: string): MergeResult {
  const overrides = new Map<string, number>();
  const node = merge(doc, deref(doc, base), deref(doc, override), path, overrides, null);
  return { node, overrides };
}

function merge(doc: Document, base: Node | null, override: Node | null, path: string, overrides: Map<string, number>, key: Node | null): Node | null | undefined {
  if (isRemoval(override)) {
    if (path) overrides.set(path, offsetOf(key, override));
    return undefined;
  }
  if (!isMap(override) || (base !== null && !isMap(base))) {
    if (path) overrides.set(path, offsetOf(override, key));
    return isMap(override) ? merge(doc, null, override, path, overrides, key) : override;
  }
  const merged = new YAMLMap();
  merged.range = override.range;
  merged.flow = override.flow;
  const written = new Map<string, Pair>();
  for (const pair of override.items) {
    const name = keyOf(pair);
    // A key that is not a plain word cannot be merged; keep it so the validator reports it.
    if (name === undefined) merged.items.push(pair);
    else written.set(name, pair);
  }
  const baseItems = isMap(base) ? base.items : [];
  for (const pair of baseItems) {
    const name = keyOf(pair);
    const over = name === undefined ? undefined : written.get(name);
    if (!over) {
      merged.items.push(pair);
      continue;
    }
    written.delete(name!);
    const child = merge(doc, deref(doc, pair.value), deref(doc, over.value), join(path, name!), overrides, over.key as Node);
    if (child !== undefined) merged.items.push(new Pair(over.key, child));
  }
  for (const [name, pair] of written) {
    const child = merge(doc, null, deref(doc, pair.value), join(path, name), overrides, pair.key as Node);
    if (child !== undefined) merged.items.push(new Pair(pair.key, child));
  }
  return merged;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
