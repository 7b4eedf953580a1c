// Adapters from a path: one that meets the contract works end to end; one that does not is refused.
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, project, scalectl } from '../support/cli.js';

const MEMORY = join(ROOT, 'test/fixtures/adapters/memory-adapter.mjs');

const config = (adapter: string, extra = '') => `version: 1
providers:
  mem: { adapter: ${adapter}, file: state.json }
services:
  web:
    provider: mem
    replicas: 3
${extra}`;

describe('third-party adapters', () => {
  it('loads an adapter module by path and runs plan → apply → show with it', async () => {
    const dir = project();
    writeFileSync(join(dir, 'scaling.yaml'), config('./adapters/memory-adapter.mjs'));
    mkdirSync(join(dir, 'adapters'));
    writeFileSync(join(dir, 'adapters/memory-adapter.mjs'), readFileSync(MEMORY));
    const plan = await scalectl(['plan', '--detailed-exitcode', '-v'], { cwd: dir });
    expect(plan.exitCode).toBe(2);
    expect(plan.stdout).toContain('+ web.replicas: 3');
    expect(plan.stderr).toContain(`debug: provider mem: loading adapter module ${realpathSync(join(dir, 'adapters/memory-adapter.mjs'))}`);
    expect((await scalectl(['apply', '--yes'], { cwd: dir })).stderr).toContain('✓ web: set web to 3');
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))).toEqual({ web: { replicas: 3, version: 1 } });
    expect((await scalectl(['plan', '--detailed-exitcode'], { cwd: dir })).exitCode).toBe(0);
  });

  it('refuses adapter code outside the project unless --allow-adapter names it', async () => {
    const dir = project();
    writeFileSync(join(dir, 'scaling.yaml'), config(MEMORY));
    for (const command of [['plan'], ['show'], ['apply', '--yes']]) {
      const refused = await scalectl(command, { cwd: dir });
      expect(refused.exitCode).toBe(1);
      expect(refused.stdout + refused.stderr).toContain(
        `provider "mem" names adapter code outside the project: ${MEMORY}. scalectl runs adapter code from outside ${realpathSync(dir)} only when you allow it on the command line: --allow-adapter ${MEMORY}`,
      );
    }
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
    const allowed = await scalectl(['plan', '--detailed-exitcode', '--allow-adapter', MEMORY], { cwd: dir });
    expect(allowed.exitCode).toBe(2);
  });

  it('validate loads no third-party adapter code', async () => {
    const dir = project();
    // A module that leaves a mark when it is imported.
    writeFileSync(join(dir, 'marking.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(dir, 'imported'))}, 'yes');\nexport default () => { throw new Error('started'); };\n`);
    writeFileSync(join(dir, 'scaling.yaml'), config('./marking.mjs'));
    const result = await scalectl(['validate', '-v'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('validate loads no third-party adapter (./marking.mjs)');
    expect(existsSync(join(dir, 'imported'))).toBe(false);
    await scalectl(['plan'], { cwd: dir });
    expect(existsSync(join(dir, 'imported'))).toBe(true);
  });

  it('an unsupported field is a plan error naming field, adapter and target', async () => {
    const dir = project();
    writeFileSync(join(dir, 'scaling.yaml'), config(MEMORY, '    resources: { cpu: 1 }\n'));
    const plan = await scalectl(['plan', '--allow-adapter', MEMORY], { cwd: dir });
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout).toContain('error: web.resources.cpu is not supported by the memory adapter for web');
    expect(plan.stdout).toContain('[unsupported]');
  });

  it('loads an adapter from an npm package installed in the project', async () => {
    const dir = project();
    const pkg = join(dir, 'node_modules/scalectl-adapter-memory');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'scalectl-adapter-memory', version: '1.0.0', type: 'module', exports: './index.mjs' }));
    writeFileSync(join(pkg, 'index.mjs'), readFileSync(join(ROOT, 'test/fixtures/adapters/memory-adapter.mjs')));
    writeFileSync(join(dir, 'scaling.yaml'), config('scalectl-adapter-memory'));
    const apply = await scalectl(['apply', '--yes'], { cwd: dir });
    expect(apply.exitCode).toBe(0);
    expect(apply.stderr).toContain('✓ web: set web to 3');
    expect((await scalectl(['plan', '--detailed-exitcode'], { cwd: dir })).exitCode).toBe(0);
  });

  it('refuses a module that does not meet the contract, naming what is missing', async () => {
    const dir = project();
    writeFileSync(join(dir, 'scaling.yaml'), config('./broken.mjs'));
    writeFileSync(join(dir, 'broken.mjs'), readFileSync(join(ROOT, 'test/fixtures/adapters/broken-adapter.mjs')));
    const result = await scalectl(['plan'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe('error: adapter "./broken.mjs" does not meet the adapter contract: missing read(), apply()');
  });

  it('names an adapter that cannot be found', async () => {
    const dir = project();
    writeFileSync(join(dir, 'scaling.yaml'), config('scalectl-adapter-nowhere'));
    const result = await scalectl(['plan'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^error: cannot load adapter "scalectl-adapter-nowhere": .*\(expected one of mock, docker, kubernetes, a path such as \.\/adapters\/my-adapter\.js, or an installed npm package\)/);
  });
});
