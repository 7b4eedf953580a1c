import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mockCloud from '../../adapters/mock-cloud/index.js';
import { adapterContract } from './contract/suite.js';

adapterContract('mock cloud', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-mock-'));
  const adapter = await mockCloud({ provider: { name: 'sim', adapter: 'mock', settings: {} }, configDir: dir, env: {}, debug: () => {} });
  return { adapter, target: 'web' };
});
