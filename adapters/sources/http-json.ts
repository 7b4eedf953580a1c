// GET a URL for a source: JSON or text back, HTTP failures as SourceErrors (no credentials shown).
import { redactUrl, SourceError } from './types.js';

// Fetches `url` (credentials in its user info go into a Basic header, never into messages).
export async function getText(url: string, timeoutMs: number, what: string, signal?: AbortSignal, headers: Record<string, string> = {}): Promise<string> {
  const parsed = new URL(url);
  if (parsed.username || parsed.password) {
    headers = { ...headers, authorization: `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}` };
    parsed.username = '';
    parsed.password = '';
  }
  // The URL is said once: not again when the source's description already shows it.
  const shown = what.includes(redactUrl(url)) ? what : `${what}: ${redactUrl(url)}`;
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(parsed, { headers, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const reason = timeout.aborted ? `no answer within ${timeoutMs / 1000}s` : cause?.code === 'ECONNREFUSED' ? 'connection refused' : cause?.code ?? (error as Error).message;
    throw new SourceError(`${shown}: ${reason}`, { cause: error });
  }
  const body = await response.text();
  if (!response.ok) {
    const hint = response.status === 401 ? ' (credentials missing or wrong: give them in the address taken from the environment)' : '';
    throw new SourceError(`${shown} answered HTTP ${response.status}${hint}`);
  }
  return body;
}

// Parses JSON a server returned, or a SourceError.
export function parseJson(body: string, what: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new SourceError(`${what}: the answer is not JSON`);
  }
}
