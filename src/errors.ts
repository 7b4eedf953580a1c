// The few typed errors scalectl throws. Only the entry point (cli/main.ts) turns them into a
// message and an exit code; everything else throws and keeps `cause`.

export const EXIT = {
  ok: 0,
  error: 1,
  changes: 2,
  readiness: 3,
  /** Ctrl-C (SIGINT): 128 + 2. */
  interrupted: 130,
  /** SIGTERM (CI runners, docker stop, kill): 128 + 15. */
  terminated: 143,
} as const;

// line and col are 1-based; 0 means the problem is with the file as a whole (missing, a folder).
export interface Position { file: string; line: number; col: number }

// One config problem at file:line:col with what was expected and how to fix it.
export interface Diagnostic extends Position {
  severity: 'error' | 'warning';
  message: string;
  hint?: string;
  /** The dotted path of the key, e.g. services.web.autoscale.max */
  path?: string;
  /** The environment whose override causes it (absent for the base). */
  environment?: string;
}

// Base for everything we throw on purpose: `brand` survives module copies (no instanceof across realms).
export class ScalectlError extends Error {
  readonly brand = 'scalectl-error';
  exitCode: number = EXIT.error;
  static is(value: unknown): value is ScalectlError {
    return typeof value === 'object' && value !== null && (value as { brand?: string }).brand === 'scalectl-error';
  }
}

// scaling.yaml is malformed or violates a rule; carries every diagnostic found.
export class ConfigError extends ScalectlError {
  override name = 'ConfigError';
  constructor(readonly diagnostics: Diagnostic[], options?: { cause?: unknown }) {
    super(diagnostics.map(formatDiagnostic).join('\n'), options);
  }
}

// A flag or argument is wrong, or a needed one is missing.
export class UsageError extends ScalectlError {
  override name = 'UsageError';
}

// A saved plan no longer matches the file or the live state.
export class StalePlanError extends ScalectlError {
  override name = 'StalePlanError';
}

// A provider failed. `retryable` tells the apply engine whether trying again may help;
// `done` lists the steps that took effect before the failure.
export class AdapterError extends ScalectlError {
  override name = 'AdapterError';
  readonly retryable: boolean;
  readonly done: string[];
  readonly adapter: string;
  constructor(adapter: string, message: string, options: { retryable?: boolean; done?: string[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.adapter = adapter;
    this.retryable = options.retryable ?? false;
    this.done = options.done ?? [];
  }
  static isAdapterError(value: unknown): value is AdapterError {
    return ScalectlError.is(value) && (value as Error).name === 'AdapterError';
  }
}

// Readiness findings blocked a plan or apply, or check met --fail-on.
export class ReadinessError extends ScalectlError {
  override name = 'ReadinessError';
  override exitCode: number = EXIT.readiness;
}

// The user pressed Ctrl-C.
export class InterruptedError extends ScalectlError {
  override name = 'InterruptedError';
  override exitCode: number = EXIT.interrupted;
}

// An invalid file as data (validate --json, and every command's --json): the same shape everywhere.
export function invalidFileDocument(diagnostics: Diagnostic[]): { file?: string; valid: false; errors: Diagnostic[]; warnings: Diagnostic[] } {
  return { file: diagnostics[0]?.file, valid: false, errors: diagnostics.filter((d) => d.severity === 'error'), warnings: diagnostics.filter((d) => d.severity === 'warning') };
}

// file:line:col: error: message (hint)
export function formatDiagnostic(d: Diagnostic): string {
  const hint = d.hint ? `\n  ${d.hint}` : '';
  // No position to point at: no fake :1:1 (the message names the file).
  if (d.line === 0) return `${d.severity}: ${d.message}${hint}`;
  return `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message}${hint}`;
}
