// apply on a real pseudo-terminal (util-linux `script`): the plan, a clack confirm, the answer.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, NODE, cleanEnv, project } from '../support/cli.js';

// Runs the CLI in a 120x40 pseudo-terminal, typing `keys` once the prompt is on screen.
async function onTerminal(dir: string, args: string, keys: string[]): Promise<{ exitCode: number; screen: string }> {
  const command = `stty cols 120 rows 40; ${JSON.stringify(NODE)} ${JSON.stringify(BIN)} ${args}`;
  const child = execa('script', ['-qec', command, '/dev/null'], { cwd: dir, env: cleanEnv(), extendEnv: false, reject: false, stdin: 'pipe' });
  let screen = '';
  let typed = false;
  child.stdout?.on('data', (chunk: Buffer) => {
    screen += chunk.toString();
    if (!typed && screen.includes('Apply these changes')) {
      typed = true;
      let delay = 100;
      for (const key of keys) {
        setTimeout(() => child.stdin?.write(key), delay);
        delay += 150;
      }
    }
  });
  const result = await child;
  // script reports the child's status as its own
  return { exitCode: result.exitCode ?? -1, screen: screen.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '') };
}

describe('apply on a terminal', () => {
  it('shows the plan, asks, and applies on yes', async () => {
    const dir = project();
    const { exitCode, screen } = await onTerminal(dir, 'apply web', ['y', '\r']);
    expect(screen).toContain('+ web (sim: mock web) will be created');
    expect(screen).toContain('Apply these changes to 1 service?');
    expect(screen).toContain('Apply complete: 1 changed, 0 failed.');
    expect(exitCode).toBe(0);
    expect(existsSync(join(dir, '.scalectl/mock-cloud.json'))).toBe(true);
  });

  it('changes nothing on no, and exits 130 on Ctrl-C at the prompt', async () => {
    const dir = project();
    const no = await onTerminal(dir, 'apply', ['n', '\r']);
    expect(no.screen).toContain('Apply cancelled; nothing was changed.');
    expect(no.exitCode).toBe(1); // declined: nothing was applied (as in Terraform)
    const cancelled = await onTerminal(dir, 'apply', ['\u0003']);
    expect(cancelled.screen).toContain('Apply cancelled; nothing was changed.');
    expect(cancelled.exitCode).toBe(130);
    expect(existsSync(join(dir, '.scalectl/mock-cloud.json'))).toBe(false);
  });
});
