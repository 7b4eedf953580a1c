// The scan cache: per-file results keyed by content hash under the given folder; a changed file
// is analysed again, an unchanged one is answered from the cache, a corrupt cache is ignored.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scan } from '../../src/readiness/index.js';
import { CACHE_FILE } from '../../src/readiness/cache.js';
import { writeProject } from './project-helper.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const APP = ["const app = require('express')();", 'const hits = {};', "app.get('/', (req, res) => { hits[req.ip] = 1; res.json(hits); });", "const cron = require('node-cron');", "cron.schedule('* * * * *', () => {});"].join('\n');

describe('scan cache', () => {
  it('answers unchanged files from the cache and re-analyses changed ones', async () => {
    dir = writeProject({ 'src/app.js': APP });
    const root = join(dir, 'src');
    const cacheDir = join(dir, '.scalectl');
    const cold = await scan({ root, cacheDir });
    expect(cold.findings.map((f) => f.ruleId).sort()).toEqual(['js-cron-scheduler', 'module-state-in-handler']);
    const path = join(cacheDir, CACHE_FILE);
    const body = JSON.parse(readFileSync(path, 'utf8'));
    const entry = body.roots[root]['app.js'];
    expect(entry.hash).toMatch(/^[\w-]{20,}$/);
    // Mark the cached pattern finding: a warm scan must return it as stored.
    entry.findings[0].message = 'from the cache';
    writeFileSync(path, JSON.stringify(body));
    const warm = await scan({ root, cacheDir });
    expect(warm.findings.find((f) => f.ruleId === 'js-cron-scheduler')?.message).toBe('from the cache');
    expect(warm.findings.find((f) => f.ruleId === 'module-state-in-handler')).toEqual(cold.findings.find((f) => f.ruleId === 'module-state-in-handler'));
    writeFileSync(join(root, 'app.js'), `${APP}\n// changed\n`);
    const changed = await scan({ root, cacheDir });
    expect(changed.findings.find((f) => f.ruleId === 'js-cron-scheduler')?.message).not.toBe('from the cache');
  });

  it('ignores a corrupt cache file and rewrites it', async () => {
    dir = writeProject({ 'src/app.js': APP, '.scalectl/readiness-cache.json': '{ not json' });
    const result = await scan({ root: join(dir, 'src'), cacheDir: join(dir, '.scalectl') });
    expect(result.findings).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(dir, '.scalectl', CACHE_FILE), 'utf8')).format).toBe(1);
  });
});
