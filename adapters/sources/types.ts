// Metric sources for `scalectl autoscale`, the mock cloud's live count and `plan --explain`: one
// small interface, one file per kind. A source reads one number (a total: queue length, query
// value) or fails with a reason that is safe to print (never a credential).

// Why a source could not be read; its message names the source and never holds a secret.
export class SourceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SourceError';
  }
}

// What every source may use: the environment (credentials), where scaling.yaml is, a timeout.
export interface SourceContext {
  env: NodeJS.ProcessEnv;
  /** Folder of scaling.yaml (a command runs there). */
  configDir: string;
  /** One read gives up after this long. */
  timeoutMs: number;
}

// One readable metric.
export interface MetricSource {
  /** Who it is, for messages and events ("redis list orders at 127.0.0.1:6379"); no credentials. */
  readonly describe: string;
  /** The current value; rejects with a SourceError. */
  read(signal?: AbortSignal): Promise<number>;
  /** Releases a connection kept between reads. */
  close?(): Promise<void>;
}

// A string setting of a source, or undefined.
export function text(source: Record<string, unknown>, key: string): string | undefined {
  const value = source[key];
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

// The value of the environment variable a `…FromEnv` key names, or a SourceError naming the variable.
export function fromEnv(env: NodeJS.ProcessEnv, variable: string, what: string): string {
  const value = env[variable];
  if (value === undefined || value === '') throw new SourceError(`${what}: the environment variable ${variable} is not set`);
  return value;
}

// A URL without its user and password, for messages.
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.username || url.password) {
      url.username = '';
      url.password = '';
    }
    return url.toString().replace(/\/$/, '');
  } catch {
    return raw.replace(/\/\/[^@/]*@/, '//');
  }
}

// Refuses a literal address from scaling.yaml that carries a password: credentials come from the environment.
export function noPasswordInFile(raw: string, key: string, envKey: string | undefined): void {
  let hasPassword = false;
  try {
    hasPassword = new URL(raw).password !== '';
  } catch {
    hasPassword = /\/\/[^/@]*:[^/@]*@/.test(raw);
  }
  if (hasPassword) {
    throw new SourceError(
      `source.${key} holds a password; credentials never go in scaling.yaml: put the address in an environment variable and write ` +
        (envKey ? `\`${envKey}: NAME\` (or \`connection: env:NAME\`)` : 'it there'),
    );
  }
}

// A number out of text a server or command returned, or a SourceError quoting (a bounded piece of) it.
export function parseNumber(raw: string, what: string): number {
  const trimmed = raw.trim();
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(value)) {
    const shown = trimmed.length > 60 ? `${trimmed.slice(0, 60)}…` : trimmed;
    throw new SourceError(`${what} returned ${JSON.stringify(shown)}, not a number`);
  }
  return value;
}

// Rejects after `ms` with a SourceError naming what timed out.
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SourceError(`${what} did not answer within ${ms / 1000}s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
