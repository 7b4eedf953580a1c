// Names that are JavaScript prototype keys are ordinary names: providers and services called
// constructor, toString, hasOwnProperty or valueOf (and an x-__proto__ key) plan, apply, show
// and converge like any other, and the mock cloud stores them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scalectl } from '../support/cli.js';

const NAMES = ['constructor', 'toString', 'hasOwnProperty', 'valueOf'];

describe('prototype keys as names', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-proto-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'scaling.yaml'),
    [
      'version: 1',
      'providers:',
      ...NAMES.map((name) => `  ${name}: { adapter: mock }`),
      'services:',
      ...NAMES.flatMap((name, i) => [
        `  ${name}:`,
        `    provider: ${NAMES[(i + 1) % NAMES.length]}`,
        `    replicas: ${i + 1}`,
        `    x-__proto__: { polluted: true }`,
      ]),
      '',
    ].join('\n'),
  );

  it('plan → apply → show → plan converges', async () => {
    const plan = await scalectl(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(plan.stderr).not.toContain('internal error');
    expect(plan.exitCode).toBe(2);
    expect(plan.stdout.trim().split('\n').at(-1)).toBe('Plan: 4 to change, 0 unchanged, 0 errors.');

    const apply = await scalectl(['apply', '--yes', '--json'], { cwd: dir });
    expect(apply.exitCode).toBe(0);
    const results = JSON.parse(String(apply.stdout)).results as Array<{ service: string; status: string }>;
    expect(results.map((r) => [r.service, r.status])).toEqual(NAMES.map((n) => [n, 'applied']));

    const state = JSON.parse(readFileSync(join(dir, '.scalectl/mock-cloud.json'), 'utf8'));
    for (const [i, name] of NAMES.entries()) {
      expect(state.providers[NAMES[(i + 1) % NAMES.length]][name].spec).toEqual({ replicas: i + 1 });
    }

    const show = await scalectl(['show', '--json'], { cwd: dir });
    expect(show.exitCode).toBe(0);
    expect((JSON.parse(String(show.stdout)) as { services: Array<{ name: string; drift: unknown[] }> }).services.map((s) => [s.name, s.drift.length])).toEqual(NAMES.map((n) => [n, 0]));

    const again = await scalectl(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(again.exitCode).toBe(0);
    expect(again.stdout.trim().split('\n').at(-1)).toBe('No changes. Plan: 0 to change, 4 unchanged, 0 errors.');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
