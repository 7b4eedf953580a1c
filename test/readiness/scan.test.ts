// The fixture apps, scanned end to end through scan(): one app per category finds that category,
// every safe twin finds nothing; suppression, config ignore and env-gated polling.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, scan } from '../../src/readiness/index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const scanFixture = (name: string, ignore?: string[]) => scan({ root: join(FIXTURES, name), ignore });

describe('fixture apps', () => {
  for (const category of CATEGORIES) {
    it(`${category}: the app is flagged with an error or warning of its category`, async () => {
      const { findings, filesScanned } = await scanFixture(category);
      expect(filesScanned).toBeGreaterThan(0);
      const own = findings.filter((finding) => finding.category === category);
      expect(own.length).toBeGreaterThan(0);
      expect(own.some((finding) => finding.severity !== 'info')).toBe(true);
    });
    it(`${category}-safe: the safe twin has no findings`, async () => {
      const { findings, filesScanned } = await scanFixture(`${category}-safe`);
      expect(filesScanned).toBeGreaterThan(0);
      expect(findings).toEqual([]);
    });
  }

  it('reports the exact findings of the polling bot, with relative / paths and 1-based positions', async () => {
    const { findings, filesScanned, root } = await scanFixture('polling-bot');
    expect(root).toBe(join(FIXTURES, 'polling-bot'));
    // src/bot.ts, src/menu.ts, src/dev-or-prod.ts, python/main.py; test/ and the .gitignore'd script are skipped
    expect(filesScanned).toBe(4);
    expect(findings.map((f) => `${f.severity} ${f.ruleId} ${f.file}:${f.line}:${f.column}`)).toEqual([
      'error aiogram-polling python/main.py:18:11',
      'error grammy-long-polling src/bot.ts:17:1',
      'warning grammy-long-polling src/dev-or-prod.ts:15:3',
    ]);
    const bot = findings[1];
    expect(bot.message).toBe(
      'grammY bot `bot` long-polls Telegram with `bot.start()`: with more than one replica every replica calls getUpdates, Telegram answers 409 Conflict and updates are split, lost or repeated.',
    );
    expect(bot.fix).toMatch(/^Serve updates by webhook: `app.use\(webhookCallback\(bot, "express"\)\)`/);
  });

  it('reports polling that an environment variable selects one level lower, naming the variable', async () => {
    const { findings } = await scanFixture('polling-bot');
    const gated = findings.find((finding) => finding.file === 'src/dev-or-prod.ts');
    expect(gated?.severity).toBe('warning');
    expect(gated?.message).toContain('This path depends on the environment variable WEBHOOK_URL (condition `WEBHOOK_URL`): make sure production never takes it with more than one replica.');
  });

  it('honours an inline scalectl-ignore comment on the line above', async () => {
    // session-race-safe has `// scalectl-ignore grammy-runner-polling` above run(bot)
    const { findings } = await scanFixture('session-race-safe');
    expect(findings.map((finding) => finding.ruleId)).not.toContain('grammy-runner-polling');
  });

  it('drops findings by rule id, category and path from readiness.ignore', async () => {
    const all = await scanFixture('in-memory-state');
    expect(new Set(all.findings.map((f) => f.ruleId))).toEqual(new Set(['express-session-memory-store', 'express-rate-limit-memory', 'module-state-in-handler', 'python-module-state-in-handler']));
    const byRule = await scanFixture('in-memory-state', ['express-rate-limit-memory']);
    expect(byRule.findings.map((f) => f.ruleId)).not.toContain('express-rate-limit-memory');
    expect(byRule.findings).toHaveLength(all.findings.length - 1);
    const byPath = await scanFixture('in-memory-state', ['app/']);
    expect(byPath.findings.every((f) => f.file.startsWith('src/'))).toBe(true);
    expect(byPath.filesScanned).toBe(all.filesScanned - 1);
    const byGlob = await scanFixture('in-memory-state', ['**/*.py', 'src/server.js']);
    expect(byGlob.findings).toEqual([]);
    const byCategory = await scanFixture('in-memory-state', ['in-memory-state']);
    expect(byCategory.findings).toEqual([]);
  });

  it('reports progress as files are scanned', async () => {
    const seen: number[] = [];
    const { filesScanned } = await scan({ root: join(FIXTURES, 'local-disk-state'), onProgress: (count) => seen.push(count) });
    expect(seen.at(-1)).toBe(filesScanned);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});
