// What every command receives: global flags, streams, colour, an abort signal.
// Data goes to stdout, talk (progress, warnings, errors) to stderr.
import { makeStyle, type Style } from '../output/style.js';
import { redact, redactJson } from '../util/redact.js';

export interface GlobalOptions {
  /** -f/--file; undefined = nearest scaling.yaml walking up from cwd. */
  file?: string;
  /** --env, else SCALECTL_ENV; undefined = the base of scaling.yaml. */
  environment?: string;
  json: boolean;
  color: boolean;
  quiet: boolean;
  verbose: boolean;
  /** --allow-adapter: adapter modules (resolved paths) or packages outside the project that may run. */
  allowAdapters?: string[];
}

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface CommandContext {
  globals: GlobalOptions;
  io: CliIO;
  /** Aborted on the first Ctrl-C. */
  signal: AbortSignal;
  style: Style;
  /** A data line to stdout. */
  out(text: string): void;
  /** A JSON document to stdout (pretty-printed unless `indent` is 0), its strings redacted before escaping. */
  json(value: unknown, indent?: number): void;
  /** A talk line to stderr (suppressed by -q unless it is a warning or error). */
  info(text: string): void;
  warn(text: string): void;
  /** Only with -v. */
  debug(text: string): void;
  /** True when we may prompt: stdin and stderr are terminals and CI is not set. */
  interactive: boolean;
}

// Builds the context once, in the entry point.
export function makeContext(globals: GlobalOptions, io: CliIO, signal: AbortSignal): CommandContext {
  const style = makeStyle(globals.color);
  // Every line scalectl prints goes through redact (src/util/redact.ts): no credential is printed.
  const line = (stream: NodeJS.WritableStream, raw: string) => {
    const text = redact(raw);
    stream.write(text.endsWith('\n') ? text : `${text}\n`);
  };
  const ciValue = io.env.CI;
  const inCI = ciValue !== undefined && ciValue !== '' && ciValue !== '0' && ciValue !== 'false';
  return {
    globals,
    io,
    signal,
    style,
    out: (text) => line(io.stdout, text),
    json: (value, indent = 2) => io.stdout.write(`${redactJson(value, indent || undefined)}\n`),
    info: (text) => {
      if (!globals.quiet) line(io.stderr, text);
    },
    warn: (text) => line(io.stderr, `${style.yellow('warning:')} ${text}`),
    debug: (text) => {
      if (globals.verbose) line(io.stderr, style.dim(`debug: ${text}`));
    },
    interactive: Boolean(io.stdin.isTTY && io.stderr.isTTY) && !inCI,
  };
}

// Colour is decided once: --no-color, NO_COLOR, TERM=dumb, FORCE_COLOR, then stdout is a TTY.
export function decideColor(flag: boolean | undefined, io: Pick<CliIO, 'env' | 'stdout'>): boolean {
  if (flag === false) return false;
  const env = io.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.TERM === 'dumb') return false;
  return Boolean(io.stdout.isTTY);
}
