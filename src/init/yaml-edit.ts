// Comment-preserving edits of a YAML file: the yaml Document API finds the node a path names,
// and only that node's bytes are rewritten (or one entry inserted / removed). Everything else —
// comments, blank lines, key order, flow or block style, quoting, alignment — stays byte for byte.
import { Document, isMap, isPair, isScalar, isSeq, parseDocument, Scalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { UsageError } from '../errors.js';
import { formatPath, itemKeyOf, type Segment } from './yaml-path.js';

export interface InsertOptions {
  /** Comment lines written above a newly inserted entry (without "# "). */
  comment?: string[];
  /** A blank line before a newly inserted block entry. */
  blankLineBefore?: boolean;
}

type Collection = YAMLMap<unknown, unknown> | YAMLSeq<unknown>;
type Ranged = Node & { range: [number, number, number] };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

// Sets (value !== undefined) or removes (value === undefined) what `path` names; returns the new text.
export function editYaml(text: string, path: Segment[], value: unknown, options: InsertOptions = {}): string {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length) throw new UsageError(`cannot edit: the file is not valid YAML (${doc.errors[0].message.split('\n')[0]})`);
  const editor = new Editor(text, options);
  let current = doc.contents as Ranged | null;
  if (!current) throw new UsageError('cannot edit an empty file');
  let pair: Pair<unknown, unknown> | undefined;
  let parent: Collection | undefined;
  let inFlow = false;
  let listKey: string | undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const rest = path.slice(i + 1);
    const here = formatPath(path.slice(0, i)) || 'the file';
    if (isScalar(current) && current.value === null && pair) {
      if (value === undefined) throw notFound(path);
      return editor.replace(current, pair, inFlow, build(path.slice(i), value, listKey));
    }
    if (typeof segment === 'string') {
      if (!isMap(current)) throw new UsageError(`cannot set ${formatPath(path)}: ${here} is not a mapping`);
      const found = current.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!found) {
        if (value === undefined) throw notFound(path);
        return editor.insertIntoMap(current as YAMLMap<unknown, unknown> & Ranged, inFlow, segment, build(rest, value, segment));
      }
      parent = current;
      inFlow ||= Boolean(current.flow);
      pair = found;
      listKey = segment;
      current = found.value as Ranged;
    } else {
      if (!isSeq(current)) throw new UsageError(`cannot set ${formatPath(path)}: ${here} is not a list, so [${segment.select}] cannot pick an item`);
      const items = current.items as Ranged[];
      const keyField = itemKeyOf(listKey);
      const index = typeof segment.select === 'number' ? segment.select : items.findIndex((item) => isMap(item) && item.get(keyField) === segment.select);
      if (index < 0 || index >= items.length) {
        if (typeof segment.select === 'number') throw new UsageError(`cannot set ${formatPath(path)}: ${here} has ${items.length} item(s); use [name] to add one`);
        if (value === undefined) throw notFound(path);
        return editor.insertIntoSeq(current as YAMLSeq<unknown> & Ranged, inFlow, element(segment.select, rest, value, listKey));
      }
      parent = current;
      inFlow ||= Boolean(current.flow);
      pair = undefined;
      current = items[index];
    }
  }
  if (value === undefined) return editor.remove(parent!, pair ?? current!);
  return editor.replace(current!, pair, inFlow, value);
}

function notFound(path: Segment[]): UsageError {
  return new UsageError(`cannot remove ${formatPath(path)}: it is not in the file`);
}

// The value to insert for the part of the path that does not exist yet.
function build(rest: Segment[], value: unknown, listKey: string | undefined): unknown {
  if (rest.length === 0) return value;
  const [head, ...tail] = rest;
  if (typeof head === 'string') return { [head]: build(tail, value, head) };
  if (typeof head.select === 'number') throw new UsageError(`cannot create item [${head.select}]: name it instead, as in metrics[cpu]`);
  return [element(head.select, tail, value, listKey)];
}

function element(select: string, tail: Segment[], value: unknown, listKey: string | undefined): Record<string, unknown> {
  const inner = build(tail, value, undefined);
  if (!isObject(inner)) throw new UsageError(`a new [${select}] item needs fields, as in metrics[${select}].target=70`);
  return { [itemKeyOf(listKey)]: select, ...inner };
}

// One value on one line: a scalar or a flow collection, in the house style of scaling.yaml —
// lists without inner spaces (`[Mon, Fri]`), mappings with them (`{ type: rps, target: 150 }`).
export function flowText(value: unknown): string {
  if (typeof value === 'string' && value.includes('\n')) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(inFlowText).join(', ')}]`;
  if (isObject(value)) {
    const entries = Object.entries(value).map(([key, item]) => `${keyText(key)}: ${inFlowText(item)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return new Document(value).toString({ lineWidth: 0 }).trimEnd();
}

