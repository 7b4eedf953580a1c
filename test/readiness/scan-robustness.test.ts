// The scan survives what it cannot read: unreadable files and folders, files that vanish mid-scan,
// names and contents that are not UTF-8, oversized files; each is reported as skipped and the rest
// is still checked. Ignore patterns match in linear time; a symlinked file is scanned once.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanTree } from '../../src/readiness/scanner.js';
import { readSource, walk, type SkippedFile } from '../../src/readiness/walker.js';
import { BIN, NODE, cleanEnv } from '../support/cli.js';

const POLLING = "import { Bot } from 'grammy';\nconst bot = new Bot('t');\nbot.start();\n";
let base: string;
let root: string;

function put(rel: string, text: string | Buffer = POLLING): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

// A path under the root made of raw bytes (names that are not UTF-8).
const raw = (...parts: Array<string | number[]>) => Buffer.concat([Buffer.from(`${root}/`), ...parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)))]);

async function walked(options: { maxBytes?: number } = {}): Promise<{ files: string[]; skipped: SkippedFile[] }> {
  const skipped: SkippedFile[] = [];
  const files = (await walk({ root, ...options, onSkip: (entry) => skipped.push(entry) })).map((file) => file.rel);
  return { files, skipped };
}

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'scalectl-robust-'));
  root = join(base, 'app');
  mkdirSync(root);
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('walk and read: what cannot be read is skipped and reported', () => {
  it('reports a file above the size limit and keeps the others', async () => {
    put('src/small.ts');
    put('src/big.ts', `${POLLING}${'// padding\n'.repeat(200)}`);
    expect(await walked({ maxBytes: 1000 })).toEqual({ files: ['src/small.ts'], skipped: [{ file: 'src/big.ts', reason: 'too-large', detail: '2269 bytes, above the 1000-byte limit' }] });
  });

  it('reports a source file or folder whose name is not UTF-8, and ignores such names of other files', async () => {
    writeFileSync(raw('bot', [0xff], '.ts'), POLLING);
    writeFileSync(raw('data', [0xfe], '.bin'), 'x'); // not a source file: not reported
    mkdirSync(raw('lib', [0xc3]));
    writeFileSync(raw('lib', [0xc3], '/x.ts'), POLLING);
    put('ok.ts');
    const { files, skipped } = await walked();
    expect(files).toEqual(['ok.ts']);
    expect(skipped).toEqual(
      expect.arrayContaining([
        { file: 'bot\uFFFD.ts', reason: 'undecodable-name', detail: 'the name is not valid UTF-8' },
        { file: 'lib\uFFFD/', reason: 'undecodable-name', detail: 'the name is not valid UTF-8' },
      ]),
    );
    expect(skipped).toHaveLength(2);
  });

  it('reports content that is not UTF-8 or is binary, and reads UTF-8 (with or without BOM)', async () => {
    put('latin1.py', Buffer.from('name = "caf\xe9"\n', 'latin1'));
    put('nul.js', Buffer.from([0x61, 0x00, 0x62]));
    put('bom.ts', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('export const s = "é";\n')]));
    const skipped: SkippedFile[] = [];
    const texts: Array<string | undefined> = [];
    for (const file of await walk({ root })) texts.push(await readSource(file, (entry) => skipped.push(entry)));
    expect(texts).toEqual(['export const s = "é";\n', undefined, undefined]);
    expect(skipped).toEqual([
      { file: 'latin1.py', reason: 'undecodable-content', detail: 'not valid UTF-8' },
      { file: 'nul.js', reason: 'undecodable-content', detail: 'binary content (NUL bytes)' },
    ]);
  });

  it('reports a file that vanished between the walk and the read', async () => {
    put('gone.ts');
    const [file] = await walk({ root });
    rmSync(file.abs);
    const skipped: SkippedFile[] = [];
    expect(await readSource(file, (entry) => skipped.push(entry))).toBeUndefined();
    expect(skipped).toEqual([{ file: 'gone.ts', reason: 'vanished', detail: 'ENOENT: it disappeared during the scan' }]);
  });

  it('lists a symlinked file once, under its own path; a link to a file the walk never reaches is kept', async () => {
    put('src/bot.ts');
    put('vendor/lib.ts');
    symlinkSync(join(root, 'src', 'bot.ts'), join(root, 'a-link.ts'));
    symlinkSync(join(root, 'src', 'bot.ts'), join(root, 'src', 'b-link.ts'));
    symlinkSync(join(root, 'vendor', 'lib.ts'), join(root, 'src', 'lib.ts'));
    expect((await walked()).files).toEqual(['src/bot.ts', 'src/lib.ts']);
    const result = await scanTree({ root });
    expect(result.findings.filter((f) => f.category === 'polling-bot').map((f) => f.file)).toEqual(['src/bot.ts', 'src/lib.ts']);
  });

  it('matches a pathological ignore pattern against a long name without backtracking', async () => {
    const long = `${'a'.repeat(240)}.ts`;
    put('.gitignore', '**a**a**a**a**a**a**a**a**b\n**a**a**a**a**a**a**a**a**s\n');
    put(long);
    put('keep.js');
    expect((await walked()).files).toEqual(['keep.js']);
  });
});

