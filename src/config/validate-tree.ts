// Walks the YAML syntax tree against the schema: type checks, unknown keys with "did you mean",
// required keys, ${VAR} interpolation, bounded aliases — every problem at file:line:col.
// Produces the plain value (durations and quantities normalised) and the position of every path.
import { isAlias, isMap, isScalar, isSeq, Scalar, type Document, type LineCounter, type Node } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { formatDuration, readDuration } from './duration.js';
import { interpolate, type Interpolated } from './interpolate.js';
import { isSecretName, registerSecret } from '../util/redact.js';
import { MAX_COUNT, type SchemaNode } from './schema-dsl.js';
import { describe, normaliseQuantity, quantityTooLarge, reparsePlain, show } from './scalars.js';
import { closest, suggestion } from './suggest.js';

// Keys whose values are credentials (`password`, `authToken`, `api_key`, `clientSecret`).
const SECRET_KEY = /(password|passwd|secret|token|api_?key|private_?key|access_?key|credentials?)$/i;

export interface Place { line: number; col: number }

export interface TreeResult {
  value: unknown;
  diagnostics: Diagnostic[];
  /** Dotted path (planner vocabulary) → where its value is written. */
  places: Map<string, Place>;
}

const MAX_ALIAS_EXPANSIONS = 100;
export const MAX_NODES = 100_000;
export const MAX_DEPTH = 64;
const MERGE_KEY = '<<';
const MERGE_MESSAGE = 'YAML merge keys (<<) are not supported';
const MERGE_HINT = 'write the keys out, or reuse a whole value with &anchor and *alias';

const INVALID = Symbol('invalid');

