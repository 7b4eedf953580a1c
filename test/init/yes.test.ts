// init without questions: --yes and flags, the refusal without a terminal, extending with --yes.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/init.js';
import { parseConfig } from '../../src/config/load.js';
import { captureContext } from '../set/context.js';
import { composeProject } from './fixture.js';

const env = { HOME: '/nonexistent', NO_COLOR: '1' };

describe('init --yes', () => {
  it('refuses to prompt without a terminal and names the flag', async () => {
    const dir = composeProject();
    const { ctx } = captureContext(dir, { env });
    await expect(run({ yes: false }, ctx)).rejects.toThrow('init asks questions, and there is no terminal to ask in: pass --yes to take the defaults (flags choose the rest), e.g. scalectl init --yes --service web=autoscale:concurrency:2..20 --source web=./web');
    expect(existsSync(join(dir, 'scaling.yaml'))).toBe(false);
  });

  it('takes what it found, checks each source, and holds the bot at one instance', async () => {
    const dir = composeProject();
    const { ctx, stderr } = captureContext(dir, { env });
    expect(await run({ yes: true }, ctx)).toBe(0);
    const config = parseConfig(readFileSync(join(dir, 'scaling.yaml'), 'utf8'), join(dir, 'scaling.yaml'), {});
    expect(config.services.map((s) => [s.name, s.spec])).toEqual([
      ['web', { autoscale: { min: 1, max: 10, metrics: [{ type: 'concurrency', target: 70, limit: 100 }] } }],
      ['bot', { replicas: 1 }],
    ]);
    expect(stderr()).toContain('warning: bot is not ready for several instances; writing replicas: 1 for it:');
    expect(stderr()).toContain('Wrote web, bot in scaling.yaml (provider sim: mock).');
  });

  it('builds the file from flags: provider, services, sources and targets', async () => {
    const dir = composeProject();
    // --context must exist in the kubeconfig (its cluster need not answer: init then only warns)
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, 'apiVersion: v1\nclusters: [{ name: c, cluster: { server: "https://127.0.0.1:9" } }]\ncontexts: [{ name: prod, context: { cluster: c, user: u } }]\nusers: [{ name: u, user: {} }]\ncurrent-context: prod\n');
    const { ctx } = captureContext(dir, { env: { ...env, KUBECONFIG: kubeconfig } });
    const code = await run(
      { yes: true, provider: 'kubernetes', context: 'prod', namespace: 'shop', services: ['web=autoscale:rps:2..20:150', 'bot=fixed:1'], sources: ['web=web'], targets: ['bot=statefulset/bot'], check: false },
      ctx,
    );
    expect(code).toBe(0);
    const text = readFileSync(join(dir, 'scaling.yaml'), 'utf8');
    expect(text).toContain('  k8s: { adapter: kubernetes, context: prod, namespace: shop }');
    const config = parseConfig(text, join(dir, 'scaling.yaml'), {});
    expect(config.services.map((s) => [s.name, s.provider, s.target])).toEqual([['web', 'k8s', 'deployment/web'], ['bot', 'k8s', 'statefulset/bot']]);
    expect(config.services[0].spec.autoscale?.metrics).toEqual([{ type: 'rps', target: 150 }]);
  });

  it('on Docker proposes fixed counts, takes autoscale on cpu (scalectl autoscale) and refuses request metrics', async () => {
    const dir = composeProject();
    const { ctx, stderr } = captureContext(dir, { env });
    expect(await run({ yes: true, provider: 'docker', check: false }, ctx)).toBe(0);
    expect(stderr()).not.toContain('scalectl autoscale');
    const config = parseConfig(readFileSync(join(dir, 'scaling.yaml'), 'utf8'), join(dir, 'scaling.yaml'), {});
    expect(config.services.every((s) => s.spec.replicas === 1 && s.spec.autoscale === undefined)).toBe(true);
    const again = captureContext(dir, { env });
    const error = await run({ yes: true, provider: 'docker', force: true, services: ['web=autoscale'], check: false }, again.ctx).catch((e: Error) => e);
    expect((error as Error).message).toBe(
      '--service web: Docker counts no requests, so concurrency cannot drive it; autoscale on cpu (scalectl autoscale reads Docker stats), e.g. --service web=autoscale:cpu:1..4:70, or give a fixed count, e.g. --service web=2',
    );
    const cpu = captureContext(dir, { env });
    expect(await run({ yes: true, provider: 'docker', force: true, services: ['web=autoscale:cpu:1..4:70'], check: false }, cpu.ctx)).toBe(0);
    expect(cpu.stderr()).toContain('scalectl autoscale   keep the autoscaled services at the right count');
    const scaled = parseConfig(readFileSync(join(dir, 'scaling.yaml'), 'utf8'), join(dir, 'scaling.yaml'), {});
    expect(scaled.services.find((s) => s.name === 'web')?.spec.autoscale).toMatchObject({ min: 1, max: 4, metrics: [{ type: 'cpu', utilization: 70 }] });
    // Docker measures CPU % against a limit: init sets one, or scalectl autoscale could not read it
    expect(scaled.services.find((s) => s.name === 'web')?.spec.resources).toEqual({ cpu: '1' });
  });

  it('extends an existing file without touching its bytes, refuses names it has, and --force starts over', async () => {
    const dir = composeProject();
    const original = '# keep me\nversion: 1\nproviders:\n  box: { adapter: docker }   # the local daemon\ndefaults: { provider: box }\nservices:\n  web: { target: "compose:shop/web", replicas: 2 }\n';
    writeFileSync(join(dir, 'scaling.yaml'), original);
    const taken = captureContext(dir, { env });
    await expect(run({ yes: true, services: ['web=3'] }, taken.ctx)).rejects.toThrow('web is already in scaling.yaml; change it with scalectl set web <path>=<value>, or pass --force to start the file over');
    const { ctx } = captureContext(dir, { env });
    expect(await run({ yes: true, check: false }, ctx)).toBe(0);
    const text = readFileSync(join(dir, 'scaling.yaml'), 'utf8');
    expect(text.startsWith(original)).toBe(true);
    const config = parseConfig(text, join(dir, 'scaling.yaml'), {});
    expect(config.services.map((s) => [s.name, s.provider, s.target])).toEqual([['web', 'box', 'compose:shop/web'], ['bot', 'box', 'compose:shop/bot']]);
    const again = captureContext(dir, { env });
    expect(await run({ yes: true }, again.ctx)).toBe(0);
    expect(again.stderr()).toContain('already describes every service init found; nothing to add');
    const force = captureContext(dir, { env });
    expect(await run({ yes: true, force: true, services: ['solo=1'] }, force.ctx)).toBe(0);
    expect(parseConfig(readFileSync(join(dir, 'scaling.yaml'), 'utf8'), join(dir, 'scaling.yaml'), {}).services.map((s) => s.name)).toEqual(['solo']);
  });

  it('adding with --provider mock to a file whose mock cloud is `sim` uses `sim`, not the built-in `mock`', async () => {
    const dir = composeProject();
    expect(await run({ yes: true, provider: 'mock', services: ['web'], check: false }, captureContext(dir, { env }).ctx)).toBe(0);
    const added = captureContext(dir, { env });
    expect(await run({ yes: true, provider: 'mock', services: ['worker=2'], check: false }, added.ctx)).toBe(0);
    expect(added.stderr()).toContain('Added worker to scaling.yaml (provider sim: mock).');
    const config = parseConfig(readFileSync(join(dir, 'scaling.yaml'), 'utf8'), join(dir, 'scaling.yaml'), {});
    expect(config.services.map((s) => [s.name, s.provider])).toEqual([['web', 'sim'], ['worker', 'sim']]);
  });

  it('--dry-run prints the file and writes nothing', async () => {
    const dir = composeProject();
    const { ctx, stdout } = captureContext(dir, { env });
    expect(await run({ yes: true, dryRun: true, services: ['web=2'] }, ctx)).toBe(0);
    expect(stdout()).toContain('services:\n  # web: 2 instances, fixed.\n  web:\n    replicas: 2');
    expect(existsSync(join(dir, 'scaling.yaml'))).toBe(false);
  });
});
