// SIGTERM (what CI runners and `docker stop` send) stops apply the way Ctrl-C does: what is in
// flight finishes, nothing new starts, the summary and the whole --json document are printed,
// and the exit code says which signal it was (143; Ctrl-C stays 130).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { project, scalectl } from '../support/cli.js';

const stored = (dir: string) => Object.keys(JSON.parse(readFileSync(join(dir, '.scalectl/mock-cloud.json'), 'utf8')).providers.sim);

function applyUntil(dir: string, signal: NodeJS.Signals, args: string[] = []) {
  const child = scalectl(['apply', '--yes', '--concurrency', '1', ...args], { cwd: dir, env: { SCALECTL_MOCK_FAULTS: 'latency=1500ms' } });
  let sent = false;
  child.stderr?.on('data', (chunk: Buffer) => {
    if (!sent && chunk.toString().includes('web: applying…')) {
      sent = true;
      child.kill(signal);
    }
  });
  return child;
}

describe('SIGTERM during apply', () => {
  it('finishes the service in flight, prints the summary and the full --json, exits 143', async () => {
    const dir = project();
    const result = await applyUntil(dir, 'SIGTERM', ['--json']);
    expect(result.exitCode).toBe(143);
    expect(result.stderr).toContain('Terminated (SIGTERM): finishing the changes in flight, starting no new ones');
    expect(result.stderr).toContain('Apply interrupted: 1 changed, 0 failed, 4 not done.');
    const json = JSON.parse(String(result.stdout)) as { plan: unknown; results: Array<{ service: string; status: string }> };
    expect(json.results.map((r) => [r.service, r.status])).toEqual([
      ['web', 'applied'],
      ['api', 'interrupted'],
      ['worker', 'interrupted'],
      ['bot', 'interrupted'],
      ['admin', 'interrupted'],
    ]);
    expect(stored(dir)).toEqual(['web']);
  });

  it('SIGINT keeps exit code 130', async () => {
    const dir = project();
    const result = await applyUntil(dir, 'SIGINT');
    expect(result.exitCode).toBe(130);
    expect(stored(dir)).toEqual(['web']);
  });
});