class Walker {
  readonly diagnostics: Diagnostic[] = [];
  readonly places = new Map<string, Place>();
  private aliases = 0;
  private aliasAt: Place | undefined;
  private nodes = 0;
  private budgetReported = false;

  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly env: NodeJS.ProcessEnv,
    private readonly source: string,
  ) {}

  place(node: Node | null | undefined, fallback?: Place): Place {
    const offset = node?.range?.[0];
    if (offset === undefined) return fallback ?? { line: 1, col: 1 };
    const { line, col } = this.lines.linePos(offset);
    return { line, col };
  }

  report(at: Place, message: string, hint?: string, path?: string, severity: 'error' | 'warning' = 'error'): typeof INVALID {
    this.diagnostics.push({ file: this.file, line: at.line, col: at.col, severity, message, hint, path });
    return INVALID;
  }

  // Follows an alias, counting expansions so a "billion laughs" file stops early.
  private deref(node: unknown, at: Place, path: string): Node | null | typeof INVALID {
    let current = node;
    while (isAlias(current)) {
      this.aliases++;
      if (this.aliases > MAX_ALIAS_EXPANSIONS) {
        if (!this.budgetReported) {
          this.budgetReported = true;
          this.report(at, `too many alias expansions (more than ${MAX_ALIAS_EXPANSIONS})`, 'write the values out, or use fewer *aliases', path);
        }
        return INVALID;
      }
      current = current.resolve(this.doc);
      if (current === undefined) return this.report(at, 'unresolved alias', 'define the &anchor before using *alias', path);
    }
    return (current ?? null) as Node | null;
  }

  // Counts one node; false (reported once) when the document has more than MAX_NODES.
  private budget(at: Place, path: string): boolean {
    if (++this.nodes <= MAX_NODES) return true;
    if (!this.budgetReported) {
      this.budgetReported = true;
      this.report(at, `the document is too large (more than ${MAX_NODES} values after aliases)`, 'scaling.yaml describes scaling, not data: shorten this list or mapping', path);
    }
    return false;
  }

  walk(raw: unknown, schema: SchemaNode, path: string, fallback: Place): unknown {
    if (!this.budget(fallback, path)) return INVALID;
    const node = this.deref(raw, fallback, path);
    if (node === INVALID) return INVALID;
    const at = this.place(node, fallback);
    if (path) this.places.set(path, at);
    const label = path || 'the document';

    if (schema.kind === 'any') return this.plain(node, at, path);
    if (schema.kind === 'object') return this.object(node, schema, path, at, label, path ? fallback : at);
    if (schema.kind === 'map') return this.map(node, schema, path, at, label);
    if (schema.kind === 'array') return this.array(node, schema, path, at, label);
    if (schema.kind === 'tagged') return this.tagged(node, schema, path, at, label);
    if (schema.kind === 'oneOf') {
      const wantsMap = isMap(node);
      const option = schema.options.find((o) => (o.kind === 'object') === wantsMap) ?? schema.options[0];
      return this.walk(node, option, path, at);
    }
    return this.scalar(node, schema, path, at, label);
  }

  // `owner` is where the key holding this object is written: missing keys are reported there.
  private object(node: Node | null, schema: SchemaNode & { kind: 'object' }, path: string, at: Place, label: string, owner: Place = at): unknown {
    if (!isMap(node)) return this.report(at, `${label} must be a mapping (key: value), got ${describe(node)}`, undefined, path);
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    const known = Object.keys(schema.props);
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const keyAt = this.place(keyNode, at);
      if (!isScalar(keyNode) || typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number') {
        this.report(keyAt, `keys in ${label} must be plain words`, undefined, path);
        continue;
      }
      const key = String(keyNode.value);
      if (key === MERGE_KEY) {
        this.report(keyAt, MERGE_MESSAGE, MERGE_HINT, path);
        continue;
      }
      const childPath = path ? `${path}.${key}` : key;
      const childSchema = Object.hasOwn(schema.props, key) ? schema.props[key] : undefined;
      if (!childSchema) {
        if (schema.open || (schema.extensions && key.startsWith('x-'))) {
          out[key] = this.plain(pair.value as Node | null, this.place(pair.value as Node, keyAt), childPath);
          continue;
        }
        const hint = suggestion(key, schema.extensions ? [...known, 'x-<adapter>'] : known);
        this.report(keyAt, `unknown key "${key}" in ${label}`, hint, childPath);
        continue;
      }
      const value = this.walk(pair.value, childSchema, childPath, keyAt);
      if (value === null && pair.value !== null && isScalar(pair.value) && pair.value.value === null) {
        this.report(keyAt, `${childPath} has no value`, `give it a value or remove the key`, childPath);
        continue;
      }
      if (value !== INVALID) out[key] = value;
      else out[key] = INVALID;
    }
    for (const required of schema.required ?? []) {
      if (!(required in out)) {
        this.report(owner, `${label} is missing the required key "${required}"`, docHint(schema.props[required]), path ? `${path}.${required}` : required);
      }
    }
    return stripInvalid(out);
  }

  private map(node: Node | null, schema: SchemaNode & { kind: 'map' }, path: string, at: Place, label: string): unknown {
    if (!isMap(node)) return this.report(at, `${label} must be a mapping of names, got ${describe(node)}`, undefined, path);
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const keyAt = this.place(keyNode, at);
      if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
        const what = isScalar(keyNode) ? (keyNode.value === null ? 'an empty key (~ or null)' : `the key ${show(keyNode.value)}`) : 'a key that is not a name';
        this.report(keyAt, `${label} has ${what}; every entry needs a name`, schema.keyHint ? `use ${schema.keyHint}, quoted if it reads as a value: "null":` : undefined, path);
        continue;
      }
      const key = String(keyNode.value);
      if (key === MERGE_KEY) {
        this.report(keyAt, MERGE_MESSAGE, MERGE_HINT, path);
        continue;
      }
      if (schema.keyPattern && !new RegExp(schema.keyPattern).test(key)) {
        this.report(keyAt, `"${key}" is not a valid name in ${label}`, schema.keyHint ? `use ${schema.keyHint}` : undefined, path);
        continue;
      }
      const value = this.walk(pair.value, schema.values, `${path}.${key}`, keyAt);
      if (value !== INVALID) out[key] = value;
    }
    return out;
  }

  private array(node: Node | null, schema: SchemaNode & { kind: 'array' }, path: string, at: Place, label: string): unknown {
    if (!isSeq(node)) return this.report(at, `${label} must be a list, got ${describe(node)}`, undefined, path);
    if (schema.minItems && node.items.length < schema.minItems) {
      this.report(at, `${label} needs at least ${schema.minItems} item(s)`, undefined, path);
    }
    const out: unknown[] = [];
    const seen = new Map<string, number>();
    node.items.forEach((item, index) => {
      let segment = `[${index}]`;
      if (schema.keyBy) {
        const resolved = this.deref(item, at, path);
        const keyValue = isMap(resolved) ? resolved.get(schema.keyBy) : undefined;
        if (typeof keyValue === 'string' || typeof keyValue === 'number') {
          const count = (seen.get(String(keyValue)) ?? 0) + 1;
          seen.set(String(keyValue), count);
          segment = count === 1 ? `[${keyValue}]` : `[${keyValue}#${count}]`;
        }
      }
      const value = this.walk(item, schema.items, `${path}${segment}`, at);
      if (value !== INVALID) out.push(value);
    });
    return out;
  }

  private tagged(node: Node | null, schema: SchemaNode & { kind: 'tagged' }, path: string, at: Place, label: string): unknown {
    const kinds = Object.keys(schema.variants);
    if (!isMap(node)) return this.report(at, `${label} must be a mapping with "${schema.tag}: ${kinds.join('|')}"`, undefined, path);
    const tagNode = node.get(schema.tag, true) as Node | undefined;
    const tag = isScalar(tagNode) ? String(tagNode.value) : undefined;
    if (tag === undefined) return this.report(at, `${label} is missing "${schema.tag}"`, `expected one of: ${kinds.join(', ')}`, path);
    const variant = schema.variants[tag];
    if (!variant) {
      return this.report(this.place(tagNode, at), `unknown ${schema.tag} "${tag}" in ${label}`, suggestion(tag, kinds), `${path}.${schema.tag}`);
    }
    return this.object(node, variant, path, at, label, at);
  }

  private scalar(node: Node | null, schema: SchemaNode, path: string, at: Place, label: string): unknown {
    if (node !== null && !isScalar(node)) return this.report(at, `${label} must be a single value, got ${describe(node)}`, docHint(schema), path);
    let value = node === null ? null : (node as Scalar).value;
    if (value === null) return null;
    const plainStyle = node === null || (node as Scalar).type === 'PLAIN' || (node as Scalar).type === undefined;
    if (typeof value === 'string' && value.includes('$')) {
      const result = this.interpolate(node as Scalar, value, at, path);
      if (result === INVALID) return INVALID;
      if (result.value.trim() === '' && result.empty.length > 0) {
        const name = result.empty[0];
        return this.report(at, `${label} is empty: environment variable ${name} is set but empty`, `give it a value, or a default that also covers empty: \${${name}:-value}`, path);
      }
      // Plain scalars take YAML's typing; quoted ones too where the schema wants a number or a boolean.
      const typed = schema.kind === 'int' || schema.kind === 'number' || schema.kind === 'bool';
      value = plainStyle || typed ? reparsePlain(result.value) : result.value;
    }
    switch (schema.kind) {
      case 'int':
      case 'number': {
        const expected = schema.kind === 'int' ? 'a whole number' : 'a number';
        if (typeof value !== 'number' || (schema.kind === 'int' && !Number.isInteger(value)) || !Number.isFinite(value)) {
          const hint = typeof value === 'string' && !Number.isNaN(Number(value)) ? 'remove the quotes' : docHint(schema);
          return this.report(at, `${label} must be ${expected}, got ${show(value)}`, hint, path);
        }
        if (schema.min !== undefined && schema.min === schema.max && value !== schema.min) {
          return this.report(at, `${label} must be ${schema.min}, got ${value}`, docHint(schema), path);
        }
        if (schema.min !== undefined && (value < schema.min || (schema.kind === 'number' && schema.exclusiveMin && value <= schema.min))) {
          const bound = schema.kind === 'number' && schema.exclusiveMin ? `greater than ${schema.min}` : `at least ${schema.min}`;
          return this.report(at, `${label} must be ${bound}, got ${value}`, docHint(schema), path);
        }
        if (schema.max !== undefined && value > schema.max) {
          const hint = schema.max === MAX_COUNT ? `${MAX_COUNT} (2^31−1) is the largest count or number scalectl takes` : docHint(schema);
          return this.report(at, `${label} must be at most ${schema.max}, got ${exact(node, value)}`, hint, path);
        }
        return value;
      }
      case 'bool':
        if (typeof value !== 'boolean') return this.report(at, `${label} must be true or false, got ${show(value)}`, undefined, path);
        return value;
      case 'string': {
        if (typeof value === 'number') value = String(value);
        if (typeof value !== 'string') return this.report(at, `${label} must be text, got ${show(value)}`, docHint(schema), path);
        if (schema.enum && !schema.enum.includes(value)) {
          const match = closest(value, schema.enum);
          const hint = match ? `did you mean "${match}"?` : `expected one of: ${schema.enum.join(', ')}`;
          return this.report(at, `${label} must be one of ${schema.enum.join(', ')}, got "${value}"`, hint, path);
        }
        if (schema.pattern && !new RegExp(schema.pattern).test(value)) {
          return this.report(at, `${label} has an invalid value "${value}"`, schema.patternHint ? `expected ${schema.patternHint}` : undefined, path);
        }
        return value;
      }
      case 'duration': {
        const reading = typeof value === 'string' ? readDuration(value) : value === 0 ? { ms: 0 } : undefined;
        if (reading && 'problem' in reading) {
          return this.report(at, `${label} ${reading.problem}, got ${show(value)}`, 'expected a duration such as 300ms, 30s, 5m, 1h or PT5M', path);
        }
        const ms = reading?.ms;
        if (ms === undefined) {
          const hint = typeof value === 'number' ? `add a unit: "${value}s"` : 'expected a duration such as 300ms, 30s, 5m, 1h or PT5M';
          return this.report(at, `${label} must be a duration, got ${show(value)}`, hint, path);
        }
        if (schema.minMs !== undefined && ms < schema.minMs) {
          return this.report(at, `${label} must be at least ${formatDuration(schema.minMs)}, got ${show(value)}`, undefined, path);
        }
        if (schema.maxMs !== undefined && ms > schema.maxMs) {
          return this.report(at, `${label} must be at most ${formatDuration(schema.maxMs)}, got ${show(value)}`, docHint(schema), path);
        }
        return formatDuration(ms);
      }
      case 'quantity': {
        const limit = quantityTooLarge(schema.unit, value);
        if (limit) return this.report(at, `${label} must be at most ${limit}, got ${show(value)}`, 'check the unit: "500m" is half a core, "512Mi" half a GiB', path);
        const normal = normaliseQuantity(schema.unit, value);
        if (normal === undefined) {
          const example = schema.unit === 'cpu' ? 'cores such as 0.5 or 2, or millicores such as "500m"' : 'a size such as 512Mi, 1Gi or 1G';
          return this.report(at, `${label} must be ${example}, got ${show(value)}`, undefined, path);
        }
        return normal;
      }
      default:
        return value;
    }
  }

  // Interpolates a scalar's text; a problem is reported where it is in the line when the
  // scalar's source maps one to one onto its value (plain or simply quoted on one line).
  private interpolate(node: Scalar, value: string, at: Place, path: string): (Interpolated & { ok: true }) | typeof INVALID {
    const result = interpolate(value, this.env);
    if (result.ok) {
      for (const name of result.used) if (isSecretName(name)) registerSecret(this.env[name]);
      return result;
    }
    const quote = node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE' ? 1 : 0;
    const start = node.range?.[0];
    const raw = start === undefined ? undefined : this.source.slice(start + quote, start + quote + value.length);
    const where = raw === value ? this.place(node, at) : at;
    const place = raw === value ? { line: where.line, col: where.col + quote + result.offset } : at;
    return this.report(place, result.message, result.hint, path);
  }

  // Any value, converted to plain JS with aliases still bounded; interpolation applies to strings.
  plain(raw: unknown, at: Place, path: string, depth = 0): unknown {
    // Inside an alias's expansion, problems are reported where the *alias is used.
    if (isAlias(raw) && this.aliasAt === undefined) {
      this.aliasAt = this.place(raw as Node, at);
      try {
        return this.plain(raw, at, path, depth);
      } finally {
        this.aliasAt = undefined;
      }
    }
    const node = this.deref(raw, this.aliasAt ?? at, path);
    if (node === INVALID) return undefined;
    if (!this.budget(this.aliasAt ?? this.place(node, at), path) || this.budgetReported) return undefined;
    if (depth > MAX_DEPTH) {
      this.report(this.place(node, at), `${path} nests more than ${MAX_DEPTH} levels deep`, 'flatten it: scaling.yaml never needs that depth', path);
      this.budgetReported = true;
      return undefined;
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (key === MERGE_KEY) {
          this.report(this.place(pair.key as Node, at), MERGE_MESSAGE, MERGE_HINT, path);
          continue;
        }
        out[key] = this.plain(pair.value, this.place(pair.value as Node, at), `${path}.${key}`, depth + 1);
      }
      return out;
    }
    if (isSeq(node)) return node.items.map((item, i) => this.plain(item, this.place(item as Node, at), `${path}[${i}]`, depth + 1));
    if (isScalar(node)) {
      let value = node.value;
      if (typeof value === 'string' && value.includes('$')) {
        const result = this.interpolate(node, value, this.place(node, at), path);
        if (result === INVALID) return undefined;
        value = node.type === 'PLAIN' ? reparsePlain(result.value) : result.value;
      }
      // A credential written into the file (`password: hunter2` in a metric source) is as secret
      // as one from the environment: hidden wherever it would be printed.
      if (typeof value === 'string' && SECRET_KEY.test(path.slice(path.lastIndexOf('.') + 1))) registerSecret(value);
      return value;
    }
    return null;
  }
}

// A number as written: 9007199254740993 reads as …992 in JavaScript, so quote the source.
function exact(node: Node | null, value: number): string {
  const source = isScalar(node) ? (node as Scalar).source : undefined;
  return typeof source === 'string' && /^[-+0-9.eE_]+$/.test(source) ? source : String(value);
}

function stripInvalid(out: Record<string, unknown>): Record<string, unknown> | typeof INVALID {
  for (const key of Object.keys(out)) if (out[key] === INVALID) delete out[key];
  return out;
}

function docHint(schema: SchemaNode | undefined): string | undefined {
  return schema?.doc;
}

// Validates one parsed document (or `root`, a node built from its nodes) against a schema.
export function validateTree(
  file: string,
  doc: Document,
  lines: LineCounter,
  schema: SchemaNode,
  env: NodeJS.ProcessEnv,
  source = '',
  root: unknown = doc.contents,
): TreeResult {
  const walker = new Walker(file, doc, lines, env, source);
  const value = walker.walk(root, schema, '', { line: 1, col: 1 });
  return { value: value === INVALID ? undefined : value, diagnostics: walker.diagnostics, places: walker.places };
}
