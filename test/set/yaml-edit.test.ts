// The text surgery under `set` and `init`'s extend mode: each edit touches only its own bytes.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { editYaml } from '../../src/init/yaml-edit.js';
import { parsePath } from '../../src/init/yaml-path.js';

const edit = (text: string, path: string, value: unknown, options = {}) => editYaml(text, parsePath(path), value, options);

describe('parsePath', () => {
  it('reads keys, named and numbered items', () => {
    expect(parsePath('autoscale.metrics[cpu].utilization')).toEqual(['autoscale', 'metrics', { select: 'cpu' }, 'utilization']);
    expect(parsePath('autoscale.schedules[business-hours].min')).toEqual(['autoscale', 'schedules', { select: 'business-hours' }, 'min']);
    expect(parsePath('a.list[0]')).toEqual(['a', 'list', { select: 0 }]);
    for (const bad of ['', '.a', 'a.', 'a..b', '[x]', 'a[]', 'a b']) expect(() => parsePath(bad), bad).toThrow('cannot read the path');
  });
});

describe('editYaml', () => {
  it('fills a key that has no value, in block style', () => {
    const text = 'a:\n  b: 1\n  e:\nz: 2\n';
    expect(edit(text, 'a.e.f', 3)).toBe('a:\n  b: 1\n  e:\n    f: 3\nz: 2\n');
    expect(edit(text, 'a.e', 'x y')).toBe('a:\n  b: 1\n  e: x y\nz: 2\n');
  });

  it('appends block-style items next to block-style siblings', () => {
    const text = 'list:\n  - name: a\n    v: 1   # one\nnext: 1\n';
    const after = edit(text, 'list[b].v', 2);
    expect(after).toBe('list:\n  - name: a\n    v: 1   # one\n  - name: b\n    v: 2\nnext: 1\n');
    expect(parse(after)).toEqual({ list: [{ name: 'a', v: 1 }, { name: 'b', v: 2 }], next: 1 });
  });

  it('appends to flow lists and empty flow collections', () => {
    expect(edit('a: [x, y]  # c\n', 'a[z].n', 1)).toBe('a: [x, y, { name: z, n: 1 }]  # c\n');
    expect(edit('a: {}\n', 'a.b', 1)).toBe('a: { b: 1 }\n');
    expect(edit('a: []\n', 'a[q].n', 1)).toBe('a: [{ name: q, n: 1 }]\n');
  });

  it('replaces a block collection by a scalar and back, keeping the lines after it', () => {
    const text = 'a:\n  b:\n    c: 1\n    d: 2\n  k: 3\n';
    const scalar = edit(text, 'a.b', 5);
    expect(scalar).toBe('a:\n  b: 5\n  k: 3\n');
    expect(edit(scalar, 'a.b', { c: 9 })).toBe('a:\n  b: { c: 9 }\n  k: 3\n');
    expect(edit(text, 'a.b', { x: 1 })).toBe('a:\n  b:\n    x: 1\n  k: 3\n');
  });

  it('removes block list items with their lines and flow entries with their comma', () => {
    const text = 'metrics:\n  - { type: cpu, utilization: 60 }\n  - type: rps\n    target: 5\nx: { a: 1, b: 2, c: 3 }\n';
    expect(edit(text, 'metrics[rps]', undefined)).toBe('metrics:\n  - { type: cpu, utilization: 60 }\nx: { a: 1, b: 2, c: 3 }\n');
    expect(edit(text, 'metrics[cpu]', undefined)).toBe('metrics:\n  - type: rps\n    target: 5\nx: { a: 1, b: 2, c: 3 }\n');
    expect(edit(text, 'x.a', undefined)).toBe('metrics:\n  - { type: cpu, utilization: 60 }\n  - type: rps\n    target: 5\nx: { b: 2, c: 3 }\n');
    expect(edit(text, 'x.c', undefined)).toBe('metrics:\n  - { type: cpu, utilization: 60 }\n  - type: rps\n    target: 5\nx: { a: 1, b: 2 }\n');
    expect(() => edit(text, 'x.q', undefined)).toThrow('cannot remove x.q: it is not in the file');
  });

  it('inserts a commented entry with a blank line before it, and quotes strings that need it', () => {
    const text = 'services:\n  web:\n    replicas: 1\n';
    const after = edit(text, 'services.api', { replicas: 2 }, { comment: ['The API'], blankLineBefore: true });
    expect(after).toBe('services:\n  web:\n    replicas: 1\n\n  # The API\n  api:\n    replicas: 2\n');
    expect(edit('a: { b: x }\n', 'a.b', 'p, q')).toBe('a: { b: "p, q" }\n');
    expect(edit('a: 1', 'b', '08:00')).toBe('a: 1\nb: 08:00\n');
    expect(parse(edit('a: 1', 'b', '0.5'))).toEqual({ a: 1, b: '0.5' });
  });
});
