// The built CLI as a process (node bin/scalectl.js): every fixture app and safe twin through
// `check`, each output format, and the plan gate. Needs `npm run build` first (dist/).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/readiness/rules.js';

const REPO = join(import.meta.dirname, '../..');
// SCALECTL_BIN points at another build of the executable (default: this repository's).
const BIN = process.env.SCALECTL_BIN ?? join(REPO, 'bin/scalectl.js');
const FIXTURES = join(import.meta.dirname, 'fixtures');

function scalectl(args: string[], cwd = REPO) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '1' }, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  const dist = join(BIN, '../../dist/cli.js');
  if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`npm run build\` before the end-to-end tests.`);
});

describe('scalectl check (built CLI)', () => {
  for (const category of CATEGORIES) {
    it(`${category}: findings of the category, exit 3 with --fail-on warning`, () => {
      const { code, stdout, stderr } = scalectl(['check', join(FIXTURES, category), '--format', 'json', '--fail-on', 'warning']);
      expect(stderr).toBe('');
      expect(code).toBe(3);
      const findings = JSON.parse(stdout).roots[0].findings as { category: string; file: string }[];
      expect(findings.some((finding) => finding.category === category)).toBe(true);
      expect(findings.every((finding) => !finding.file.includes('\\') && !finding.file.startsWith('/'))).toBe(true);
    });
    it(`${category}-safe: no findings, exit 0`, () => {
      const { code, stdout } = scalectl(['check', join(FIXTURES, `${category}-safe`), '--format', 'json', '--fail-on', 'warning']);
      expect(code).toBe(0);
      expect(JSON.parse(stdout).roots[0].findings).toEqual([]);
    });
  }

  it('text: grouped by file with a code frame and the fix; default --fail-on error exits 3', () => {
    const { code, stdout } = scalectl(['check', 'test/readiness/fixtures/polling-bot']);
    expect(code).toBe(3);
    expect(stdout).toContain('src/bot.ts\n  17:1  error  grammY bot `bot` long-polls Telegram');
    expect(stdout).toContain('  > 17 | bot.start({ onStart: (me) => console.log(`@${me.username} is polling`) });');
    expect(stdout.trim().split('\n').at(-1)).toBe('2 errors, 1 warning, 0 info in 3 files (4 files scanned).');
  });

  it('github: annotations with repository paths', () => {
    const { code, stdout } = scalectl(['check', 'test/readiness/fixtures/websocket-fanout', '--format', 'github', '--fail-on', 'never']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').map((line) => line.split('::')[1])).toEqual([
      'error file=test/readiness/fixtures/websocket-fanout/chat/consumers.py,line=5,col=12,title=python-socketio-no-queue (websocket-fanout)',
      'error file=test/readiness/fixtures/websocket-fanout/src/server.ts,line=8,col=12,title=socketio-no-adapter (websocket-fanout)',
    ]);
  });

  it('sarif: a 2.1.0 log with one result per finding', () => {
    const { code, stdout } = scalectl(['check', 'test/readiness/fixtures/local-disk-state', '--format', 'sarif']);
    expect(code).toBe(3);
    const log = JSON.parse(stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['python-local-file-store', 'sqlite-file-database', 'multer-disk-storage']);
  });

  it('rejects an unknown format with the choices', () => {
    const { code, stderr } = scalectl(['check', '.', '--format', 'xml']);
    expect(code).toBe(1);
    expect(stderr).toContain('xml');
  });
});

describe('scalectl check on a large tree (built CLI, worker threads)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'scalectl-large-'));
    for (let copy = 0; copy < 3; copy++) cpSync(FIXTURES, join(dir, `copy-${copy}`), { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the same as without worker threads', () => {
    const threaded = scalectl(['check', dir, '--format', 'json', '--fail-on', 'never']);
    const single = scalectl(['check', dir, '--format', 'json', '--fail-on', 'never', '--threads', '0']);
    expect(threaded.stderr).toBe('');
    expect(threaded.code).toBe(0);
    expect(single.code).toBe(0);
    const body = JSON.parse(threaded.stdout);
    expect(body.roots[0].filesScanned).toBeGreaterThanOrEqual(48);
    expect(body.roots[0].findings.length).toBeGreaterThan(20);
    expect(threaded.stdout).toBe(single.stdout);
  });

  it('rejects --threads that is not a whole number, exit 1 (bad flags)', () => {
    const { code, stderr } = scalectl(['check', dir, '--threads', 'many']);
    expect(code).toBe(1);
    expect(stderr).toContain('--threads must be a whole number from 0 to 64, got "many"');
  });
});

describe('readiness gate (built CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'scalectl-gate-'));
    cpSync(join(FIXTURES, 'polling-bot'), join(dir, 'bot'), { recursive: true });
    writeFileSync(join(dir, 'scaling.yaml'), 'version: 1\nservices:\n  bot:\n    target: bot\n    replicas: 3\n    source: ./bot\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a polling bot at replicas: 3: plan exits 3 and names the finding', () => {
    const { code, stdout } = scalectl(['plan'], dir);
    expect(code).toBe(3);
    expect(stdout).toContain('src/bot.ts:17:1 grammy-long-polling');
  });

  it('with --force it plans and says the gate was overridden', () => {
    const { code, stdout } = scalectl(['plan', '--force'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('readiness gate overridden with --force');
  });

  it('scalectl check without a path scans the service sources from scaling.yaml', () => {
    const { code, stdout } = scalectl(['check', '--format', 'json'], dir);
    expect(code).toBe(3);
    const body = JSON.parse(stdout);
    expect(body.roots.map((r: { service: string }) => r.service)).toEqual(['bot']);
  });
});
