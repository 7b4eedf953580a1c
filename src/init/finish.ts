// The last steps of init, asked or not: render the file, prove it valid, write it atomically.
import { join } from 'node:path';
import { parseEveryEnvironment } from '../config/load.js';
import { ConfigError, ScalectlError, formatDiagnostic } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import type { InitAnswers } from './model.js';
import type { ExistingFile } from './proposals.js';
import { renderExtension, renderNew } from './render.js';

export interface InitFile { path: string; text: string; mode: 'new' | 'extend' }

// The file init would write; throws when it would not pass `scalectl validate`.
// `replacing` is the file a new one replaces (it may be scaling.yml).
export function buildFile(dir: string, answers: InitAnswers, existing: ExistingFile | undefined, env: NodeJS.ProcessEnv, cwd: string, replacing?: string): InitFile {
  const path = existing?.path ?? replacing ?? join(dir, 'scaling.yaml');
  const text = existing ? renderExtension(existing.text, answers) : renderNew(answers, dir);
  return checkInitFile({ path, text, mode: existing ? 'extend' : 'new' }, env, cwd);
}

// Proves the file init made valid — the base and every environment — or throws, writing nothing.
export function checkInitFile(file: InitFile, env: NodeJS.ProcessEnv, cwd: string): InitFile {
  try {
    parseEveryEnvironment(file.text, file.path, env, cwd);
  } catch (error) {
    if (!ScalectlError.is(error) || error.name !== 'ConfigError') throw error;
    const lines = (error as ConfigError).diagnostics.map(formatDiagnostic).join('\n');
    throw new ScalectlError(`the scaling.yaml init made does not validate, so nothing was written:\n${lines}${file.mode === 'extend' ? '\n(the existing file may already be invalid: run scalectl validate)' : ''}`);
  }
  return file;
}

// Writes it (temp file + rename).
export function writeInitFile(file: InitFile): void {
  writeFileAtomic(file.path, file.text);
}

// What to run next, in order.
// `emulated`: a service autoscales on a platform without an autoscaler (Docker): scalectl autoscale
// keeps its count.
export function nextSteps(shown: string, emulated = false): string[] {
  return [
    `scalectl validate${shown === 'scaling.yaml' ? '' : ` -f ${shown}`}    check the file (your editor validates it too: see its first line)`,
    'scalectl check       what breaks when the code runs as several replicas',
    'scalectl plan        what would change',
    'scalectl apply       make it so',
    ...(emulated ? ['scalectl autoscale   keep the autoscaled services at the right count (Docker has no autoscaler: run it as a service)'] : []),
  ];
}
