// First-run rough edges a new user hit (issue 14), through the built CLI.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { project, scalectl } from '../support/cli.js';

describe('first run', () => {
  it('a stale saved plan applied from another folder gets a hint that works there (-f)', async () => {
    const dir = project();
    expect((await scalectl(['plan', '--out', 'plan.json'], { cwd: dir })).exitCode).toBe(0);
    const file = join(dir, 'scaling.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('replicas: 0', 'replicas: 1'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'scalectl-elsewhere-'));
    const stale = await scalectl(['apply', join(dir, 'plan.json')], { cwd: elsewhere });
    expect(stale.exitCode).toBe(1);
    expect(stale.stderr).toContain(`; make a new one: scalectl plan -f ${file} --out ${join(dir, 'plan.json')}`);
    // the hint, run as printed from that folder, makes a plan that applies
    const remade = await scalectl(['plan', '-f', file, '--out', join(dir, 'plan.json')], { cwd: elsewhere });
    expect(remade.exitCode).toBe(0);
    expect((await scalectl(['apply', join(dir, 'plan.json')], { cwd: elsewhere })).exitCode).toBe(0);
  });
});