// A value inside a flow collection: scalars quoted where flow syntax needs it ("a, b").
function inFlowText(value: unknown): string {
  if (Array.isArray(value) || isObject(value)) return flowText(value);
  const text = new Document([value]).toString({ collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0 }).trim();
  return text.slice(1, -1);
}

function keyText(key: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(key) ? key : JSON.stringify(key);
}

// Block lines of `key: value` at `indent`; lists of maps become `- { … }` lines.
export function blockLines(key: string, value: unknown, indent: number, step: number): string[] {
  const pad = ' '.repeat(indent);
  if (isObject(value) && Object.keys(value).length > 0) {
    return [`${pad}${keyText(key)}:`, ...Object.entries(value).flatMap(([k, v]) => blockLines(k, v, indent + step, step))];
  }
  if (Array.isArray(value) && value.length > 0) {
    return [`${pad}${keyText(key)}:`, ...value.map((item) => `${pad}${' '.repeat(step)}- ${flowText(item)}`)];
  }
  return [`${pad}${keyText(key)}: ${flowText(value)}`];
}

// Text surgery on one source string, with positions from the parsed document.
class Editor {
  constructor(private readonly text: string, private readonly options: InsertOptions) {}

  private splice(start: number, end: number, insert: string): string {
    return this.text.slice(0, start) + insert + this.text.slice(end);
  }

  // The column (0-based) of an offset.
  columnOf(offset: number): number {
    return this.column(offset);
  }

  // Inserts whole lines after the line holding the character before `end`.
  appendLines(end: number, lines: string[]): string {
    const at = this.lineEndAfter(end);
    const prefix = at === this.text.length && this.text.length > 0 && !this.text.endsWith('\n') ? '\n' : '';
    return this.splice(at, at, prefix + lines.join('\n') + '\n');
  }

  private column(offset: number): number {
    return offset - (this.text.lastIndexOf('\n', offset - 1) + 1);
  }

  private lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  // Just past the newline ending the line that holds the character before `end`.
  private lineEndAfter(end: number): number {
    if (end > 0 && this.text[end - 1] === '\n') return end;
    const newline = this.text.indexOf('\n', end);
    return newline === -1 ? this.text.length : newline + 1;
  }

  // End of a node's value without a trailing newline a block collection may include.
  private valueEnd(node: Ranged): number {
    let end = node.range[1];
    while (end > node.range[0] && this.text[end - 1] === '\n') end--;
    return end;
  }

  private step(): number {
    const match = /\n( +)\S/.exec(this.text);
    return match ? Math.min(match[1].length, 4) : 2;
  }

  private insertLines(at: number, lines: string[], indent: number): string {
    const pad = ' '.repeat(indent);
    const head = [...(this.options.blankLineBefore ? [''] : []), ...(this.options.comment ?? []).map((c) => `${pad}# ${c}`.trimEnd())];
    const block = [...head, ...lines].join('\n') + '\n';
    const prefix = at === this.text.length && this.text.length > 0 && !this.text.endsWith('\n') ? '\n' : '';
    return this.splice(at, at, prefix + block);
  }

  replace(node: Ranged, pair: Pair<unknown, unknown> | undefined, inFlow: boolean, value: unknown): string {
    const [start] = node.range;
    const end = this.valueEnd(node);
    const block = (isMap(node) || isSeq(node)) && !node.flow;
    if (isScalar(node) && start === end && pair && !inFlow) {
      // `key:` with nothing after it
      if (isObject(value) || Array.isArray(value)) {
        const keyColumn = this.column((pair.key as Ranged).range[0]);
        const lines = blockLines('x', value, keyColumn, this.step()).slice(1);
        return this.splice(start, end, '\n' + lines.join('\n'));
      }
      return this.splice(start, end, ` ${flowText(value)}`);
    }
    if (block && pair) {
      // a block collection under a key: rewrite from just after the colon
      const colon = this.text.indexOf(':', (pair.key as Ranged).range[1]);
      if (isObject(value) || Array.isArray(value)) {
        const lines = blockLines('x', value, this.column((pair.key as Ranged).range[0]), this.step()).slice(1);
        return this.splice(colon + 1, end, lines.length ? '\n' + lines.join('\n') : ` ${flowText(value)}`);
      }
      return this.splice(colon + 1, end, ` ${flowText(value)}`);
    }
    return this.splice(start, end, this.scalarText(node, value, inFlow));
  }

