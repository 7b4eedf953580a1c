// init with a Kubernetes provider against the API double: the namespace's Deployments and
// StatefulSets become the proposed services, with their targets; an unreachable cluster is a warning.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/init.js';
import { parseConfig } from '../../src/config/load.js';
import { discover } from '../../src/init/discover.js';
import { runWizard } from '../../src/init/wizard.js';
import { seed, startK8sDouble, workload, writeKubeconfig, type K8sDouble } from '../k8s-double/index.js';
import { captureContext } from '../set/context.js';
import { composeProject } from './fixture.js';
import { KEY, mockTerminal } from './streams.js';

let double: K8sDouble;
let kubeconfig: string;

beforeAll(async () => {
  double = await startK8sDouble();
  await seed(double, workload('Deployment', 'storefront', 'shop', { replicas: 3 }));
  await seed(double, workload('Deployment', 'checkout', 'shop'));
  await seed(double, workload('StatefulSet', 'ledger', 'shop'));
  await seed(double, workload('Deployment', 'elsewhere', 'other'));
  kubeconfig = double.kubeconfig({ context: 'prod', namespace: 'shop', extraContexts: [{ name: 'staging', namespace: 'other' }] });
});
afterAll(async () => {
  await double?.close();
});

describe('init with Kubernetes', () => {
  it('--yes proposes the namespace\'s workloads with their targets', async () => {
    const dir = composeProject();
    const { ctx, stderr } = captureContext(dir, { env: { KUBECONFIG: kubeconfig, NO_COLOR: '1' } });
    expect(await run({ yes: true, provider: 'kubernetes', check: false }, ctx)).toBe(0);
    expect(stderr()).toContain('Namespace shop (context prod): checkout, storefront, ledger.');
    const text = readFileSync(join(dir, 'scaling.yaml'), 'utf8');
    expect(text).toContain('  k8s: { adapter: kubernetes, context: prod, namespace: shop }');
    const config = parseConfig(text, join(dir, 'scaling.yaml'), {});
    expect(config.services.map((s) => [s.name, s.target])).toEqual([['checkout', 'deployment/checkout'], ['storefront', 'deployment/storefront'], ['ledger', 'statefulset/ledger']]);
  });

  it('--context must be a context of the kubeconfig: a typo is named with the contexts there', async () => {
    const dir = composeProject();
    const { ctx } = captureContext(dir, { env: { KUBECONFIG: kubeconfig, NO_COLOR: '1' } });
    await expect(run({ yes: true, provider: 'kubernetes', context: 'prdo', check: false }, ctx)).rejects.toThrow(
      `--context prdo: no such context in ${kubeconfig} (did you mean "prod"?); contexts: prod, staging`,
    );
    const none = captureContext(dir, { env: { KUBECONFIG: join(dir, 'missing-kubeconfig'), HOME: dir, NO_COLOR: '1' } });
    await expect(run({ yes: true, provider: 'kubernetes', context: 'prod', check: false }, none.ctx)).rejects.toThrow('--context prod: no kubeconfig found (KUBECONFIG, else ~/.kube/config)');
    expect(() => readFileSync(join(dir, 'scaling.yaml'))).toThrow(); // nothing written
  });

  it('the wizard asks for the context and namespace, then offers that namespace\'s workloads', async () => {
    const dir = composeProject();
    const env = { KUBECONFIG: kubeconfig, HOME: '/nonexistent' };
    const term = mockTerminal([
      ['Where do the services run?', `${KEY.down}${KEY.enter}`], // Docker (compose.yaml), then Kubernetes
      ['Which kubeconfig context?', `${KEY.down}${KEY.enter}`], // staging
      ['Which namespace?', KEY.enter], // its namespace: other
      ['Which services should scalectl scale?', KEY.enter],
      ['Any other services?', KEY.enter],
      ['How should elsewhere scale?', `${KEY.down}${KEY.enter}`],
      ['How many instances of elsewhere?', `2${KEY.enter}`],
      ['Source folder of elsewhere', KEY.enter],
      ['What runs elsewhere?', KEY.enter],
      ['Environments to add', KEY.enter],
      ['Write scaling.yaml?', KEY.enter],
    ]);
    const code = await runWizard({ io: term.io, discovery: discover({ dir, env, socketPaths: [] }), presets: { services: [], sources: new Map(), targets: new Map() }, force: false, check: true, cwd: dir, env });
    expect(code, term.screen()).toBe(0);
    expect(term.screen()).toContain('Namespace other (context staging): elsewhere.');
    const config = parseConfig(readFileSync(join(dir, 'scaling.yaml'), 'utf8'), join(dir, 'scaling.yaml'), {});
    expect(config.providers.k8s.settings).toEqual({ context: 'staging', namespace: 'other' });
    expect(config.services.map((s) => [s.name, s.target, s.spec])).toEqual([['elsewhere', 'deployment/elsewhere', { replicas: 2 }]]);
  });

  it('an unreachable cluster is a warning; the services come from elsewhere', async () => {
    const dir = composeProject();
    const dead = writeKubeconfig({ server: 'http://127.0.0.1:9', context: 'gone', namespace: 'shop' });
    const { ctx, stderr } = captureContext(dir, { env: { KUBECONFIG: dead, NO_COLOR: '1' } });
    expect(await run({ yes: true, provider: 'kubernetes', check: false }, ctx)).toBe(0);
    expect(stderr()).toMatch(/warning: Could not list the cluster's workloads \(.+\); name the services yourself\./);
    const config = parseConfig(readFileSync(join(dir, 'scaling.yaml'), 'utf8'), join(dir, 'scaling.yaml'), {});
    expect(config.services.map((s) => [s.name, s.target])).toEqual([['web', 'deployment/web'], ['bot', 'deployment/bot']]);
  });
});
