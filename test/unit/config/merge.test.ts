import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument, type Node } from 'yaml';
import { mergeNodes } from '../../../src/config/merge.js';

// Merges the `override` key of a document over its `base` key; returns the plain result and
// where each override sits (line:col).
function merge(text: string) {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const result = mergeNodes(doc, doc.get('base', true), doc.get('override', true), '');
  const value = result.node === undefined ? undefined : (result.node as Node & { toJSON(): unknown }).toJSON();
  const at = Object.fromEntries([...result.overrides].map(([path, offset]) => [path, `${lines.linePos(offset).line}:${lines.linePos(offset).col}`]));
  return { value, at };
}

describe('mergeNodes', () => {
  it('merges maps key by key, replaces lists and scalars, and removes on null, ~ or an empty value', () => {
    const { value, at } = merge(`base:
  a: { x: 1, y: 2 }
  list: [1, 2, 3]
  gone: 1
  also: 2
  empty: 3
override:
  a: { y: 20, z: 30 }
  list: [9]
  gone: null
  also: ~
  empty:
`);
    expect(value).toEqual({ a: { x: 1, y: 20, z: 30 }, list: [9] });
    expect(at).toEqual({ 'a.y': '8:11', 'a.z': '8:18', list: '9:9', gone: '10:3', also: '11:3', empty: '12:3' });
  });

  it('keeps the base order and appends keys only the override has', () => {
    const { value } = merge('base: { b: 1, a: 2 }\noverride: { c: 3, a: 4 }\n');
    expect(Object.keys(value as object)).toEqual(['b', 'a', 'c']);
  });

  it('replaces a scalar with a map, dropping the nulls inside it', () => {
    const { value } = merge('base: { pause: true }\noverride: { pause: { replicas: 2, scaleIn: null } }\n');
    expect(value).toEqual({ pause: { replicas: 2 } });
  });

  it('follows aliases on both sides', () => {
    const { value } = merge('small: &small { max: 4 }\nbase: { web: { min: 1, max: 10 } }\noverride: { web: *small }\n');
    expect(value).toEqual({ web: { min: 1, max: 4 } });
  });

  it('removes everything when the override itself is null', () => {
    expect(merge('base: { a: 1 }\noverride: null\n').value).toBeUndefined();
  });
});
