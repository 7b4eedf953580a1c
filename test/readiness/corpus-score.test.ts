// The corpus scorer's matching rules, on small synthetic labels and findings of our own.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { categoriesIn, labelSites, markdownTable, scoreRepo, summarize, validateLabels, type Label, type ScoredFinding } from '../../scripts/readiness-corpus-score.mjs';

const CATEGORIES = categoriesIn(new URL('../../rules', import.meta.url).pathname);

const f = (category: string, severity: ScoredFinding['severity'], file: string, line: number): ScoredFinding => ({ category, severity, file, line });

describe('labelSites', () => {
  it('accepts the declaration line, related lines of the same file and path:line sites elsewhere', () => {
    const label: Label = { category: 'in-memory-state', severity: 'warning', file: 'a.js', line: 3, related: [9, 'b.js:4'] };
    expect([...labelSites(label)].sort()).toEqual(['a.js:3', 'a.js:9', 'b.js:4']);
  });
});

describe('scoreRepo', () => {
  const labels: Label[] = [
    { category: 'in-memory-state', severity: 'warning', file: 'bot.js', line: 2, related: [10, 14] },
    { category: 'polling-bot', severity: 'error', file: 'bot.js', line: 20 },
    { category: 'in-process-scheduler', severity: 'warning', file: 'jobs.js', line: 5 },
    { category: 'local-disk-state', severity: 'none', file: 'upload.js', line: 7, note: 'staged upload' },
  ];

  it('matches same file and category at the declaration or a write site; a second finding on one label is a duplicate', () => {
    const score = scoreRepo(labels, [f('in-memory-state', 'warning', 'bot.js', 10), f('in-memory-state', 'warning', 'bot.js', 14), f('polling-bot', 'error', 'bot.js', 20)]);
    expect(score.findings.map((r) => r.verdict)).toEqual(['true', 'duplicate', 'true']);
    expect(score.labels.map((l) => l.status)).toEqual(['found', 'found', 'missed', 'not-counted']);
  });

  it('does not match across categories, files or lines outside the label', () => {
    const score = scoreRepo(labels, [f('local-disk-state', 'warning', 'bot.js', 2), f('in-memory-state', 'warning', 'other.js', 2), f('in-memory-state', 'warning', 'bot.js', 11)]);
    expect(score.findings.map((r) => r.verdict)).toEqual(['false', 'false', 'false']);
    expect(score.labels[0].status).toBe('missed');
  });

  it('counts a finding on a rejected (`none`) label as false, and a false error as such', () => {
    const score = scoreRepo(labels, [f('local-disk-state', 'error', 'upload.js', 7)]);
    expect(score.findings[0]).toMatchObject({ verdict: 'false', falseError: true });
  });

  it('leaves info findings out of precision and reports a label found only at info as found too low', () => {
    const score = scoreRepo(labels, [f('in-process-scheduler', 'info', 'jobs.js', 5)]);
    expect(score.findings[0].verdict).toBe('info');
    expect(score.labels[2]).toMatchObject({ status: 'found-too-low', severity: 'info' });
  });

  it('flags an error finding on a label expected at warning as a false error but still a true match', () => {
    const score = scoreRepo(labels, [f('in-memory-state', 'error', 'bot.js', 2)]);
    expect(score.findings[0]).toMatchObject({ verdict: 'true', falseError: true });
  });
});

