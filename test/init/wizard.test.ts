// The whole wizard on mock streams: what it finds, what it asks, what it writes — or not.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { discover } from '../../src/init/discover.js';
import { runWizard } from '../../src/init/wizard.js';
import { composeProject } from './fixture.js';
import { KEY, mockTerminal } from './streams.js';

const noPresets = () => ({ services: [], sources: new Map<string, string>(), targets: new Map<string, string>() });
const env = { HOME: '/nonexistent' };

function wizard(dir: string, term: ReturnType<typeof mockTerminal>, extra: { force?: boolean } = {}) {
  return runWizard({ io: term.io, discovery: discover({ dir, env, socketPaths: [] }), presets: noPresets(), force: Boolean(extra.force), check: true, cwd: dir, env });
}

describe('init wizard', () => {
  it('finds the Compose services, asks per service, holds the polling bot at one instance and writes a valid file', async () => {
    const dir = composeProject();
    const term = mockTerminal([
      ['Where do the services run?', `${KEY.down}${KEY.enter}`], // Docker is first (compose.yaml found); pick the mock cloud
      ['Which services should scalectl scale?', KEY.enter],
      ['Any other services?', KEY.enter],
      ['How should web scale?', KEY.enter],
      ['Which signal drives web?', KEY.enter],
      ['Target: in-flight', KEY.enter],
      ['Hard limit', KEY.enter],
      ['Hot instances of web', `2${KEY.enter}`],
      ['Maximum instances of web', `20${KEY.enter}`],
      ['Source folder of web', KEY.enter],
      ['How should bot scale?', KEY.enter],
      ['Which signal drives bot?', KEY.enter],
      ['Target: in-flight', KEY.enter],
      ['Hard limit', KEY.enter],
      ['Hot instances of bot', KEY.enter],
      ['Maximum instances of bot', KEY.enter],
      ['Source folder of bot', KEY.enter],
      ['Run bot as 1 instance until these are fixed?', KEY.enter],
      ['Environments to add', KEY.enter],
      ['Write scaling.yaml?', KEY.enter],
    ]);
    expect(await wizard(dir, term)).toBe(0);
    const screen = term.screen();
    expect(screen).toContain('Compose: compose.yaml (project shop; web, bot)');
    expect(screen).toContain('./web: nothing that breaks with replicas');
    expect(screen).toContain('bot is not ready for several instances:');
    expect(screen).toContain('polling-bot: every replica pulls the same updates and answers them N times.');
    expect(screen).toContain('./bot/index.js:4:1 grammy-long-polling');
    expect(screen).toContain('Wrote scaling.yaml (valid).');
    expect(screen).toContain('scalectl plan        what would change');
    const text = readFileSync(join(dir, 'scaling.yaml'), 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*scaling\.schema\.json$/);
    const config = parseConfig(text, join(dir, 'scaling.yaml'), {});
    expect(config.defaults.provider).toBe('sim');
    const web = config.services.find((s) => s.name === 'web')!;
    expect(web.spec.autoscale).toEqual({ min: 2, max: 20, metrics: [{ type: 'concurrency', target: 70, limit: 100 }] });
    expect(web.source).toBe(join(dir, 'web'));
    expect(config.services.find((s) => s.name === 'bot')!.spec).toEqual({ replicas: 1 });
    expect(text).toContain('  # Held at 1 instance: the readiness check found 1 error (polling-bot).\n');
    expect(text).toContain('      min: 2          # hot instances, always running\n');
    expect(text).toContain('  # bot: 1 instance, fixed.\n');
  });

  it('on Docker offers a fixed count or autoscaling on CPU, and says to run scalectl autoscale', async () => {
    const dir = composeProject();
    const term = mockTerminal([
      ['Where do the services run?', KEY.enter], // Docker (compose.yaml found)
      ['Which services should scalectl scale?', KEY.enter],
      ['Any other services?', KEY.enter],
      ['How should web scale?', `${KEY.up}${KEY.enter}`], // a fixed count is the default on Docker
      ['Target: CPU % per instance', KEY.enter],
      ['Hot instances of web', `2${KEY.enter}`],
      ['Maximum instances of web', `6${KEY.enter}`],
      ['Source folder of web', KEY.enter],
      ['What runs web?', KEY.enter],
      ['How should bot scale?', KEY.enter],
      ['How many instances of bot?', KEY.enter],
      ['Source folder of bot', KEY.enter],
      ['What runs bot?', KEY.enter],
      ['Environments to add', KEY.enter],
      ['Write scaling.yaml?', KEY.enter],
    ]);
    expect(await wizard(dir, term)).toBe(0);
    const screen = term.screen();
    expect(screen).toContain('Autoscale on CPU');
    expect(screen).not.toContain('Which signal drives');
    expect(screen).toContain('scalectl autoscale   keep the autoscaled services at the right count');
    const config = parseConfig(readFileSync(join(dir, 'scaling.yaml'), 'utf8'), join(dir, 'scaling.yaml'), {});
    expect(config.providers[config.defaults.provider!]?.adapter).toBe('docker');
    expect(config.services.find((s) => s.name === 'web')!.spec.autoscale).toMatchObject({ min: 2, max: 6, metrics: [{ type: 'cpu', utilization: 70 }] });
    expect(config.services.find((s) => s.name === 'bot')!.spec).toEqual({ replicas: 1 });
  });

  it('writes nothing when cancelled half-way (Ctrl-C), and exits 130', async () => {
    const dir = composeProject();
    const term = mockTerminal([
      ['Where do the services run?', `${KEY.down}${KEY.enter}`],
      ['Which services should scalectl scale?', KEY.enter],
      ['Any other services?', KEY.enter],
      ['How should web scale?', KEY.enter],
      ['Which signal drives web?', KEY.ctrlC],
    ]);
    expect(await wizard(dir, term)).toBe(130);
    expect(term.screen()).toContain('Cancelled: nothing was written.');
    expect(existsSync(join(dir, 'scaling.yaml'))).toBe(false);
  });

  it('extends an existing scaling.yaml, keeping every byte of it', async () => {
    const dir = composeProject();
    const original = '# my comments stay\nversion: 1\nservices:\n  web:   # the storefront\n    replicas: 2\n';
    writeFileSync(join(dir, 'scaling.yaml'), original);
    const term = mockTerminal([
      ['scaling.yaml exists', KEY.enter],
      ['Where do the services run?', `${KEY.down}${KEY.enter}`],
      ['Which services should scalectl scale?', KEY.enter],
      ['Any other services?', `api${KEY.enter}`],
      ['How should bot scale?', `${KEY.down}${KEY.enter}`],
      ['How many instances of bot?', KEY.enter],
      ['Source folder of bot', KEY.enter],
      ['How should api scale?', KEY.enter],
      ['Which signal drives api?', `${KEY.down}${KEY.down}${KEY.enter}`],
      ['Target: CPU %', KEY.enter],
      ['Hot instances of api', KEY.enter],
      ['Maximum instances of api', KEY.enter],
      ['Source folder of api', KEY.enter],
      ['Environments to add', KEY.enter],
      ['Add these to scaling.yaml?', KEY.enter],
    ]);
    expect(await wizard(dir, term)).toBe(0);
    const text = readFileSync(join(dir, 'scaling.yaml'), 'utf8');
    expect(text.startsWith(original)).toBe(true);
    const config = parseConfig(text, join(dir, 'scaling.yaml'), {});
    expect(config.services.map((s) => s.name)).toEqual(['web', 'bot', 'api']);
    expect(config.services[2].spec.autoscale?.metrics).toEqual([{ type: 'cpu', utilization: 70 }]);
  });

  it('answering no at the end writes nothing', async () => {
    const dir = composeProject();
    const term = mockTerminal([
      ['Where do the services run?', `${KEY.down}${KEY.enter}`],
      ['Which services should scalectl scale?', `${KEY.space}${KEY.down}${KEY.space}${KEY.enter}`],
      ['Any other services?', `solo${KEY.enter}`],
      ['How should solo scale?', `${KEY.down}${KEY.enter}`],
      ['How many instances of solo?', KEY.enter],
      ['Source folder of solo', KEY.enter],
      ['Environments to add', KEY.enter],
      ['Write scaling.yaml?', `n${KEY.enter}`],
    ]);
    expect(await wizard(dir, term)).toBe(0);
    expect(term.screen()).toContain('Nothing was written.');
    expect(existsSync(join(dir, 'scaling.yaml'))).toBe(false);
  });
});
