// Global flags as a user meets them: --version, --help, colours, -q, -v, bad flags, -f.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, project, scalectl } from '../support/cli.js';

const ESC = '\u001b[';

describe('global flags', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const result = await scalectl(['--version'], { cwd: ROOT });
    expect(result.stdout).toBe(version);
    expect(result.exitCode).toBe(0);
  });

  it('--help lists the commands, examples and exit codes; each command has help', async () => {
    const help = await scalectl(['--help'], { cwd: ROOT });
    expect(help.exitCode).toBe(0);
    for (const command of ['validate', 'show', 'plan', 'apply', 'check', 'simulate']) expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(help.stdout).toContain('$ scalectl apply plan.json              apply exactly the reviewed plan');
    expect(help.stdout).toContain('Exit codes: 0 ok/no changes, 1 error, 2 changes (plan --detailed-exitcode),');
    const plan = await scalectl(['plan', '--help'], { cwd: ROOT });
    expect(plan.stdout).toContain('--detailed-exitcode');
    expect(plan.stdout).toContain('$ scalectl plan --out plan.json --detailed-exitcode   # exit 2 when something changes');
    // Each command's help lists the global flags too (show's own example uses --json).
    for (const command of ['show', 'plan', 'apply', 'validate', 'simulate']) {
      const text = (await scalectl([command, '--help'], { cwd: ROOT })).stdout;
      expect(text).toContain('Global Options:');
      for (const flag of ['-f, --file <path>', '--json', '--no-color', '-q, --quiet', '-v, --verbose']) expect(text).toContain(flag);
    }
  });

  it('colours only when asked or on a terminal; NO_COLOR and --no-color win', async () => {
    const dir = project();
    const forced = await scalectl(['plan'], { cwd: dir, env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    expect((await scalectl(['plan'], { cwd: dir, env: { FORCE_COLOR: '1' } })).stdout).not.toContain(ESC); // NO_COLOR beats FORCE_COLOR
    expect(forced.stdout).toContain(ESC);
    expect((await scalectl(['plan'], { cwd: dir })).stdout).not.toContain(ESC); // NO_COLOR=1 from cleanEnv
    expect((await scalectl(['plan', '--no-color'], { cwd: dir, env: { FORCE_COLOR: '1', NO_COLOR: '' } })).stdout).not.toContain(ESC);
  });

  it('-q prints only the summary line; unknown flags and bad numbers exit 1 with the reason', async () => {
    const dir = project();
    const quiet = await scalectl(['plan', '-q'], { cwd: dir });
    expect(quiet.stdout).toBe('Plan: 5 to change, 0 unchanged, 0 errors.');
    const quietApply = await scalectl(['-q', 'apply', '--yes'], { cwd: dir });
    expect(quietApply.exitCode).toBe(0);
    expect(`${quietApply.stdout}${quietApply.stderr}`).toBe('Apply complete: 5 changed, 0 failed.');
    const unknown = await scalectl(['plan', '--detailed'], { cwd: dir });
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("error: unknown option '--detailed'");
    const bad = await scalectl(['apply', '--yes', '--concurrency', 'two'], { cwd: dir });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('--concurrency takes a whole number of at least 1, got "two"');
    // a value outside a flag's or an argument's choices: in our words, with the choices and an example
    const format = await scalectl(['check', '--format', 'xml'], { cwd: dir });
    expect(format.exitCode).toBe(1);
    expect(format.stderr).toContain('error: --format "xml": expected one of text, json, sarif, github, e.g. --format text');
    const shell = await scalectl(['completion', 'tcsh'], { cwd: dir });
    expect(shell.exitCode).toBe(1);
    expect(shell.stderr).toContain('error: "tcsh" is not a shell scalectl knows: expected one of bash, zsh, fish');
    expect(format.stderr + shell.stderr).not.toContain('Allowed choices');
  });

  it('-f names the file; a missing one is one clear line; -v adds the stack trace', async () => {
    const dir = project();
    const missing = await scalectl(['validate', '-f', 'nope.yaml'], { cwd: dir });
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toBe('error: no such file: nope.yaml\n  check the -f/--file path'); // no fake :1:1 position
    const nowhere = await scalectl(['plan'], { cwd: '/' });
    expect(nowhere.stderr).toContain('error: no scaling.yaml in / or any folder above it');
    writeFileSync(join(dir, 'scaling.yaml'), 'version: 1\nservices:\n  web: { replicas: 1 }\n');
    const verbose = await scalectl(['show', 'api', '-v'], { cwd: dir });
    expect(verbose.exitCode).toBe(1);
    expect(verbose.stderr).toContain('error: no service "api" in');
    expect(verbose.stderr).toMatch(/\n\s+at .+/);
    const plain = await scalectl(['show', 'api'], { cwd: dir });
    expect(plain.stderr).not.toMatch(/\n\s+at .+/);
  });

  it('finds the nearest scaling.yaml walking up from a subfolder', async () => {
    const dir = project();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'services/web'), { recursive: true });
    const result = await scalectl(['validate'], { cwd: join(dir, 'services/web') });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe(`✓ ${join(dir, 'scaling.yaml')} is valid: 5 services on 1 provider; environments staging (4 services on 1 provider), prod (5 services on 1 provider).`);
  });
});
