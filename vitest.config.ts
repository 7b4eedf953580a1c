import { tmpdir } from 'node:os';
import { defineConfig } from 'vitest/config';
import { createTempRoot } from './test/support/temp-root.js';

// Every temp folder of this run (tests and the CLI processes they start) goes under one root,
// removed by the global setup's teardown: a run leaves nothing behind in the system temp folder.
const tmpRoot = process.env.SCALECTL_TEST_TMPROOT ?? createTempRoot(tmpdir());
process.env.SCALECTL_TEST_TMPROOT = tmpRoot;
process.env.TMPDIR = tmpRoot;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    // Each file runs in its own process: adapters hold sockets and child processes.
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    env: { TMPDIR: tmpRoot, SCALECTL_TEST_TMPROOT: tmpRoot },
  },
});
