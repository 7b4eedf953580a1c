// `scalectl check` in process: targets (path, scaling.yaml sources, cwd), formats, --fail-on exit codes.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/check.js';
import { makeContext } from '../../src/cli/context.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
let dir: string;

function context(cwd: string, options: { file?: string; tty?: boolean } = {}) {
  const stdout = Object.assign(new PassThrough(), { isTTY: false });
  const stderr = Object.assign(new PassThrough(), { isTTY: options.tty ?? false });
  const chunks = { out: '', err: '' };
  stdout.on('data', (d) => (chunks.out += d));
  stderr.on('data', (d) => (chunks.err += d));
  const ctx = makeContext(
    { file: options.file, json: false, color: false, quiet: false, verbose: false },
    { stdout, stderr, stdin: Object.assign(new PassThrough(), { isTTY: false }), env: {}, cwd },
    new AbortController().signal,
  );
  return { ctx, chunks };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scalectl-check-'));
  cpSync(join(FIXTURES, 'polling-bot'), join(dir, 'bot'), { recursive: true });
  cpSync(join(FIXTURES, 'polling-bot-safe'), join(dir, 'web'), { recursive: true });
  cpSync(join(FIXTURES, 'in-process-scheduler'), join(dir, 'jobs'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('scalectl check', () => {
  it('scans the given path and exits 3 when errors meet the default --fail-on error', async () => {
    const { ctx, chunks } = context(dir);
    expect(await run({ path: 'bot', format: 'json', failOn: 'error' }, ctx)).toBe(3);
    const body = JSON.parse(chunks.out);
    expect(body.roots[0].root).toBe(join(dir, 'bot'));
    expect(body.roots[0].findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['aiogram-polling', 'grammy-long-polling', 'grammy-long-polling']);
    expect(chunks.err).toBe(''); // no progress without a TTY
  });

  it('exits 0 for a clean tree, and for warnings unless --fail-on warning', async () => {
    expect(await run({ path: 'web', format: 'text', failOn: 'warning' }, context(dir).ctx)).toBe(0);
    expect(await run({ path: 'jobs', format: 'text', failOn: 'error' }, context(dir).ctx)).toBe(0);
    expect(await run({ path: 'jobs', format: 'text', failOn: 'warning' }, context(dir).ctx)).toBe(3);
    expect(await run({ path: 'bot', format: 'text', failOn: 'never' }, context(dir).ctx)).toBe(0);
  });

  it('scans the current folder when there is no scaling.yaml', async () => {
    const { ctx, chunks } = context(join(dir, 'jobs'));
    expect(await run({ format: 'github', failOn: 'error' }, ctx)).toBe(0);
    expect(chunks.out.trim().split('\n')).toEqual([
      expect.stringMatching(/^::warning file=app\/scheduler.py,line=5,col=13,title=python-in-process-scheduler \(in-process-scheduler\)::/),
      expect.stringMatching(/^::warning file=src\/jobs.ts,line=5,col=1,title=js-cron-scheduler \(in-process-scheduler\)::/),
    ]);
  });

  it("scans every service's source from scaling.yaml with its readiness.ignore", async () => {
    writeFileSync(
      join(dir, 'scaling.yaml'),
      [
        'version: 1',
        'services:',
        '  bot:',
        '    target: bot',
        '    replicas: 3',
        '    source: ./bot',
        '    readiness:',
        '      ignore: [python/]',
        '  web:',
        '    target: web',
        '    replicas: 2',
        '    source: ./web',
        '  db:',
        '    target: db',
        '    replicas: 1',
        '',
      ].join('\n'),
    );
    const { ctx, chunks } = context(dir);
    expect(await run({ format: 'text', failOn: 'error' }, ctx)).toBe(3);
    const text = chunks.out;
    expect(text).toContain('bot (bot)\n');
    expect(text).toContain('web (web)\n\n  no findings (3 files scanned)');
    expect(text).not.toContain('python/main.py');
    expect(text.trim().split('\n').at(-1)).toBe('1 error, 1 warning, 0 info in 2 files (6 files scanned).');
  });

  it('keeps the readiness.ignore of the service whose source is the given path', async () => {
    writeFileSync(join(dir, 'scaling.yaml'), 'version: 1\nservices:\n  bot:\n    target: bot\n    replicas: 3\n    source: ./bot\n    readiness:\n      ignore: [grammy-long-polling]\n');
    const { ctx, chunks } = context(dir);
    expect(await run({ path: './bot', format: 'json', failOn: 'error' }, ctx)).toBe(3);
    const body = JSON.parse(chunks.out);
    expect(body.roots[0].service).toBe('bot');
    expect(body.roots[0].findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['aiogram-polling']);
  });

  it('writes SARIF with paths relative to the current folder', async () => {
    const { ctx, chunks } = context(dir);
    await run({ path: 'bot', format: 'sarif', failOn: 'never' }, ctx);
    const log = JSON.parse(chunks.out);
    expect(log.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri)).toEqual([
      'bot/python/main.py',
      'bot/src/bot.ts',
      'bot/src/dev-or-prod.ts',
    ]);
  });

  it('shows progress on a terminal and clears it afterwards', async () => {
    const { ctx, chunks } = context(dir, { tty: true });
    await run({ path: 'bot', format: 'json', failOn: 'never' }, ctx);
    expect(chunks.err.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('names a missing folder and the fix', async () => {
    await expect(run({ path: 'nope', format: 'text', failOn: 'error' }, context(dir).ctx)).rejects.toThrow(
      `the path to check is not a folder: ${join(dir, 'nope')}. Pass an existing source folder (scalectl check ./src) or fix \`source:\` in scaling.yaml.`,
    );
  });
});