describe('summarize', () => {
  it('computes recall over warning/error labels and precision over warning/error findings, per category and overall', () => {
    const labels: Label[] = [
      { category: 'polling-bot', severity: 'error', file: 'a.py', line: 1 },
      { category: 'polling-bot', severity: 'error', file: 'b.py', line: 1 },
      { category: 'websocket-fanout', severity: 'error', file: 'ws.js', line: 3 },
    ];
    const summary = summarize([scoreRepo(labels, [f('polling-bot', 'error', 'a.py', 1), f('websocket-fanout', 'error', 'ws.js', 3), f('websocket-fanout', 'warning', 'other.js', 1)])], CATEGORIES);
    expect(summary.categories['polling-bot']).toMatchObject({ expected: 2, found: 1, recall: 0.5, precision: 1 });
    expect(summary.categories['websocket-fanout']).toMatchObject({ expected: 1, found: 1, truePositives: 1, falsePositives: 1, precision: 0.5 });
    expect(summary.categories['session-race'].recall).toBeUndefined();
    expect(summary.overall).toMatchObject({ expected: 3, found: 2, truePositives: 2, falsePositives: 1 });
    expect(markdownTable(summary)).toContain('| polling-bot | 2 | 1 | 0.50 | 1 | 0 | 1.00 | 0 | 0 | 0 |');
  });
});

describe('validateLabels', () => {
  it('accepts the labels kept in the repository', () => {
    const doc = JSON.parse(readFileSync(new URL('corpus/labels.json', import.meta.url), 'utf8'));
    expect(validateLabels(doc, CATEGORIES)).toEqual([]);
    expect(doc.repos.length).toBeGreaterThanOrEqual(30);
  });

  it('names each problem with its place', () => {
    expect(CATEGORIES).toHaveLength(7);
    const problems = validateLabels({ repos: [{ repo: 'x', commit: 'abc', labels: [{ category: 'cache', severity: 'bad', file: '/abs', line: 0, related: ['nope'] }] }] }, CATEGORIES);
    expect(problems).toEqual([
      'repos[0] (x): repo must be "owner/name"',
      'repos[0] (x): commit must be 40 hex digits',
      `repos[0] (x).labels[0]: unknown category "cache" (one of ${CATEGORIES.join(', ')})`,
      'repos[0] (x).labels[0]: severity must be one of error, warning, info, none',
      'repos[0] (x).labels[0]: file must be a path relative to the repository',
      'repos[0] (x).labels[0]: line must be a positive integer',
      'repos[0] (x).labels[0]: related entries are line numbers or "path:line"',
    ]);
  });
});

describe('scripts/readiness-corpus.mjs (built checker)', () => {
  it('scores the checkouts present and names the ones missing', async () => {
    const { mkdtempSync, mkdirSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { execa } = await import('execa');
    const base = mkdtempSync(join(tmpdir(), 'scalectl-corpus-'));
    try {
      mkdirSync(join(base, 'checkouts', 'ours+bot'), { recursive: true });
      writeFileSync(join(base, 'checkouts', 'ours+bot', 'bot.js'), "import { Bot } from 'grammy';\nconst bot = new Bot(process.env.TOKEN);\nbot.start();\n");
      const labels = {
        repos: [
          { repo: 'ours/bot', commit: 'a'.repeat(40), labels: [{ category: 'polling-bot', severity: 'error', file: 'bot.js', line: 3, related: [2] }] },
          { repo: 'ours/absent', commit: 'b'.repeat(40), labels: [{ category: 'websocket-fanout', severity: 'error', file: 'ws.js', line: 1 }] },
        ],
      };
      writeFileSync(join(base, 'labels.json'), JSON.stringify(labels));
      const script = new URL('../../scripts/readiness-corpus.mjs', import.meta.url).pathname;
      const text = await execa(process.execPath, [script, join(base, 'checkouts'), '--labels', join(base, 'labels.json')]);
      expect(text.stdout).toContain('1 of 2 labelled repositories scored');
      expect(text.stdout).toContain(`ours/absent @ ${'b'.repeat(40)} -> expected at ${join(base, 'checkouts', 'ours+absent')}`);
      expect(text.stdout).toContain('| polling-bot | 1 | 1 | 1.00 | 1 | 0 | 1.00 | 0 | 0 | 0 |');
      const json = JSON.parse((await execa(process.execPath, [script, join(base, 'checkouts'), '--labels', join(base, 'labels.json'), '--json'])).stdout);
      expect(json).toMatchObject({ scored: 1, missing: ['ours/absent'] });
      expect(json.summary.categories['polling-bot']).toMatchObject({ recall: 1, precision: 1 });
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
