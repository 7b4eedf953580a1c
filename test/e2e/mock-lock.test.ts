// apply on the mock cloud says whose lock it waits for instead of waiting in silence.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../adapters/mock-cloud/lock.js';
import { project, scalectl } from '../support/cli.js';

describe('the mock cloud lock', () => {
  it('apply names the pid holding the lock and when it took it, then proceeds once it is free', async () => {
    const dir = project();
    const release = await acquireLock(join(dir, '.scalectl/mock-cloud.json.lock'));
    const child = scalectl(['apply', '--yes'], { cwd: dir });
    let seen = '';
    await new Promise<void>((resolve) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('waiting for the mock cloud lock')) resolve();
      });
    });
    release();
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`waiting for the mock cloud lock held by pid ${process.pid} since \\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z…`));
    expect(result.stderr).toContain('Apply complete: 5 changed, 0 failed.');
  });
});