  // A scalar keeps its quoting; plain text inside a flow collection is quoted when it must be.
  private scalarText(old: Node, value: unknown, inFlow: boolean): string {
    if (typeof value === 'string' && isScalar(old) && (old.type === 'QUOTE_DOUBLE' || old.type === 'QUOTE_SINGLE')) {
      const scalar = new Scalar(value);
      scalar.type = old.type;
      return new Document(scalar).toString({ lineWidth: 0 }).trimEnd();
    }
    const text = flowText(value);
    if (inFlow && typeof value === 'string' && /[,[\]{}#]/.test(text) && !/^["']/.test(text)) return JSON.stringify(value);
    return text;
  }

  insertIntoMap(map: YAMLMap<unknown, unknown> & Ranged, inFlow: boolean, key: string, value: unknown): string {
    if (map.flow || inFlow) {
      const last = map.items[map.items.length - 1];
      if (!last) return this.splice(map.range[0], this.valueEnd(map), `{ ${keyText(key)}: ${flowText(value)} }`);
      const lastEnd = last.value && (last.value as Ranged).range ? this.valueEnd(last.value as Ranged) : (last.key as Ranged).range[1];
      return this.splice(lastEnd, lastEnd, `, ${keyText(key)}: ${flowText(value)}`);
    }
    const indent = this.column(map.range[0]);
    return this.insertLines(this.lineEndAfter(map.range[1]), blockLines(key, value, indent, this.step()), indent);
  }

  insertIntoSeq(seq: YAMLSeq<unknown> & Ranged, inFlow: boolean, item: Record<string, unknown>): string {
    if (seq.flow || inFlow) {
      const last = seq.items[seq.items.length - 1] as Ranged | undefined;
      if (!last) return this.splice(seq.range[0], this.valueEnd(seq), `[${flowText(item)}]`);
      const end = this.valueEnd(last);
      return this.splice(end, end, `, ${flowText(item)}`);
    }
    const indent = this.column(seq.range[0]);
    const first = seq.items[0];
    const blockSiblings = isMap(first) && !first.flow;
    const lines = blockSiblings
      ? Object.entries(item).flatMap(([k, v]) => blockLines(k, v, indent + 2, this.step()))
      : [`${' '.repeat(indent + 2)}${flowText(item)}`];
    lines[0] = `${' '.repeat(indent)}- ${lines[0].trimStart()}`;
    return this.insertLines(this.lineEndAfter(seq.range[1]), lines, indent);
  }

  // Removes a map entry or a list item, with its line(s) in block style or its comma in flow style.
  remove(parent: Collection, target: Pair<unknown, unknown> | Node): string {
    const items = parent.items as unknown[];
    const index = items.indexOf(target);
    const startOf = (item: unknown) => (isPair(item) ? (item.key as Ranged).range[0] : (item as Ranged).range[0]);
    const endOf = (item: unknown) => {
      if (isPair(item)) return item.value && (item.value as Ranged).range ? this.valueEnd(item.value as Ranged) : (item.key as Ranged).range[1];
      return this.valueEnd(item as Ranged);
    };
    if (parent.flow) {
      if (index > 0) return this.splice(endOf(items[index - 1]), endOf(target), '');
      if (items.length > 1) return this.splice(startOf(target), startOf(items[1]), '');
      return this.splice(startOf(target), endOf(target), '');
    }
    const start = this.lineStart(isPair(target) ? startOf(target) : this.text.lastIndexOf('-', startOf(target)));
    return this.splice(start, this.lineEndAfter(endOf(target)), '');
  }
}

// Appends raw lines (from `render(indent)`) at the end of the block mapping at `path` — made when
// missing or empty — so a caller can insert hand-commented entries.
export function appendToMap(text: string, path: string[], render: (indent: number) => string[]): string {
  const doc = parseDocument(text);
  const node = doc.getIn(path, true) as Ranged | undefined;
  const editor = new Editor(text, {});
  if (isMap(node) && !node.flow && node.items.length > 0) return editor.appendLines(node.range[1], render(editor.columnOf(node.range[0])));
  if (isMap(node) || isSeq(node) || (isScalar(node) && node.value !== null)) {
    throw new UsageError(`cannot add to ${path.join('.')}: it is not a block mapping (write it as "${path[path.length - 1]}:" with one entry per line)`);
  }
  if (node) {
    // `key:` with no value: entries go on the lines after it
    const pair = (doc.getIn(path.slice(0, -1), true) as YAMLMap<unknown, unknown>).items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1])!;
    const keyColumn = editor.columnOf((pair.key as Ranged).range[0]);
    return editor.appendLines(node.range[0], render(keyColumn + 2).filter((line, i) => i > 0 || line !== ''));
  }
  if (path.length !== 1) throw new UsageError(`cannot add to ${path.join('.')}: ${path.slice(0, -1).join('.')} is missing`);
  const withKey = `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${path[0]}:\n`;
  return appendToMap(withKey, path, render);
}
