// The Docker adapter's pure parts: targets, addresses, quantities, replica steps, capabilities.
import { describe, expect, it } from 'vitest';
import { dockerCapabilities } from '../../../adapters/docker/capabilities.js';
import { resolveAddress } from '../../../adapters/docker/client.js';
import { planReplicaSteps } from '../../../adapters/docker/converge.js';
import type { Replica } from '../../../adapters/docker/replicas.js';
import { cpuToNano, formatCpu, formatMemory, memoryToBytes, observedResources } from '../../../adapters/docker/resources.js';
import { parseDockerTarget } from '../../../adapters/docker/target.js';
import { supportOf } from '../../../src/plan/fields.js';

const replica = (number: number, live = true): Replica => ({ id: `id${number}`, name: `shop_web_${number}`, number, state: live ? 'running' : 'exited', live });

describe('parseDockerTarget', () => {
  it('reads the three target shapes', () => {
    expect(parseDockerTarget('compose:shop/web')).toEqual({ kind: 'compose', project: 'shop', service: 'web' });
    expect(parseDockerTarget('service/api')).toEqual({ kind: 'swarm', name: 'api' });
    expect(parseDockerTarget('container/worker')).toEqual({ kind: 'container', name: 'worker' });
  });

  it('names what was expected for anything else', () => {
    expect(parseDockerTarget('deployment/web')).toBe(
      'target "deployment/web" is not a Docker target; expected "compose:shop/web", "service/web" (Swarm) or "container/worker" (scalectl-managed replicas)',
    );
    expect(parseDockerTarget('compose:Shop/web')).toContain('Compose project "Shop" in target "compose:Shop/web" must be lowercase');
  });
});

describe('resolveAddress', () => {
  it('prefers the provider setting, then DOCKER_HOST, then the default socket', () => {
    expect(resolveAddress('/run/d.sock', { DOCKER_HOST: 'tcp://127.0.0.1:1' })).toEqual({ display: 'unix:///run/d.sock', source: 'provider setting `host`', socketPath: '/run/d.sock' });
    expect(resolveAddress(undefined, { DOCKER_HOST: 'tcp://127.0.0.1:2376' })).toEqual({ display: 'tcp://127.0.0.1:2376', source: 'DOCKER_HOST', host: '127.0.0.1', port: 2376 });
    expect(resolveAddress(undefined, {})).toEqual({ display: 'unix:///var/run/docker.sock', source: 'the default socket', socketPath: '/var/run/docker.sock' });
  });
});

describe('resources', () => {
  it('converts cpu and memory quantities both ways', () => {
    expect(cpuToNano('0.5')).toBe(500_000_000);
    expect(cpuToNano('250m')).toBe(250_000_000);
    expect(memoryToBytes('64Mi')).toBe(67_108_864);
    expect(memoryToBytes('1G')).toBe(1_000_000_000);
    expect(formatCpu(2e9)).toBe('2');
    expect(formatCpu(2.5e8)).toBe('250m');
    expect(formatMemory(3 * 2 ** 30)).toBe('3Gi');
  });

  it('echoes the desired spelling when the engine holds the same value', () => {
    expect(observedResources(5e8, 2 ** 26, { cpu: '500m', memory: '64Mi' })).toEqual({ cpu: '500m', memory: '64Mi' });
    expect(observedResources(5e8, 0, { cpu: '1' })).toEqual({ cpu: '500m' });
    expect(observedResources(0, 0)).toBeUndefined();
  });

  it('names a value that is not a quantity', () => {
    expect(() => cpuToNano('half')).toThrow('resources.cpu "half" is not a CPU quantity; expected e.g. "0.5", "2" or "500m"');
    expect(() => memoryToBytes('lots')).toThrow('resources.memory "lots" is not a memory quantity');
  });
});

describe('planReplicaSteps', () => {
  it('creates the next numbers after the highest, starting stopped replicas first', () => {
    const steps = planReplicaSteps([replica(1), replica(2, false), replica(4)], 5, true);
    expect(steps.start.map((r) => r.number)).toEqual([2]);
    expect(steps.create).toEqual({ first: 5, count: 2 });
  });

  it('removes the highest numbers first', () => {
    const steps = planReplicaSteps([replica(1), replica(2), replica(3), replica(7)], 2, true);
    expect(steps.remove.map((r) => r.number)).toEqual([7, 3]);
    expect(steps.stop).toEqual([]);
  });

  it('at 0 keeps the first container stopped when asked (Compose), removes it otherwise', () => {
    expect(planReplicaSteps([replica(1), replica(2)], 0, true)).toMatchObject({ stop: [{ number: 1 }], remove: [{ number: 2 }] });
    expect(planReplicaSteps([replica(1), replica(2)], 0, false).remove.map((r) => r.number)).toEqual([2, 1]);
  });
});

describe('dockerCapabilities', () => {
  it('declares autoscale emulated by scalectl autoscale (request metrics unsupported), replicas and resources native', () => {
    const caps = dockerCapabilities({ kind: 'compose', project: 'shop', service: 'web' });
    expect(supportOf(caps, 'autoscale.metrics[cpu].utilization')).toEqual({ support: 'emulated', note: 'by scalectl autoscale' });
    expect(supportOf(caps, 'autoscale.min')).toEqual({ support: 'emulated', note: 'by scalectl autoscale' });
    expect(supportOf(caps, 'autoscale.metrics[concurrency].target')).toMatchObject({ support: 'unsupported', note: 'no request counts on Docker' });
    expect(supportOf(caps, 'replicas').support).toBe('native');
    expect(supportOf(caps, 'resources.memory').support).toBe('native');
    expect(supportOf(caps, 'traffic.requestTimeout').support).toBe('emulated');
    expect(supportOf(caps, 'traffic.queueTimeout').support).toBe('unsupported');
  });
});
