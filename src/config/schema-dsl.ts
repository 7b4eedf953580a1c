// A tiny schema language: one description of scaling.yaml drives both the validator
// (config/validate-tree.ts) and the shipped JSON Schema (config/json-schema.ts).

export interface Base { doc?: string; example?: unknown }

export type SchemaNode =
  | (Base & { kind: 'object'; props: Record<string, SchemaNode>; required?: string[]; extensions?: boolean; open?: boolean })
  | (Base & { kind: 'map'; values: SchemaNode; keyPattern?: string; keyHint?: string })
  | (Base & { kind: 'array'; items: SchemaNode; minItems?: number; keyBy?: string })
  | (Base & { kind: 'tagged'; tag: string; variants: Record<string, SchemaNode & { kind: 'object' }> })
  | (Base & { kind: 'int'; min?: number; max?: number })
  | (Base & { kind: 'number'; min?: number; max?: number; exclusiveMin?: boolean })
  | (Base & { kind: 'string'; pattern?: string; patternHint?: string; enum?: string[] })
  | (Base & { kind: 'duration'; minMs?: number; maxMs?: number })
  | (Base & { kind: 'quantity'; unit: 'cpu' | 'memory' })
  | (Base & { kind: 'bool' })
  | (Base & { kind: 'oneOf'; options: SchemaNode[] })
  | (Base & { kind: 'any' })
  | (Base & { kind: 'override'; of: SchemaNode });

type ObjectNode = SchemaNode & { kind: 'object' };

// A fixed-key object; `required` keys must be present. `extensions` admits `x-*` keys.
export function object(
  props: Record<string, SchemaNode>,
  options: { required?: string[]; doc?: string; extensions?: boolean; open?: boolean } = {},
): ObjectNode {
  return { kind: 'object', props, ...options };
}
// A map with free keys (providers, services).
export const map = (values: SchemaNode, options: { doc?: string; keyPattern?: string; keyHint?: string } = {}): SchemaNode => ({
  kind: 'map',
  values,
  ...options,
});
// A list; `keyBy` names the field that identifies an item in plan paths (metrics by type).
export const array = (items: SchemaNode, options: { doc?: string; minItems?: number; keyBy?: string } = {}): SchemaNode => ({
  kind: 'array',
  items,
  ...options,
});
// Objects told apart by one field's value (metrics by `type`).
export const tagged = (tag: string, variants: Record<string, ObjectNode>, doc?: string): SchemaNode => ({
  kind: 'tagged',
  tag,
  variants,
  doc,
});
/** The largest count or number any field takes: 2^31−1 (what Kubernetes' int32 fields hold). */
export const MAX_COUNT = 2_147_483_647;
// A whole number, at most MAX_COUNT unless `max` says less.
export const int = (doc?: string, options: { min?: number; max?: number } = {}): SchemaNode => ({ kind: 'int', doc, max: MAX_COUNT, ...options });
// A number, at most MAX_COUNT unless `max` says less.
export const number = (doc?: string, options: { min?: number; max?: number; exclusiveMin?: boolean } = {}): SchemaNode => ({
  kind: 'number',
  doc,
  max: MAX_COUNT,
  ...options,
});
export const string = (doc?: string, options: { pattern?: string; patternHint?: string; enum?: string[]; example?: unknown } = {}): SchemaNode => ({
  kind: 'string',
  doc,
  ...options,
});
export const enumOf = (values: string[], doc?: string): SchemaNode => ({ kind: 'string', enum: values, doc });
export const duration = (doc?: string, options: { minMs?: number; maxMs?: number } = {}): SchemaNode => ({
  kind: 'duration',
  doc,
  ...options,
});
export const quantity = (unit: 'cpu' | 'memory', doc?: string): SchemaNode => ({ kind: 'quantity', unit, doc });
export const bool = (doc?: string): SchemaNode => ({ kind: 'bool', doc });
export const oneOf = (options: SchemaNode[], doc?: string): SchemaNode => ({ kind: 'oneOf', options, doc });
export const any = (doc?: string): SchemaNode => ({ kind: 'any', doc });
// An environment's override of `of`: any part of it, maps merged key by key, `null` removes.
// Environments are checked on the merged document, so only the JSON Schema reads this node.
export const override = (of: SchemaNode, doc?: string): SchemaNode => ({ kind: 'override', of, doc });
