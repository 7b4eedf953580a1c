// Markdown summaries for $GITHUB_STEP_SUMMARY: exact text for plan, apply and check records.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServiceResult } from '../../src/apply/engine.js';
import { appendStepSummary, applyMarkdown, checkMarkdown, planMarkdown } from '../../src/output/summary.js';
import type { Finding, Plan } from '../../src/plan/types.js';

const finding: Finding = {
  ruleId: 'polling-bot/grammy-long-polling',
  category: 'polling-bot',
  severity: 'error',
  file: 'src/bot.ts',
  line: 12,
  column: 3,
  message: 'bot.start() long-polls: every replica answers every update',
  fix: 'use a webhook, or keep replicas: 1',
};

function aPlan(): Plan {
  return {
    formatVersion: 1,
    configFile: '/p/scaling.yaml',
    configHash: 'abc',
    createdAt: '2026-01-01T00:00:00.000Z',
    forced: false,
    services: [
      {
        name: 'web', provider: 'sim', adapter: 'mock', target: 'web', action: 'update', fingerprint: 'r1',
        changes: [
          { field: 'autoscale.max', before: 20, after: 30, support: 'native', cause: 'scaling.yaml:18' },
          { field: 'autoscale.metrics[rps].target', before: null, after: 150, support: 'emulated', cause: 'scaling.yaml:21' },
          { field: 'routing.affinity', before: 'sticky', after: null, support: 'unsupported', note: 'a | b' },
        ],
        findings: [], warnings: ['min == max: no scaling happens'], errors: [],
      },
      { name: 'bot', provider: 'sim', adapter: 'mock', target: 'bot', action: 'none', fingerprint: 'r2', changes: [], findings: [finding], warnings: [], errors: ['cannot read bot'], gate: 'blocked' },
    ],
    summary: { toChange: 1, unchanged: 1, errors: 1 },
  };
}

describe('planMarkdown', () => {
  it('renders the summary line, one row per field change and the notes', () => {
    expect(planMarkdown(aPlan())).toBe(
      [
        '### scalectl plan',
        '',
        '**Plan: 1 to change, 1 unchanged, 1 error.**',
        '',
        '| service | field | before | after | support | from |',
        '| --- | --- | --- | --- | --- | --- |',
        '| ~ web | `autoscale.max` | `20` | `30` | native | scaling.yaml:18 |',
        '| + web | `autoscale.metrics[rps].target` | `(none)` | `150` | emulated | scaling.yaml:21 |',
        '| - web | `routing.affinity` | `sticky` | `(none)` | unsupported |  |',
        '',
        '- :warning: **web**: min == max: no scaling happens',
        '- :x: **bot**: cannot read bot',
        '- :no_entry: **bot**: held at one instance by readiness findings (fix them, or plan with --force)',
        '- :x: `polling-bot/grammy-long-polling` at bot: src/bot.ts:12:3: bot.start() long-polls: every replica answers every update',
        '',
      ].join('\n'),
    );
  });

  it('says so when nothing changes, and escapes pipes in cells', () => {
    const plan = aPlan();
    plan.services = [];
    plan.summary = { toChange: 0, unchanged: 2, errors: 0 };
    expect(planMarkdown(plan)).toBe('### scalectl plan\n\n**Plan: 0 to change, 2 unchanged, 0 errors.**\n\nNo changes: the live state matches scaling.yaml.\n');
    const piped = aPlan();
    piped.services[0].changes = [{ field: 'x', before: 'a|b', after: 'c', support: 'native' }];
    expect(planMarkdown(piped)).toContain('| ~ web | `x` | `"a\\|b"` | `c` | native |  |');
  });
});

describe('applyMarkdown', () => {
  it('lists each service with its status, steps and error', () => {
    const results: ServiceResult[] = [
      { service: 'web', status: 'applied', done: ['scaled 2 → 3', 'set max 30'], attempts: 1 },
      { service: 'bot', status: 'failed', done: [], error: 'connection refused', attempts: 4 },
      { service: 'api', status: 'interrupted', done: [], error: 'not started: interrupted', attempts: 0 },
    ];
    expect(applyMarkdown(results, aPlan())).toBe(
      [
        '### scalectl apply',
        '',
        '**Apply interrupted: 1 changed, 1 failed, 1 not done.**',
        '',
        '| service | where | status | done | error |',
        '| --- | --- | --- | --- | --- |',
        '| :white_check_mark: web | sim (mock web) | applied | scaled 2 → 3; set max 30 |  |',
        '| :x: bot | sim (mock bot) | failed |  | connection refused |',
        '| :pause_button: api |  | interrupted |  | not started: interrupted |',
        '',
        'Run `scalectl plan` to see what is left, then apply again.',
        '',
      ].join('\n'),
    );
    expect(applyMarkdown([], aPlan())).toContain('**Apply complete: 0 changed, 0 failed.**\n\nNothing to apply');
  });
});

describe('checkMarkdown', () => {
  it('counts severities and sorts the table most severe first', () => {
    const warning: Finding = { ...finding, severity: 'warning', ruleId: 'in-memory-state/map', file: 'a.ts', line: 1, column: 1, message: 'a Map at module level', fix: 'move it to Redis' };
    expect(checkMarkdown([warning, finding])).toBe(
      [
        '### scalectl check',
        '',
        '**1 error, 1 warning, 0 info.**',
        '',
        '| severity | rule | where | what breaks | fix |',
        '| --- | --- | --- | --- | --- |',
        '| error | `polling-bot/grammy-long-polling` | `src/bot.ts:12:3` | bot.start() long-polls: every replica answers every update | use a webhook, or keep replicas: 1 |',
        '| warning | `in-memory-state/map` | `a.ts:1:1` | a Map at module level | move it to Redis |',
        '',
      ].join('\n'),
    );
    expect(checkMarkdown([])).toBe('### scalectl check\n\n**0 errors, 0 warnings, 0 info.**\n\nNo findings: nothing found that breaks when the code runs as several replicas.\n');
  });
});

describe('appendStepSummary', () => {
  it('appends to the file GITHUB_STEP_SUMMARY names, and does nothing when unset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalectl-summary-'));
    const file = join(dir, 'step_summary');
    writeFileSync(file, 'before\n');
    appendStepSummary('# one', { GITHUB_STEP_SUMMARY: file });
    appendStepSummary('# two\n', { GITHUB_STEP_SUMMARY: file });
    expect(readFileSync(file, 'utf8')).toBe('before\n# one\n\n# two\n\n');
    appendStepSummary('# three', {});
    expect(readFileSync(file, 'utf8')).not.toContain('three');
    expect(existsSync(join(dir, 'undefined'))).toBe(false);
  });

  it('cuts a summary above 1 MB and names a path it cannot write', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalectl-summary-'));
    const file = join(dir, 'big');
    appendStepSummary(`${'x'.repeat(99)}\n`.repeat(20_000), { GITHUB_STEP_SUMMARY: file });
    const text = readFileSync(file, 'utf8');
    expect(Buffer.byteLength(text)).toBeLessThan(1_048_576);
    expect(text).toContain('_Summary cut at 1 MB; run the command locally for the rest._');
    expect(() => appendStepSummary('x', { GITHUB_STEP_SUMMARY: join(dir, 'missing/dir/file') })).toThrow(/cannot append the summary to \$GITHUB_STEP_SUMMARY \(.*missing\/dir\/file\)/);
  });
});
