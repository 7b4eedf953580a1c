// A large scan runs stage 1 on worker threads (pool.ts, worker.ts). Stage 1 is pure per file, so
// the result must be the same as on the main thread, whatever thread finished first; a worker that
// fails leaves its files to the main thread. The worker is bundled here the way the build does
// (scripts/build.mjs), next to node_modules so it finds @ast-grep/napi.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POOL_MIN_FILES } from '../../src/readiness/pool.js';
import { scanTree } from '../../src/readiness/scanner.js';

const REPO = join(import.meta.dirname, '../..');
const FIXTURES = join(import.meta.dirname, 'fixtures');
const OUT = join(REPO, 'node_modules/.cache', `scalectl-test-worker-${process.pid}`);
const WORKER = join(OUT, 'readiness-worker.js');
const BROKEN = join(OUT, 'broken-worker.js');
let base: string;

beforeAll(async () => {
  await build({
    entryPoints: [join(REPO, 'src/readiness/worker.ts')],
    outfile: WORKER,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['@ast-grep/napi', '@ast-grep/lang-python'],
    banner: { js: "import { createRequire as __scalectlRequire } from 'node:module'; const require = __scalectlRequire(import.meta.url);" },
    logLevel: 'error',
  });
  writeFileSync(BROKEN, "throw new Error('this worker cannot start');\n");
  base = mkdtempSync(join(tmpdir(), 'scalectl-pool-'));
});

afterAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  rmSync(base, { recursive: true, force: true });
});

// Every fixture app (all categories, both languages, their safe twins) copied `copies` times.
function tree(name: string, copies: number): string {
  const root = join(base, name);
  for (let copy = 0; copy < copies; copy++) cpSync(FIXTURES, join(root, `copy-${copy}`), { recursive: true });
  return root;
}

describe('readiness scan on worker threads', () => {
  it('finds exactly what the main thread finds, on two threads, and skips the same files', async () => {
    const root = tree('large', 3);
    // files the workers read and skip: binary, not UTF-8, minified (quietly)
    writeFileSync(join(root, 'copy-0', 'binary.js'), Buffer.from([0x63, 0x6f, 0x6e, 0x00, 0x73, 0x74]));
    writeFileSync(join(root, 'copy-1', 'latin1.js'), Buffer.from([0x2f, 0x2f, 0x20, 0xe9, 0x0a]));
    writeFileSync(join(root, 'copy-2', 'bundle.js'), `var a=1;${'x();'.repeat(2000)}\n`);
    // a route that reaches module state only through an import: the workers extract the imported
    // module's deferred facts when stage 2 asks for them
    mkdirSync(join(root, 'chain'));
    writeFileSync(join(root, 'chain', 'server.js'), "const express = require('express');\nconst { remember } = require('./store');\nexpress().post('/x', (req, res) => { remember(req.body); res.end(); });\n");
    writeFileSync(join(root, 'chain', 'store.js'), 'const seen = new Set();\nexports.remember = (item) => { seen.add(item); };\nexports.known = (item) => seen.has(item);\n');
    const inline = await scanTree({ root, threads: 0 });
    const pooled = await scanTree({ root, threads: 2, workerFile: WORKER });
    expect(inline.findings.filter((finding) => finding.file.startsWith('chain/')).map((finding) => `${finding.ruleId} ${finding.file}:${finding.line}`)).toEqual(['module-state-in-handler chain/store.js:1']);
    expect(await scanTree({ root, threads: 0, eagerFacts: true })).toEqual(inline);
    expect(await scanTree({ root, threads: 2, workerFile: WORKER, eagerFacts: true })).toEqual(pooled);
    expect(inline.filesScanned).toBeGreaterThanOrEqual(POOL_MIN_FILES);
    expect(inline.workers).toBe(0);
    expect(pooled.workers).toBe(2);
    expect(inline.findings.length).toBeGreaterThan(20);
    expect(inline.skipped.map((entry) => `${entry.file}: ${entry.reason}`)).toEqual(['copy-0/binary.js: undecodable-content', 'copy-1/latin1.js: undecodable-content']);
    expect(pooled).toEqual({ ...inline, workers: 2 });
  });

  it('does not start threads for a small tree', async () => {
    const root = join(base, 'small');
    cpSync(join(FIXTURES, 'polling-bot'), root, { recursive: true });
    const result = await scanTree({ root, workerFile: WORKER });
    expect(result.workers).toBe(0);
    expect(result.findings.some((finding) => finding.category === 'polling-bot')).toBe(true);
  });

  it('analyses on the main thread what a failed worker could not', async () => {
    const root = tree('broken', 3);
    const inline = await scanTree({ root, threads: 0 });
    const fallback = await scanTree({ root, threads: 2, workerFile: BROKEN });
    expect(fallback).toEqual(inline);
  });

  it('answers a warm scan from the cache without threads, with the same findings', async () => {
    const root = tree('cached', 3);
    const cacheDir = join(base, 'cache');
    mkdirSync(cacheDir);
    const cold = await scanTree({ root, threads: 2, workerFile: WORKER, cacheDir });
    const warm = await scanTree({ root, threads: 2, workerFile: WORKER, cacheDir });
    expect(cold.workers).toBe(2);
    expect(warm.workers).toBe(0);
    expect(warm.findings).toEqual(cold.findings);
    expect(warm.findings).toEqual((await scanTree({ root, threads: 0 })).findings);
  });
});
