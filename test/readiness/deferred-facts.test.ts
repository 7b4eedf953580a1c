// Deferred facts (stage1.ts, factsWhen; project.ts, deferredReached): a JS file that cannot hold an
// entry point gets its syntax facts only when a file with facts imports it. Deferral must never
// change a finding: every scan here is compared with one that extracts every file's facts.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { jsEntryCapable } from '../../src/readiness/facts-js.js';
import { CACHE_FILE } from '../../src/readiness/cache.js';
import { scanTree, type ScanOptions } from '../../src/readiness/scanner.js';
import { brief, writeProject } from './project-helper.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const STATE = 'module-state-in-handler';
const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = writeProject(files);
  made.push(dir);
  return dir;
}

// The scan, and the same scan with every fact extracted in stage 1: they must agree.
async function scanBoth(options: ScanOptions) {
  const lazy = await scanTree({ threads: 0, ...options });
  const eager = await scanTree({ threads: 0, ...options, eagerFacts: true, cacheDir: undefined });
  expect(lazy).toEqual(eager);
  return lazy;
}

// An Express route calls into a module that calls into another; neither module can hold an entry
// point, so both are reached only through imports. `unused.js` is imported by nothing.
const CHAIN = {
  'server.js': ["import express from 'express';", "import { addItem } from './cart.js';", 'const app = express();', "app.post('/cart', (req, res) => { addItem(req.body); res.end(); });", 'app.listen(3000);'].join('\n'),
  'cart.js': ["import { audit } from './audit.js';", 'const carts = new Map();', 'export function addItem(item) {', '  carts.set(item.id, item);', '  audit(item);', '}', 'export const count = () => carts.size;'].join('\n'),
  'audit.js': ['const log = [];', 'export function audit(entry) {', '  log.push(entry);', '}', 'export const entries = () => log;'].join('\n'),
  'unused.js': ['let hits = 0;', 'export function hit() {', '  hits++;', '  return hits;', '}'].join('\n'),
};

describe('deferred facts', () => {
  it('knows which files can hold an entry point from their text and path', () => {
    expect(jsEntryCapable("const express = require('express');", 'a.js')).toBe(true);
    expect(jsEntryCapable('import { EventEmitter } from "node:events";', 'a.ts')).toBe(true);
    expect(jsEntryCapable("import { Controller } from '@nestjs/common';", 'a.ts')).toBe(true);
    expect(jsEntryCapable("router.get('/', list);", 'a.js')).toBe(true);
    expect(jsEntryCapable('...bot.on("text", reply)', 'a.js')).toBe(true);
    expect(jsEntryCapable('export default function handler(req, res) {}', 'src/pages/api/cart.ts')).toBe(true);
    expect(jsEntryCapable('export async function POST(request) {}', 'app/cart/route.ts')).toBe(true);
    // a library module: state and functions, no server, bot or handler receiver
    expect(jsEntryCapable('const items = [];\nexport function add(x) { items.push(x); }', 'lib/items.js')).toBe(false);
    expect(jsEntryCapable("const express2 = require('express-validator'); myapp.get(x);", 'a.js')).toBe(false);
  });

  it('follows an entry point through two modules that are reached only by imports', async () => {
    const root = project(CHAIN);
    const result = await scanBoth({ root });
    expect(brief(result.findings)).toEqual([`warning ${STATE} audit.js:1`, `warning ${STATE} cart.js:2`]);
    expect(result.findings[0].message).toContain('a function called from');
  });

  it('caches the facts stage 2 asked for, keeps the rest deferred, and answers a warm scan the same', async () => {
    const root = project(CHAIN);
    const cacheDir = join(root, '.scalectl');
    const cold = await scanBoth({ root, cacheDir });
    const cached = JSON.parse(readFileSync(join(cacheDir, CACHE_FILE), 'utf8')).roots[root];
    expect(Object.fromEntries(Object.entries(cached).map(([rel, entry]) => [rel, (entry as { facts: { deferred?: true } }).facts.deferred ?? false]))).toEqual({
      'audit.js': false,
      'cart.js': false,
      'server.js': false,
      'unused.js': true,
    });
    expect(await scanTree({ root, cacheDir, threads: 0 })).toEqual(cold);
    // eagerFacts takes a deferred cache entry for a miss, and caches every fact
    expect(await scanTree({ root, cacheDir, threads: 0, eagerFacts: true })).toEqual(cold);
    expect(JSON.parse(readFileSync(join(cacheDir, CACHE_FILE), 'utf8')).roots[root]['unused.js'].facts.deferred).toBeUndefined();
  });

  it('extracts facts an edited entry file newly reaches, from a warm cache', async () => {
    const files = { ...CHAIN, 'server.js': CHAIN['server.js'].replace("import { addItem } from './cart.js';", "import { addItem } from './cart.js';\nimport { hit } from './unused.js';").replace('addItem(req.body);', 'addItem(req.body); hit();') };
    const root = project(CHAIN);
    const cacheDir = join(root, '.scalectl');
    expect(brief((await scanTree({ root, cacheDir, threads: 0 })).findings)).toEqual([`warning ${STATE} audit.js:1`, `warning ${STATE} cart.js:2`]);
    writeFileSync(join(root, 'server.js'), files['server.js']);
    const warm = await scanTree({ root, cacheDir, threads: 0 });
    expect(brief(warm.findings)).toEqual([`warning ${STATE} audit.js:1`, `warning ${STATE} cart.js:2`, `warning ${STATE} unused.js:1`]);
    expect(JSON.parse(readFileSync(join(cacheDir, CACHE_FILE), 'utf8')).roots[root]['unused.js'].facts.deferred).toBeUndefined();
    expect(warm).toEqual(await scanTree({ root, threads: 0, eagerFacts: true }));
  });

  it('analyses a reached file edited or deleted during the scan from one read, with or without a cache', async () => {
    for (const cached of [false, true]) {
      const root = project(CHAIN);
      const cacheDir = cached ? join(root, '.scalectl') : undefined;
      // once stage 1 has read every file: move cart.js's code two lines down and add a timer
      const edited = await scanTree({
        root,
        cacheDir,
        threads: 0,
        onProgress: (count) => {
          if (count === 4) writeFileSync(join(root, 'cart.js'), `\n\n${CHAIN['cart.js']}\nsetInterval(() => carts.clear(), 60000);\n`);
        },
      });
      // the state finding and the timer's both come from the edited text
      expect(brief(edited.findings)).toContain(`warning ${STATE} cart.js:4`);
      expect(edited.findings.some((finding) => finding.file === 'cart.js' && finding.line === 10)).toBe(true);
      expect(edited).toEqual(await scanTree({ root, threads: 0, eagerFacts: true }));

      const again = project(CHAIN);
      const gone = await scanTree({
        root: again,
        cacheDir: cached ? join(again, '.scalectl') : undefined,
        threads: 0,
        onProgress: (count) => {
          if (count === 4) rmSync(join(again, 'audit.js'));
        },
      });
      expect(brief(gone.findings)).toEqual([`warning ${STATE} cart.js:2`]);
      expect(gone.skipped.map((entry) => `${entry.file}: ${entry.reason}`)).toEqual(['audit.js: vanished']);
    }
  });

  it('changes no finding on any fixture app (all categories, both languages, safe twins)', async () => {
    const result = await scanBoth({ root: FIXTURES });
    expect(result.findings.some((finding) => finding.ruleId === STATE)).toBe(true);
  });
});
