// Generates scaling.schema.json (JSON Schema draft-07, for yaml-language-server) from the
// same schema the validator walks.
import type { SchemaNode } from './schema-dsl.js';
import { scalingSchema } from './schema.js';

type Json = Record<string, unknown>;

const DURATION_PATTERN = '^(0|((\\d+(\\.\\d+)?)(ms|s|m|h|d))+|P(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?)$';
const INTERPOLATION = '\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\}';

function withDoc(node: SchemaNode, schema: Json): Json {
  return node.doc ? { description: node.doc, ...schema } : schema;
}

// ${VAR} may stand for any scalar: allow it wherever a number or a constrained string goes.
function orVariable(schema: Json): Json {
  return { anyOf: [schema, { type: 'string', pattern: INTERPOLATION }] };
}

function convert(node: SchemaNode): Json {
  switch (node.kind) {
    case 'object': {
      const properties: Json = {};
      for (const [key, child] of Object.entries(node.props)) properties[key] = convert(child);
      const schema: Json = { type: 'object', properties };
      if (node.required?.length) schema.required = node.required;
      if (node.extensions) schema.patternProperties = { '^x-': {} };
      schema.additionalProperties = Boolean(node.open);
      return withDoc(node, schema);
    }
    case 'map': {
      const schema: Json = { type: 'object', additionalProperties: convert(node.values) };
      if (node.keyPattern) schema.propertyNames = { pattern: node.keyPattern };
      return withDoc(node, schema);
    }
    case 'array':
      return withDoc(node, { type: 'array', items: convert(node.items), ...(node.minItems ? { minItems: node.minItems } : {}) });
    case 'tagged':
      return withDoc(node, {
        type: 'object',
        required: [node.tag],
        properties: { [node.tag]: { enum: Object.keys(node.variants) } },
        oneOf: Object.entries(node.variants).map(([tag, variant]) => {
          const converted = convert(variant);
          (converted.properties as Json)[node.tag] = { const: tag };
          return converted;
        }),
      });
    case 'int':
    case 'number': {
      const schema: Json = { type: node.kind === 'int' ? 'integer' : 'number' };
      if (node.min !== undefined) schema[node.kind === 'number' && node.exclusiveMin ? 'exclusiveMinimum' : 'minimum'] = node.min;
      if (node.max !== undefined) schema.maximum = node.max;
      return withDoc(node, orVariable(schema));
    }
    case 'string': {
      const schema: Json = { type: 'string' };
      if (node.enum) schema.enum = node.enum;
      if (node.pattern) schema.pattern = node.pattern;
      return withDoc(node, node.enum || node.pattern ? orVariable(schema) : schema);
    }
    case 'duration':
      return withDoc(node, orVariable({ type: 'string', pattern: DURATION_PATTERN }));
    case 'quantity':
      return withDoc(node, { type: ['string', 'number'] });
    case 'bool':
      return withDoc(node, orVariable({ type: 'boolean' }));
    case 'oneOf':
      return withDoc(node, { anyOf: node.options.map(convert) });
    case 'any':
      return withDoc(node, {});
    case 'override':
      return withDoc(node, { anyOf: [partial(node.of), { type: 'null' }] });
  }
}

// Any part of a node: an object's keys become optional overrides; lists and scalars replace whole.
function partial(node: SchemaNode): Json {
  if (node.kind === 'object') {
    const properties: Json = {};
    for (const [key, child] of Object.entries(node.props)) properties[key] = convert({ kind: 'override', of: child });
    const schema: Json = { type: 'object', properties };
    if (node.extensions) schema.patternProperties = { '^x-': {} };
    schema.additionalProperties = Boolean(node.open);
    return withDoc(node, schema);
  }
  if (node.kind === 'map') {
    const schema: Json = { type: 'object', additionalProperties: convert({ kind: 'override', of: node.values }) };
    if (node.keyPattern) schema.propertyNames = { pattern: node.keyPattern };
    return withDoc(node, schema);
  }
  return convert(node);
}

// The JSON Schema of scaling.yaml.
export function jsonSchema(): Json {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://scalectl.dev/scaling.schema.json',
    title: 'scalectl scaling.yaml (version 1)',
    ...convert(scalingSchema),
  };
}
