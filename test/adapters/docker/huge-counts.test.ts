// Huge replica counts: the Docker adapter plans its steps lazily (a dry run at 2^31 neither runs
// out of heap nor, at 5 000 000, out of stack) and declares the most containers it runs per target.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scalectl } from '../../support/cli.js';
import { dockerCapabilities, MAX_CONTAINER_REPLICAS } from '../../../adapters/docker/capabilities.js';
import { namesBetween, planReplicaSteps } from '../../../adapters/docker/converge.js';
import { dockerReady, removeLabelled, TEST_IMAGE, TEST_LABEL } from '../../support/docker.js';
import { converge, dockerAdapter } from './helpers.js';

const ready = await dockerReady('Docker huge-count tests');
const xDocker = { docker: { image: TEST_IMAGE, command: ['sleep', '3600'], labels: { [TEST_LABEL]: 'huge-counts' } } };

describe('lazy replica steps', () => {
  it('a count of 2^31 is a range, not a list', () => {
    expect(planReplicaSteps([], 2 ** 31, false, true).create).toEqual({ first: 1, count: 2 ** 31 });
    expect(planReplicaSteps([], 2 ** 31, true).create).toEqual({ first: 1, count: 2 ** 31 });
  });

  it('names a long run of replicas by its ends', () => {
    expect(namesBetween(0, 3, (i) => `web-${i + 1}`)).toBe('web-1, web-2, web-3');
    expect(namesBetween(2, 5_000_000, (i) => `web-${i + 1}`)).toBe('web-3 … web-5000000 (4999998 replicas)');
  });

  it('containers declare a maximum below 2^31−1; Swarm services do not', () => {
    expect(dockerCapabilities({ kind: 'container', name: 'web' }).maxReplicas).toBe(MAX_CONTAINER_REPLICAS);
    expect(dockerCapabilities({ kind: 'compose', project: 'shop', service: 'web' }).maxReplicas).toBe(10_000);
    expect(dockerCapabilities({ kind: 'swarm', name: 'web' }).maxReplicas).toBeUndefined();
  });
});

describe.skipIf(!ready)('docker adapter: dry runs at huge counts', () => {
  afterAll(async () => {
    await removeLabelled(`${TEST_LABEL}=huge-counts`);
  }, 60_000);

  it.each([5_000_000, 2 ** 31])('a dry run to %i replicas is one line and creates nothing', async (count) => {
    const adapter = await dockerAdapter();
    const result = await converge(adapter, 'container/schuge', { replicas: count }, { extensions: xDocker, dryRun: true });
    expect(result.done).toEqual([`would create schuge-1 … schuge-${count} (${count} replicas)`]);
    expect(result.observed.details?.containers).toBe('none');
  }, 60_000);

  it('plan refuses a count above the declared maximum, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalectl-huge-'));
    try {
      writeFileSync(join(dir, 'scaling.yaml'), [
        'version: 1',
        'providers:',
        '  box: { adapter: docker }',
        'services:',
        '  web:',
        '    provider: box',
        '    target: container/schuge',
        '    replicas: 20000',
        `    x-docker: { image: ${TEST_IMAGE} }`,
        '',
      ].join('\n'));
      const result = await scalectl(['plan'], { cwd: dir });
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toContain('error: web.replicas asks for 20000 instances; the docker adapter runs at most 10000 for container/schuge (scaling.yaml:8): lower it');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
