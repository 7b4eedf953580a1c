// Runs the built CLI as a process, the way a user or CI does. SCALECTL_TEST_NODE picks another
// Node binary (CI runs the end-to-end suite under Node 24 too).
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type Options, type ResultPromise } from 'execa';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const BIN = join(ROOT, 'bin/scalectl.js');
export const NODE = process.env.SCALECTL_TEST_NODE || process.execPath;

// A clean environment: no colours, no CI variable leaking in, no user faults.
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('SCALECTL_') || key === 'CI' || key === 'FORCE_COLOR') continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

// Starts `scalectl …`; resolves with exitCode/stdout/stderr and never rejects on a non-zero exit.
export function scalectl(args: string[], options: { cwd: string; env?: Record<string, string> } & Partial<Options> = { cwd: ROOT }): ResultPromise {
  const { env, ...rest } = options;
  return execa(NODE, [BIN, ...args], { reject: false, env: cleanEnv(env), extendEnv: false, stdin: 'ignore', ...rest } as Options);
}

// A fresh folder holding a copy of an example (default: the shop).
export function project(example = 'examples/shop'): string {
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-e2e-'));
  cpSync(join(ROOT, example), dir, { recursive: true, filter: (src) => !src.includes('.scalectl') });
  return dir;
}
