// Runs the simulate command in-process with captured streams and a scaling.yaml in a temp folder.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { makeContext } from '../../src/cli/context.js';
import { run, type SimulateCliOptions } from '../../src/cli/simulate.js';

export const YAML = `version: 1
services:
  api:
    autoscale:
      min: 1
      max: 8
      metrics:
        - { type: concurrency, target: 10, limit: 20 }
      behavior:
        scaleDown: { stabilization: 1m }
    traffic: { coldStart: 10s, queueTimeout: 10s, instanceIdleTimeout: 2m }
`;

export function workspace(files: Record<string, string> = { 'scaling.yaml': YAML }): string {
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-sim-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export async function runSimulate(dir: string, options: Partial<SimulateCliOptions> & { service: string; load: string }, json = false) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const ctx = makeContext({ json, color: false, quiet: false, verbose: false }, { stdout, stderr, stdin: new PassThrough(), env: {}, cwd: dir }, new AbortController().signal);
  const code = await run({ json, ...options }, ctx);
  return { code, out, err };
}
