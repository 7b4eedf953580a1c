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

describe('--json is data even when things go wrong', () => {
  it('plan --json on an invalid file prints the structured errors on stdout, as validate --json does', async () => {
    const dir = project();
    const file = join(dir, 'scaling.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('      max: 20', '      maxx: 20'));
    const validate = await scalectl(['validate', '--json'], { cwd: dir });
    const plan = await scalectl(['plan', '--json'], { cwd: dir });
    expect(plan.exitCode).toBe(1);
    const doc = JSON.parse(plan.stdout);
    expect(doc).toEqual(JSON.parse(validate.stdout));
    expect(doc.valid).toBe(false);
    expect(doc.errors).toContainEqual(expect.objectContaining({ line: 18, col: 7, message: 'unknown key "maxx" in services.web.autoscale', hint: 'did you mean "max"?' }));
    expect(plan.stderr).toContain('scaling.yaml:18:7: error: unknown key "maxx" in services.web.autoscale');
  });

  it('show --json is a versioned document with numeric bounds', async () => {
    const dir = project();
    await scalectl(['apply', '--yes', '-q'], { cwd: dir });
    const doc = JSON.parse((await scalectl(['show', '--json'], { cwd: dir })).stdout);
    expect(doc.formatVersion).toBe(1);
    expect(doc.services.find((s: { name: string }) => s.name === 'api').bounds).toEqual({ min: 1, max: 10 });
    expect(doc.services.find((s: { name: string }) => s.name === 'bot').bounds).toBeUndefined();
  });
});
