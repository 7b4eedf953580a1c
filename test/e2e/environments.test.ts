// Environments through the built CLI: --env and SCALECTL_ENV on every command, validate at the
// override's line, per-environment mock cloud state, saved plans bound to their environment.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scalectl } from '../support/cli.js';

const FILE = `version: 1
services:
  web:
    autoscale:
      min: 2        # hot instances
      max: 10
      metrics:
        - { type: concurrency, target: 70, limit: 100 }
  bot:
    replicas: 1
environments:
  staging:
    services:
      web:
        autoscale: { max: 4 }
  # production: more hot instances, no bot
  prod:
    services:
      web:
        autoscale:
          min: 3
          max: 30
      bot: null
`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(text = FILE): string {
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-env-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'scaling.yaml'), text);
  return dir;
}

const stateOf = (dir: string, name: string) => JSON.parse(readFileSync(join(dir, '.scalectl', name), 'utf8'));
const NOTE = 'note: scaling.yaml defines environments (staging, prod); using the base. Choose one with --env <name> or SCALECTL_ENV.';

describe('environments end to end', () => {
  it('validate checks the base and every environment; --env checks one', async () => {
    const dir = folder();
    const all = await scalectl(['validate'], { cwd: dir });
    expect(all.exitCode).toBe(0);
    expect(all.stderr).toBe('✓ scaling.yaml is valid: 2 services on 1 provider; environments staging (2 services on 1 provider), prod (1 service on 1 provider).');
    const one = await scalectl(['validate', '--env', 'prod'], { cwd: dir });
    expect(one.stderr).toBe('✓ environment prod of scaling.yaml is valid: 1 service on 1 provider.');
    const json = JSON.parse((await scalectl(['validate', '--json'], { cwd: dir })).stdout);
    expect(json).toMatchObject({ valid: true, services: 2, environments: { staging: { services: 2 }, prod: { services: 1 } } });
  });

  it('validate reports an invalid override at its line, naming the environment', async () => {
    const dir = folder(FILE.replace('autoscale: { max: 4 }', 'autoscale: { max: 1 }').replace('          max: 30', '          max: 30\n          maxx: 3'));
    const result = await scalectl(['validate'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      [
        'scaling.yaml:15:27: error: environment "staging": autoscale.min (2) is above autoscale.max (1)',
        '  min must not exceed max; the base value is at line 5',
        'scaling.yaml:23:11: error: environment "prod": unknown key "maxx" in services.web.autoscale',
        '  did you mean "max"?',
        '2 errors.',
      ].join('\n'),
    );
    const json = JSON.parse((await scalectl(['validate', '--json'], { cwd: dir })).stdout);
    expect(json.errors.map((e: { line: number; col: number; environment: string }) => [e.line, e.col, e.environment])).toEqual([[15, 27, 'staging'], [23, 11, 'prod']]);
    // The base alone is still valid: commands on the base run.
    const base = await scalectl(['plan'], { cwd: dir });
    expect(base.exitCode).toBe(0);
  });

  it('refuses an unknown environment from --env or SCALECTL_ENV, listing the known ones', async () => {
    const dir = folder();
    const flag = await scalectl(['plan', '--env', 'prd'], { cwd: dir });
    expect(flag.exitCode).toBe(1);
    expect(flag.stderr).toBe('error: unknown environment "prd" in scaling.yaml (did you mean "prod"?); environments: staging, prod');
    const variable = await scalectl(['show'], { cwd: dir, env: { SCALECTL_ENV: 'qa' } });
    expect(variable.exitCode).toBe(1);
    expect(variable.stderr).toBe('error: unknown environment "qa" in scaling.yaml; environments: staging, prod');
  });

  it('plans, applies and shows each environment against its own mock cloud state', async () => {
    const dir = folder();
    const plan = await scalectl(['plan', '--env', 'prod'], { cwd: dir });
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout.split('\n').slice(0, 4)).toEqual(['Environment: prod', '', '+ web (mock: mock web) will be created', '    + web.autoscale.min: 3  # scaling.yaml:21']);
    expect(plan.stdout).not.toContain('bot');

    const apply = await scalectl(['apply', '--yes'], { cwd: dir, env: { SCALECTL_ENV: 'staging' } });
    expect(apply.exitCode).toBe(0);
    expect(apply.stderr).toContain('Apply complete: 2 changed, 0 failed.');
    expect(stateOf(dir, 'env/staging/mock-cloud.json').providers.mock.web.spec.autoscale).toMatchObject({ min: 2, max: 4 });
    expect(existsSync(join(dir, '.scalectl/mock-cloud.json'))).toBe(false);
    expect(existsSync(join(dir, '.scalectl/env/prod'))).toBe(false);

    // scalectl autoscale keeps its memory beside the environment's mock cloud state.
    await scalectl(['autoscale', '--once', '--env', 'staging'], { cwd: dir });
    expect(existsSync(join(dir, '.scalectl/env/staging/autoscale-state.json'))).toBe(true);
    expect(existsSync(join(dir, '.scalectl/autoscale-state.json'))).toBe(false);

    const staging = await scalectl(['show', '--env', 'staging'], { cwd: dir });
    expect(staging.stdout.split('\n')[0]).toBe('Environment: staging');
    expect(staging.stdout).toMatch(/\nweb +mock \(mock\) +web +autoscale \(concurrency\) +2\/2 +2\.\.4 +in sync\n/);
    expect(staging.stderr).toBe('');
    const shown = JSON.parse((await scalectl(['show', '--env', 'staging', '--json'], { cwd: dir })).stdout);
    expect(shown.environment).toBe('staging');
    const json = shown.services;
    expect(json.map((row: { name: string; environment: string }) => [row.name, row.environment])).toEqual([['web', 'staging'], ['bot', 'staging']]);

    // The base has its own state: nothing is created there yet, and the note says the base is used.
    const base = await scalectl(['show'], { cwd: dir });
    expect(base.stderr).toBe(NOTE);
    expect(base.stdout).toMatch(/\nweb +mock \(mock\) +web +- +- +- +not created\n/);
    const again = await scalectl(['plan', '--env', 'staging', '--detailed-exitcode'], { cwd: dir });
    expect(again.exitCode).toBe(0);
    expect(again.stdout.trim().split('\n').at(-1)).toBe('No changes. Plan: 0 to change, 2 unchanged, 0 errors.');
  });

  it('a saved plan carries its environment and applies only there', async () => {
    const dir = folder();
    const saved = await scalectl(['plan', '--env', 'staging', '--out', 'plan.json'], { cwd: dir });
    expect(saved.exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')).environment).toBe('staging');

    const wrong = await scalectl(['apply', 'plan.json', '--env', 'prod'], { cwd: dir });
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toBe('error: the plan plan.json was made for environment "staging", not environment "prod"; apply it with --env staging, or make a plan for "prod": scalectl plan --env prod --out plan.json');
    const viaVariable = await scalectl(['apply', 'plan.json'], { cwd: dir, env: { SCALECTL_ENV: 'prod' } });
    expect(viaVariable.exitCode).toBe(1);
    expect(existsSync(join(dir, '.scalectl'))).toBe(false);

    // Without --env the plan's own environment is used.
    const right = await scalectl(['apply', 'plan.json'], { cwd: dir });
    expect(right.exitCode).toBe(0);
    expect(right.stderr).toContain('Apply complete: 2 changed, 0 failed.');
    expect(Object.keys(stateOf(dir, 'env/staging/mock-cloud.json').providers.mock)).toEqual(['web', 'bot']);

    await scalectl(['plan', '--out', 'base.json'], { cwd: dir });
    const baseOnProd = await scalectl(['apply', 'base.json', '--env', 'prod'], { cwd: dir });
    expect(baseOnProd.exitCode).toBe(1);
    expect(baseOnProd.stderr).toMatch(/^error: the plan base\.json was made for the base of the file \(no environment\), not environment "prod"; apply it without --env/);
  });

  it('set --env edits the override, creating its path and keeping comments', async () => {
    const dir = folder();
    const result = await scalectl(['set', '--env', 'prod', 'web', 'autoscale.max=40', 'resources.cpu=1'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('prod: web.autoscale.max: 30 → 40\nprod: web.resources.cpu: (none) → 1\nUpdated scaling.yaml. Next: scalectl plan');
    const text = readFileSync(join(dir, 'scaling.yaml'), 'utf8');
    expect(text).toBe(FILE.replace('          max: 30\n', '          max: 40\n        resources:\n          cpu: 1\n'));

    const staging = await scalectl(['set', 'web', 'autoscale.max=5'], { cwd: dir, env: { SCALECTL_ENV: 'staging' } });
    expect(staging.stderr).toBe('staging: web.autoscale.max: 4 → 5\nUpdated scaling.yaml. Next: scalectl plan');
    expect(readFileSync(join(dir, 'scaling.yaml'), 'utf8')).toContain('        autoscale: { max: 5 }\n');

    // An override that would make an environment invalid is refused, at its line.
    const invalid = await scalectl(['set', '--env', 'staging', 'web', 'autoscale.max=1'], { cwd: dir });
    expect(invalid.exitCode).toBe(1);
    expect(invalid.stderr).toContain('scaling.yaml:15:27: error: environment "staging": autoscale.min (2) is above autoscale.max (1)');
    expect(invalid.stderr).toContain('scaling.yaml was not changed');
    const unknown = await scalectl(['set', '--env', 'qa', 'web', 'autoscale.max=5'], { cwd: dir });
    expect(unknown.stderr).toBe('error: unknown environment "qa" in scaling.yaml; environments: staging, prod');
  });

  it('check and simulate take --env; a file without environments refuses one', async () => {
    const dir = folder();
    const simulate = await scalectl(['simulate', 'web', '--env', 'staging', '--load', 'concurrency=steps(50,900@1m)', '--duration', '3m', '--json'], { cwd: dir });
    expect(simulate.exitCode).toBe(0);
    expect(JSON.parse(simulate.stdout).summary.peakInstances).toBe(4);
    const check = await scalectl(['check', '--env', 'prod', '--format', 'json'], { cwd: dir });
    expect(check.stderr).not.toContain('note:');
    const plain = folder('version: 1\nservices:\n  web: { replicas: 1 }\n');
    const refused = await scalectl(['plan', '--env', 'prod'], { cwd: plain });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe('error: scaling.yaml has no environments, so there is no environment "prod": add an environments: block, or drop --env (and unset SCALECTL_ENV)');
  });
});
