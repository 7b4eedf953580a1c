// A CommandContext over in-memory streams, for running command modules without a process.
import { PassThrough, Writable } from 'node:stream';
import { makeContext, type CommandContext } from '../../src/cli/context.js';

export interface Captured {
  ctx: CommandContext;
  stdout: () => string;
  stderr: () => string;
}

class Sink extends Writable {
  text = '';
  isTTY = false;
  columns = 100;
  override _write(chunk: Buffer | string, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

// A context rooted at `cwd`; `file` is the -f flag; stdin is not a terminal.
export function captureContext(cwd: string, options: { file?: string; json?: boolean; env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}): Captured {
  const stdout = new Sink();
  const stderr = new Sink();
  const stdin = new PassThrough();
  const ctx = makeContext(
    { file: options.file, json: Boolean(options.json), color: false, quiet: false, verbose: false },
    { stdout, stderr, stdin, env: options.env ?? { NO_COLOR: '1' }, cwd },
    options.signal ?? new AbortController().signal,
  );
  return { ctx, stdout: () => stdout.text, stderr: () => stderr.text };
}
