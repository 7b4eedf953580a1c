// validate → plan → apply → show → plan on the mock cloud, through the built CLI.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { project, scalectl } from '../support/cli.js';

const state = (dir: string) => JSON.parse(readFileSync(join(dir, '.scalectl/mock-cloud.json'), 'utf8'));

describe('the spine on the mock cloud', () => {
  it('validate → plan (2) → apply --yes → show → plan (0)', async () => {
    const dir = project();
    const validate = await scalectl(['validate'], { cwd: dir });
    expect(validate.exitCode).toBe(0);
    expect(validate.stderr).toBe('✓ scaling.yaml is valid: 5 services on 1 provider; environments staging (4 services on 1 provider), prod (5 services on 1 provider).');

    const plan = await scalectl(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(plan.exitCode).toBe(2);
    expect(plan.stdout).toContain('+ web (sim: mock web) will be created');
    expect(plan.stdout).toContain('    + web.autoscale.max: 20  # scaling.yaml:18');
    expect(plan.stdout).toContain('    + admin.replicas: 0  # scaling.yaml:63');
    expect(plan.stdout.trim().split('\n').at(-1)).toBe('Plan: 5 to change, 0 unchanged, 0 errors.');

    const apply = await scalectl(['apply', '--yes'], { cwd: dir });
    expect(apply.exitCode).toBe(0);
    expect(apply.stderr).toContain('✓ web: created web: 17 fields');
    expect(apply.stderr).toContain('✓ bot: created bot: replicas');
    expect(apply.stderr).toContain('Apply complete: 5 changed, 0 failed.');

    const show = await scalectl(['show'], { cwd: dir });
    expect(show.exitCode).toBe(0);
    const rows = show.stdout.split('\n');
    expect(rows[0]).toMatch(/^SERVICE +PROVIDER +TARGET +SCALING +INSTANCES +BOUNDS +DRIFT$/);
    expect(rows.find((r) => r.startsWith('bot '))).toMatch(/^bot +sim \(mock\) +bot +fixed +1\/1 +- +in sync$/);
    expect(rows.find((r) => r.startsWith('admin '))).toMatch(/stopped +0\/0 +- +in sync$/);
    // Monday to Friday 08:00–20:00 Moscow time the business-hours schedule raises min to 5.
    expect(rows.find((r) => r.startsWith('web '))).toMatch(/autoscale \(concurrency\) +(2\/2 +2\.\.20|5\/5 +5\.\.20 \(business-hours\)) +in sync$/);

    const doc = JSON.parse((await scalectl(['show', '--json'], { cwd: dir })).stdout as string);
    expect(doc.formatVersion).toBe(1);
    const json = doc.services;
    expect(json.find((s: { name: string }) => s.name === 'web').bounds).toEqual(expect.objectContaining({ min: expect.any(Number), max: 20 }));
    expect(json.map((s: { name: string; drift: unknown[] }) => [s.name, s.drift.length])).toEqual([['web', 0], ['api', 0], ['worker', 0], ['bot', 0], ['admin', 0]]);
    expect(json.find((s: { name: string }) => s.name === 'bot').instances).toEqual({ desired: 1, ready: 1 });

    const again = await scalectl(['plan', '--detailed-exitcode'], { cwd: dir });
    expect(again.exitCode).toBe(0);
    expect(again.stdout.trim()).toBe('No changes. Plan: 0 to change, 5 unchanged, 0 errors.');
  });

  it('a change in the file shows as ~ with before → after, and --json is the plan record', async () => {
    const dir = project();
    await scalectl(['apply', '--yes', '-q'], { cwd: dir });
    const file = join(dir, 'scaling.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('      max: 20\n', '      max: 30\n'));
    const plan = await scalectl(['plan'], { cwd: dir });
    expect(plan.stdout).toContain('~ web (sim: mock web) will be updated');
    expect(plan.stdout).toContain('    ~ web.autoscale.max: 20 → 30  # scaling.yaml:18');
    expect(plan.stdout).toContain('Plan: 1 to change, 4 unchanged, 0 errors.');
    const record = JSON.parse((await scalectl(['plan', '--json'], { cwd: dir })).stdout as string);
    expect(record).toMatchObject({ formatVersion: 1, configFile: file, forced: false, summary: { toChange: 1, unchanged: 4, errors: 0 } });
    expect(record.services[0]).toMatchObject({
      name: 'web',
      provider: 'sim',
      adapter: 'mock',
      target: 'web',
      action: 'update',
      fingerprint: 'mock:rev-1',
      changes: [{ field: 'autoscale.max', before: 20, after: 30, support: 'native', cause: 'scaling.yaml:18' }],
    });
  });

  it('applies a saved plan, and refuses it once stale (file or live state changed)', async () => {
    const dir = project();
    const saved = await scalectl(['plan', '--out', 'plan.json'], { cwd: dir });
    expect(saved.stderr).toContain('Saved the plan to plan.json; apply it with: scalectl apply plan.json');
    const applied = await scalectl(['apply', 'plan.json', '--yes'], { cwd: dir });
    expect(applied.exitCode).toBe(0);
    expect(applied.stderr).toContain('Apply complete: 5 changed, 0 failed.');

    // the same plan again: the live state moved (every target now exists)
    const replay = await scalectl(['apply', 'plan.json', '--yes'], { cwd: dir });
    expect(replay.exitCode).toBe(1);
    expect(replay.stderr).toMatch(/^error: the plan plan.json is stale: the live state changed since it was made: web \(planned mock:absent, now mock:rev-1\)/m);
    expect(replay.stderr).toContain('make a new one: scalectl plan -f scaling.yaml --out plan.json');

    // a plan made, then the file edited
    await scalectl(['plan', '--out', 'plan2.json'], { cwd: dir });
    const file = join(dir, 'scaling.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('replicas: 0', 'replicas: 1'));
    const edited = await scalectl(['apply', 'plan2.json', '--yes'], { cwd: dir });
    expect(edited.exitCode).toBe(1);
    expect(edited.stderr).toContain(`error: the plan plan2.json is stale: ${file} changed since it was made`);
    expect(state(dir).providers.sim.admin.spec).toEqual({ replicas: 0 });
  });

  it('without a terminal, apply refuses to run unconfirmed (exit 1) and changes nothing', async () => {
    const dir = project();
    const result = await scalectl(['apply'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('error: apply needs a confirmation, and there is no terminal to ask in: pass --yes to apply without asking (or --dry-run to only try it)');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const dry = await scalectl(['apply', '--dry-run'], { cwd: dir });
    expect(dry.exitCode).toBe(0);
    expect(dry.stderr).toContain('Dry run complete: 5 would change, 0 failed.');
    expect((await scalectl(['plan', '--detailed-exitcode'], { cwd: dir })).exitCode).toBe(2);
  });

  it('20 concurrent applies leave a valid state with every update kept', async () => {
    const dir = project();
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => scalectl(['apply', '--yes', '-q', i % 2 ? 'web' : 'bot'], { cwd: dir })),
    );
    expect(runs.map((r) => r.exitCode)).toEqual(Array(20).fill(0));
    const final = state(dir);
    expect(final.formatVersion).toBe(1);
    expect(Object.keys(final.providers.sim).sort()).toEqual(['bot', 'web']);
    expect(final.providers.sim.bot.spec).toEqual({ replicas: 1 });
    expect((await scalectl(['plan', 'web', 'bot', '--detailed-exitcode'], { cwd: dir })).exitCode).toBe(0);
  });

  it('retries injected faults and names what failed and why', async () => {
    const dir = project();
    const result = await scalectl(['apply', '--yes'], { cwd: dir, env: { SCALECTL_MOCK_FAULTS: 'error=0.4,seed=3,fail=admin' } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('✗ admin: failed: the mock cloud rejected admin (injected failure)');
    expect(result.stderr).toContain('    nothing was changed for it');
    expect(result.stderr).toMatch(/retrying in \d+ ms \(attempt 2\)/);
    expect(result.stderr).toContain('Apply failed: 4 changed, 1 failed.');
    expect(Object.keys(state(dir).providers.sim).sort()).toEqual(['api', 'bot', 'web', 'worker']);
  });

  it('Ctrl-C during a slow apply finishes what is in flight, starts nothing new, exits 130', async () => {
    const dir = project();
    const child = scalectl(['apply', '--yes', '--concurrency', '1'], { cwd: dir, env: { SCALECTL_MOCK_FAULTS: 'latency=1500ms' } });
    let sent = false;
    child.stderr?.on('data', (chunk: Buffer) => {
      if (!sent && chunk.toString().includes('web: applying…')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toContain('Interrupted: finishing the changes in flight, starting no new ones');
    expect(result.stderr).toContain('✓ web: created web');
    expect(result.stderr).toContain('○ api: interrupted: not started: interrupted');
    expect(result.stderr).toContain('Apply interrupted: 1 changed, 0 failed, 4 not done.');
    expect(Object.keys(state(dir).providers.sim)).toEqual(['web']);
  });
});

describe('CI summaries', () => {
  it('plan and apply --summary append Markdown to $GITHUB_STEP_SUMMARY', async () => {
    const dir = project();
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    const env = { GITHUB_STEP_SUMMARY: summary };
    expect((await scalectl(['plan', '--summary'], { cwd: dir, env })).exitCode).toBe(0);
    const afterPlan = readFileSync(summary, 'utf8');
    expect(afterPlan).toContain('### scalectl plan');
    expect(afterPlan).toContain('**Plan: 5 to change, 0 unchanged, 0 errors.**');
    expect(afterPlan).toContain('| + web | `autoscale.max` | `(none)` | `20` | native | scaling.yaml:18 |');
    expect((await scalectl(['apply', '--yes', '--summary'], { cwd: dir, env })).exitCode).toBe(0);
    const afterApply = readFileSync(summary, 'utf8').slice(afterPlan.length);
    expect(afterApply).toContain('### scalectl apply');
    expect(afterApply).toMatch(/web/);
    // without the variable, --summary writes nothing and does not fail
    expect((await scalectl(['plan', '--summary'], { cwd: dir })).exitCode).toBe(0);
  });
});

describe('the readiness gate on the example', () => {
  it('check finds the long-polling bot (info while scaling.yaml keeps it at one instance); scaling it past one instance is refused (exit 3), --force plans', async () => {
    const dir = project();
    const check = await scalectl(['check', '--format', 'json'], { cwd: dir });
    expect(check.exitCode).toBe(0);
    const report = JSON.parse(check.stdout);
    expect(report.roots.map((r: { service: string; findings: unknown[] }) => [r.service, r.findings.length])).toEqual([['web', 0], ['bot', 1]]);
    expect(report.roots[1].findings[0]).toMatchObject({ ruleId: 'grammy-long-polling', category: 'polling-bot', severity: 'info', file: 'bot.ts', line: 16, column: 1 });
    expect(report.roots[1].findings[0].message).toMatch(/^Fine at 1 instance \(service "bot" runs at most 1 in scaling.yaml\); with more: grammY bot/);
    // at replicas: 1 the bot is allowed
    expect((await scalectl(['plan', 'bot', '--detailed-exitcode'], { cwd: dir })).exitCode).toBe(2);
    const file = join(dir, 'scaling.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  bot:\n    replicas: 1', '  bot:\n    replicas: 3'));
    const scaled = await scalectl(['check', '--format', 'json'], { cwd: dir });
    expect(scaled.exitCode).toBe(3);
    expect(JSON.parse(scaled.stdout).roots[1].findings[0]).toMatchObject({ ruleId: 'grammy-long-polling', severity: 'error' });
    const blocked = await scalectl(['plan', 'bot'], { cwd: dir });
    expect(blocked.exitCode).toBe(3);
    expect(blocked.stdout).toContain('error: readiness: 1 error finding(s) make more than one instance unsafe (bot.ts:16:1 grammy-long-polling)');
    expect((await scalectl(['apply', 'bot', '--yes'], { cwd: dir })).exitCode).toBe(3);
    const forced = await scalectl(['plan', 'bot', '--force'], { cwd: dir });
    expect(forced.exitCode).toBe(0);
    expect(forced.stdout).toContain('warning: readiness gate overridden with --force');
  });
});
