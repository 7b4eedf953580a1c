// The Docker adapter passes the same contract suite as every adapter: scalectl-managed
// containers (container/<name>) and a Swarm service, on the real engine.
import { describe } from 'vitest';
import { dockerReady, removeLabelled, sh, swarmSettled, TEST_IMAGE, TEST_LABEL } from '../../support/docker.js';
import { adapterContract } from '../contract/suite.js';
import { dockerAdapter } from './helpers.js';

const ready = await dockerReady('Docker adapter contract suite');
const LABEL = `${TEST_LABEL}=contract`;
let serial = 0;

describe.skipIf(!ready)('docker', () => {
  adapterContract('docker container/<name>', async () => {
    const adapter = await dockerAdapter();
    const name = `scalectl-contract-${process.pid}-${serial++}`;
    return {
      adapter,
      target: `container/${name}`,
      extensions: { docker: { image: TEST_IMAGE, command: ['sleep', '3600'], labels: { [TEST_LABEL]: 'contract' } } },
      cleanup: async () => {
        await removeLabelled(LABEL);
        await adapter.close?.();
      },
    };
  });

  adapterContract('docker service/<name> (Swarm)', async () => {
    const adapter = await dockerAdapter();
    const name = `scalectl-contract-${process.pid}-${serial++}`;
    await sh('docker', ['service', 'create', '--detach', '--quiet', '--name', name, '--network', 'host', '--label', LABEL, '--replicas', '1', TEST_IMAGE, 'sleep', '3600']);
    await swarmSettled(name);
    return {
      adapter,
      target: `service/${name}`,
      cleanup: async () => {
        await sh('docker', ['service', 'rm', name]);
        await adapter.close?.();
      },
    };
  });
});
