// init adds environments: the wizard's question, --add-env, and the text it writes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig, parseEveryEnvironment } from '../../src/config/load.js';
import { discover } from '../../src/init/discover.js';
import { addEnvironments, parseEnvironmentNames } from '../../src/init/environments.js';
import { runWizard } from '../../src/init/wizard.js';
import { scalectl } from '../support/cli.js';
import { composeProject } from './fixture.js';
import { KEY, mockTerminal } from './streams.js';

const env = { HOME: '/nonexistent' };

describe('init: environments', () => {
  it('adds each environment with the base bounds to edit, keeping the file byte for byte', () => {
    const original = '# mine\nversion: 1\nservices:\n  web:   # storefront\n    autoscale: { min: 2, max: 20 }\n  bot:\n    replicas: 1\n';
    const text = addEnvironments(original, ['staging', 'prod']);
    expect(text.startsWith(original)).toBe(true);
    const entry = (name: string) => [
      `  # ${name}: what differs from the base above (maps merge, lists replace, null removes).`,
      `  # Use it with --env ${name} or SCALECTL_ENV=${name}; it starts as the base's bounds: edit them.`,
      `  ${name}:`,
      '    services:',
      '      web:',
      '        autoscale:',
      '          min: 2',
      '          max: 20',
      '      bot:',
      '        replicas: 1',
    ];
    expect(text.slice(original.length)).toBe(['environments:', ...entry('staging'), ...entry('prod'), ''].join('\n'));
    expect(parseEveryEnvironment(text, '/p/scaling.yaml', {}, '/p').map((c) => c.environment)).toEqual([undefined, 'staging', 'prod']);
    expect(() => addEnvironments(text, ['prod'])).toThrow('scaling.yaml already has environment "prod"; change it with scalectl set --env prod <service> <path>=<value>');
  });

  it('reads names from flags and answers, refusing bad and repeated ones', () => {
    expect(parseEnvironmentNames(['staging, prod', 'qa'])).toEqual(['staging', 'prod', 'qa']);
    expect(parseEnvironmentNames([''])).toEqual([]);
    expect(() => parseEnvironmentNames(['pr od'])).toThrow('--add-env "pr od": an environment name takes letters');
    expect(() => parseEnvironmentNames(['prod', 'prod'])).toThrow('--add-env names "prod" twice');
  });

  it('the wizard asks which environments to add and writes them', async () => {
    const dir = composeProject();
    const term = mockTerminal([
      ['Where do the services run?', `${KEY.down}${KEY.enter}`],
      ['Which services should scalectl scale?', `${KEY.space}${KEY.down}${KEY.space}${KEY.enter}`],
      ['Any other services?', `solo${KEY.enter}`],
      ['How should solo scale?', `${KEY.down}${KEY.enter}`],
      ['How many instances of solo?', `2${KEY.enter}`],
      ['Source folder of solo', KEY.enter],
      ['Environments to add', `staging,prod${KEY.enter}`],
      ['Write scaling.yaml?', KEY.enter],
    ]);
    const code = await runWizard({ io: term.io, discovery: discover({ dir, env, socketPaths: [] }), presets: { services: [], sources: new Map(), targets: new Map() }, force: false, check: false, cwd: dir, env });
    expect(code).toBe(0);
    expect(term.screen()).toContain('environments: staging, prod (start as the base\'s bounds)');
    const text = readFileSync(join(dir, 'scaling.yaml'), 'utf8');
    const prod = parseConfig(text, join(dir, 'scaling.yaml'), {}, dir, { environment: 'prod' });
    expect(prod.services.map((s) => [s.name, s.spec.replicas])).toEqual([['solo', 2]]);
  });

  it('init --yes --add-env adds environments to an existing file through the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalectl-init-env-'));
    writeFileSync(join(dir, 'scaling.yaml'), 'version: 1\nservices:\n  web:\n    replicas: 2\n');
    const result = await scalectl(['init', '--yes', '--add-env', 'staging'], { cwd: dir });
    expect(result.stderr).toContain('Added environment staging to scaling.yaml: edit their overrides, then scalectl plan --env staging.');
    expect(result.exitCode).toBe(0);
    const shown = await scalectl(['plan', '--env', 'staging'], { cwd: dir });
    expect(shown.stdout).toContain('Environment: staging');
    expect(shown.stdout).toContain('+ web.replicas: 2  # scaling.yaml:11');
    const again = await scalectl(['init', '--yes', '--add-env', 'staging'], { cwd: dir });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toBe('error: scaling.yaml already has environment "staging"; change it with scalectl set --env staging <service> <path>=<value>');
  });
});
