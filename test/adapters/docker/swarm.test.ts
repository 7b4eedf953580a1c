// Swarm services on a real single-node swarm: replicas and resources through the version index,
// a concurrent change refused as stale, global mode refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter } from '../../../adapters/contract.js';
import { StalePlanError } from '../../../src/errors.js';
import { supportOf } from '../../../src/plan/fields.js';
import { dockerReady, removeLabelled, sh, swarmSettled, TEST_IMAGE, TEST_LABEL } from '../../support/docker.js';
import { converge, dockerAdapter, readTarget } from './helpers.js';

const ready = await dockerReady('Docker Swarm adapter tests');
const LABEL = `${TEST_LABEL}=swarm`;
const NAME = 'scalectl-swarm-web';
const GLOBAL = 'scalectl-swarm-global';

async function createService(name: string, mode: string[]): Promise<void> {
  await sh('docker', [
    'service', 'create', '-d', '--name', name, '--network', 'host', '--label', LABEL, '--container-label', LABEL,
    '--stop-grace-period', '1s', ...mode, TEST_IMAGE, 'sleep', '3600',
  ]);
}

// Polls until the service runs `count` tasks (Swarm converges asynchronously).
async function runningTasks(name: string, count: number): Promise<number> {
  let running = -1;
  for (let i = 0; i < 150 && running !== count; i++) {
    const out = await sh('docker', ['service', 'ps', name, '--filter', 'desired-state=running', '--format', '{{.CurrentState}}']);
    running = out.split('\n').filter((line) => line.startsWith('Running')).length;
    if (running !== count) await new Promise((r) => setTimeout(r, 200));
  }
  return running;
}

describe.skipIf(!ready)('docker adapter: service/<name> (Swarm)', () => {
  let adapter: Adapter;

  beforeAll(async () => {
    await removeLabelled(LABEL);
    await createService(NAME, ['--replicas', '3']);
    adapter = await dockerAdapter({ convergeTimeout: '30s' });
  }, 60_000);

  afterAll(async () => {
    await removeLabelled(LABEL);
  }, 60_000);

  it('scales 3 → 6 → 0 → 2 and reads each back', async () => {
    const first = await readTarget(adapter, `service/${NAME}`);
    expect(first).toMatchObject({ exists: true, spec: { replicas: 3 }, details: { mode: 'replicated' } });
    expect(first.fingerprint).toMatch(/^swarm:\w+:\d+$/);

    for (const [from, to] of [[3, 6], [6, 0], [0, 2]]) {
      const result = await converge(adapter, `service/${NAME}`, { replicas: to });
      expect(result.done).toEqual([`scaled ${NAME} from ${from} to ${to} replicas`]);
      const observed = await readTarget(adapter, `service/${NAME}`);
      expect(observed.spec.replicas).toBe(to);
      expect(await runningTasks(NAME, to)).toBe(to);
    }
    expect((await converge(adapter, `service/${NAME}`, { replicas: 2 })).done).toEqual([]);
  }, 120_000);

  it('refuses a plan made before an out-of-band change (StalePlanError), and a fresh read sees it', async () => {
    const planned = await readTarget(adapter, `service/${NAME}`);
    await sh('docker', ['service', 'scale', '-d', `${NAME}=4`]);
    const error = await adapter
      .apply(
        { service: 'web', target: `service/${NAME}`, extensions: {}, desired: { replicas: 5 }, changes: [], fingerprint: planned.fingerprint },
        { dryRun: false, signal: new AbortController().signal },
      )
      .catch((e: unknown) => e);
    expect(StalePlanError.is(error) && (error as Error).name).toBe('StalePlanError');
    expect((error as Error).message).toContain(`web (service/${NAME}) changed since the plan was made`);
    const fresh = await readTarget(adapter, `service/${NAME}`);
    expect(fresh.spec.replicas).toBe(4);
    expect(fresh.fingerprint).not.toBe(planned.fingerprint);
  }, 60_000);

  it('sets cpu and memory limits in the task template and reads them back', async () => {
    const resources = { cpu: '250m', memory: '32Mi' };
    const result = await converge(adapter, `service/${NAME}`, { replicas: 1, resources });
    expect(result.done).toEqual([`scaled ${NAME} from 4 to 1 replicas`, 'set task limits (cpu 250m, memory 32Mi); Swarm rolls the tasks']);
    expect((await readTarget(adapter, `service/${NAME}`, { resources })).spec).toEqual({ replicas: 1, resources });
    const limits = await sh('docker', ['service', 'inspect', NAME, '--format', '{{.Spec.TaskTemplate.Resources.Limits.NanoCPUs}} {{.Spec.TaskTemplate.Resources.Limits.MemoryBytes}}']);
    expect(limits.trim()).toBe('250000000 33554432');
  }, 60_000);

  it('dry run reports the step and changes nothing', async () => {
    await swarmSettled(NAME);
    const result = await converge(adapter, `service/${NAME}`, { replicas: 3 }, { dryRun: true });
    expect(result.done).toEqual([`would have scaled ${NAME} from 1 to 3 replicas`]);
    expect((await readTarget(adapter, `service/${NAME}`)).fingerprint).toBe(result.observed.fingerprint);
  });

  it('refuses to scale a global service, and declares replicas unsupported for it', async () => {
    await createService(GLOBAL, ['--mode', 'global']);
    const observed = await readTarget(adapter, `service/${GLOBAL}`);
    expect(observed.spec.replicas).toBeUndefined();
    expect(supportOf(adapter.capabilities(`service/${GLOBAL}`, observed), 'replicas')).toMatchObject({ support: 'unsupported' });
    const error = await converge(adapter, `service/${GLOBAL}`, { replicas: 2 }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `service/${GLOBAL} runs in global mode, which cannot be scaled; remove \`replicas\` for it or use a replicated service.`,
    );
  }, 60_000);

  it('reads a missing service as not existing, with a fingerprint', async () => {
    const observed = await readTarget(adapter, 'service/scalectl-no-such-service');
    expect(observed).toMatchObject({ exists: false, fingerprint: 'swarm:absent', spec: {} });
  });
});
