// Renders docs/configuration.md from the schema source (config/schema.ts), the same description
// the validator walks and scaling.schema.json is generated from.
import { MAX_COUNT, type SchemaNode } from '../config/schema-dsl.js';
import { scalingSchema } from '../config/schema.js';
import { GENERATED_NOTE, cell } from './markdown.js';

interface Row { path: string; type: string; required: boolean; doc: string }
interface Section { title: string; path: string; doc?: string; rows: Row[] }

const range = (min?: number, max?: number, exclusiveMin?: boolean): string => {
  if (min !== undefined && min === max) return `: ${min}`;
  const parts: string[] = [];
  if (min !== undefined) parts.push(`${exclusiveMin ? '>' : '≥'} ${min}`);
  if (max !== undefined) parts.push(`≤ ${max}`);
  return parts.length ? ` ${parts.join(', ')}` : '';
};
const ms = (value: number): string =>
  value % 3_600_000 === 0 ? `${value / 3_600_000}h` : value % 60_000 === 0 ? `${value / 60_000}m` : `${value / 1000}s`;

// A one-line type summary of a node: "integer ≥ 0", "duration (30s, 5m, 1h …)", "`max` \| `min`".
export function typeOf(node: SchemaNode): string {
  switch (node.kind) {
    case 'object': return 'object';
    case 'map': return `map of ${node.keyHint ? 'names' : 'keys'} → ${typeOf(node.values)}`;
    case 'array': return `list of ${typeOf(node.items)}${node.minItems ? ` (at least ${node.minItems})` : ''}`;
    case 'tagged': return `object, by \`${node.tag}\`: ${Object.keys(node.variants).map((k) => `\`${k}\``).join(', ')}`;
    // The general limit (2^31−1) is said once at the top; only tighter ones per field.
    case 'int': return `integer${range(node.min, node.max === MAX_COUNT ? undefined : node.max)}`;
    case 'number': return `number${range(node.min, node.max === MAX_COUNT ? undefined : node.max, node.exclusiveMin)}`;
    case 'string':
      if (node.enum) return node.enum.map((v) => `\`${v}\``).join(' \\| ');
      return node.patternHint ? `string: ${node.patternHint}` : 'string';
    case 'duration': {
      const bounds = node.minMs !== undefined || node.maxMs !== undefined
        ? `; ${node.minMs !== undefined ? ms(node.minMs) : '0s'} to ${node.maxMs !== undefined ? ms(node.maxMs) : 'any'}`
        : '';
      return `duration (500ms, 30s, 5m, 1h, PT5M${bounds})`;
    }
    case 'quantity': return node.unit === 'cpu' ? 'CPU quantity (0.5, 2, "500m")' : 'memory quantity ("512Mi", "1Gi", "1G")';
    case 'bool': return 'boolean';
    case 'oneOf': return node.options.map(typeOf).join(' or ');
    case 'any': return 'any';
    case 'override': return `any part of: ${typeOf(node.of)} (null removes)`;
  }
}

// Objects with many fields, list items and map values get a section of their own.
function ownSection(node: SchemaNode): boolean {
  return node.kind === 'object' && Object.keys(node.props).length >= 6;
}

function walk(node: SchemaNode & { kind: 'object' }, path: string, sections: Section[], section: Section): void {
  for (const [key, child] of Object.entries(node.props)) {
    const childPath = path ? `${path}.${key}` : key;
    const required = node.required?.includes(key) ?? false;
    section.rows.push({ path: childPath, type: typeOf(child), required, doc: child.doc ?? '' });
    descend(child, childPath, sections, section);
  }
}

function descend(node: SchemaNode, path: string, sections: Section[], section: Section): void {
  const open = (title: string, at: string, object: SchemaNode & { kind: 'object' }) => {
    const own: Section = { title, path: at, doc: object.doc, rows: [] };
    sections.push(own);
    walk(object, at, sections, own);
  };
  if (node.kind === 'object') {
    if (ownSection(node) && path.includes('.')) open(`\`${path}\``, path, node);
    else walk(node, path, sections, section);
  } else if (node.kind === 'map' && node.values.kind === 'object') {
    open(`\`${path}.<name>\``, `${path}.<name>`, node.values);
  } else if (node.kind === 'array' && node.items.kind === 'object') {
    open(`\`${path}[]\``, `${path}[]`, node.items);
  } else if (node.kind === 'array' && node.items.kind === 'tagged') {
    for (const [tag, variant] of Object.entries(node.items.variants)) open(`\`${path}[]\` with \`${node.items.tag}: ${tag}\``, `${path}[]`, variant);
  } else if (node.kind === 'oneOf') {
    for (const option of node.options) if (option.kind === 'object') walk(option, path, sections, section);
  }
}

// The Markdown page: one table per section, fields in schema order.
export function configurationDoc(): string {
  const top: Section = { title: 'Top level', path: '', doc: undefined, rows: [] };
  const sections: Section[] = [top];
  walk(scalingSchema, '', sections, top);
  const out = [
    '# Configuration reference: scaling.yaml',
    '',
    GENERATED_NOTE('src/config/schema.ts'),
    '',
    'The validator (`scalectl validate`) and the JSON Schema shipped as `scaling.schema.json` are built from the',
    'same source as this page. Any scalar may also be written as `${VAR}` or `${VAR:-default}` (an environment',
    'variable; the full rules are in [limits-and-trust.md](limits-and-trust.md)). Services and providers may carry',
    '`x-…` keys of their own. Durations take `500ms`, `30s`, `5m`, `1h`, `1d`, combinations such as `1h30m`, or',
    'ISO 8601 (`PT5M`), whole milliseconds up to 365 days. Every count and number is at most 2147483647 (2^31−1).',
    '',
    ...sections.map((s) => `- [${s.title.replace(/`/g, '')}](#${anchor(s.title)})`),
  ];
  for (const section of sections) {
    out.push('', `## ${section.title}`, '');
    if (section.doc) out.push(section.doc, '');
    out.push('| field | type | required | meaning |', '| --- | --- | --- | --- |');
    for (const row of section.rows) {
      out.push(`| \`${row.path}\` | ${row.type} | ${row.required ? 'yes' : ''} | ${cell(row.doc)} |`);
    }
  }
  return `${out.join('\n')}\n`;
}

// GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes.
export function anchor(title: string): string {
  return title.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-');
}
