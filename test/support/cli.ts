// Runs the built CLI as a process, the way a user or CI does. SCALECTL_TEST_NODE picks another
// Node binary (CI runs the end-to-end suite under Node 24 too).
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type Options } from 'execa';

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

// What a finished run gives: text output, trailing newline stripped (execa's default).
export interface CliResult { exitCode?: number; stdout: string; stderr: string }

// The running process: a promise of its result, and the child for signals and streams.
export type CliProcess = Promise<CliResult> & { kill(signal?: NodeJS.Signals): boolean; stderr: NodeJS.ReadableStream | null; stdout: NodeJS.ReadableStream | null };

// Starts `scalectl …`; resolves with exitCode/stdout/stderr and never rejects on a non-zero exit.
export function scalectl(args: string[], options: { cwd: string; env?: Record<string, string> } & Partial<Options> = { cwd: ROOT }): CliProcess {
  const { env, ...rest } = options;
  return execa(NODE, [BIN, ...args], { reject: false, env: cleanEnv(env), extendEnv: false, stdin: 'ignore', ...rest } as Options) as unknown as CliProcess;
}

// A fresh folder holding a copy of an example (default: the shop).
export function project(example = 'examples/shop'): string {
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-e2e-'));
  cpSync(join(ROOT, example), dir, { recursive: true, filter: (src) => !src.includes('.scalectl') });
  return dir;
}