describe('scan: the rest is still checked', () => {
  it('goes on when a file vanishes mid-scan and lists it as skipped', async () => {
    put('a.ts', 'export const a = 1;\n');
    put('b.ts');
    put('c.ts');
    let removed = false;
    const result = await scanTree({
      root,
      concurrency: 1,
      onProgress: () => {
        if (!removed) rmSync(join(root, 'b.ts'));
        removed = true;
      },
    });
    expect(result.skipped).toEqual([{ file: 'b.ts', reason: 'vanished', detail: 'ENOENT: it disappeared during the scan' }]);
    expect(result.filesScanned).toBe(2);
    expect(result.findings.filter((f) => f.category === 'polling-bot').map((f) => f.file)).toEqual(['c.ts']);
  });

  it('does not list skipped files under a readiness.ignore path', async () => {
    put('generated/big.ts', 'x'.repeat(2000));
    put('src/big.ts', 'x'.repeat(2000));
    const result = await scanTree({ root, maxBytes: 1000, ignore: ['generated/'] });
    expect(result.skipped.map((s) => s.file)).toEqual(['src/big.ts']);
  });
});

// Permissions do not stop root, so as root the CLI runs without the capabilities that bypass them
// (setpriv drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH; the files stay readable to their owner).
function asUnprivileged(args: string[]) {
  const isRoot = process.getuid?.() === 0;
  const command = isRoot ? 'setpriv' : NODE;
  const prefix = isRoot ? ['--bounding-set=-dac_override,-dac_read_search', '--', NODE] : [];
  return execa(command, [...prefix, BIN, ...args], { cwd: base, reject: false, env: cleanEnv({ HOME: base }), extendEnv: false });
}

describe('scalectl check (built CLI)', () => {
  it('reports unreadable files and folders, oversized and undecodable files as skipped, in text and JSON, and still reports findings', async () => {
    put('src/bot.ts');
    put('src/secret.ts');
    put('locked/inner.ts');
    put('src/latin1.py', Buffer.from('x = "\xe9"\n', 'latin1'));
    put('src/bundle.js', `// ${'x'.repeat(1024 * 1024)}\n`);
    chmodSync(join(root, 'src', 'secret.ts'), 0o000);
    chmodSync(join(root, 'locked'), 0o000);
    try {
      const json = await asUnprivileged(['check', 'app', '--format', 'json']);
      expect(json.exitCode).toBe(3); // the polling bot in src/bot.ts is still found
      const body = JSON.parse(json.stdout);
      expect(body.roots[0].findings.map((f: { file: string; category: string }) => `${f.file} ${f.category}`)).toContain('src/bot.ts polling-bot');
      expect(body.roots[0].skipped).toEqual([
        { file: 'locked/', reason: 'unreadable', detail: 'EACCES: permission denied' },
        { file: 'src/bundle.js', reason: 'too-large', detail: `${1024 * 1024 + 4} bytes, above the 1048576-byte limit` },
        { file: 'src/latin1.py', reason: 'undecodable-content', detail: 'not valid UTF-8' },
        { file: 'src/secret.ts', reason: 'unreadable', detail: 'EACCES: permission denied' },
      ]);
      expect(json.stderr).toContain('warning: skipped app/src/secret.ts (unreadable: EACCES: permission denied)');
      const text = await asUnprivileged(['check', 'app']);
      expect(text.exitCode).toBe(3);
      expect(text.stdout).toContain('skipped 4 files that could not be read (not checked):');
      expect(text.stdout).toContain('  src/latin1.py  undecodable-content: not valid UTF-8');
      expect(text.stdout).toContain('polling');
    } finally {
      chmodSync(join(root, 'src', 'secret.ts'), 0o644);
      chmodSync(join(root, 'locked'), 0o755);
    }
  });
});
