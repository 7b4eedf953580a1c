// The renderers of `scalectl check`, fed by real scans of the fixture apps; SARIF is validated
// against the SARIF 2.1.0 schema by Microsoft's SARIF Multitool.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRules, scan } from '../../src/readiness/index.js';
import { makeStyle } from '../../src/output/style.js';
import { renderReadinessText } from '../../src/output/readiness-text.js';
import { renderReadinessJson } from '../../src/output/readiness-json.js';
import { escapeProperty, renderReadinessGithub } from '../../src/output/readiness-github.js';
import { renderReadinessSarif } from '../../src/output/readiness-sarif.js';
import { meetsFailOn, summaryLine, type ReadinessReport } from '../../src/output/readiness-summary.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const MULTITOOL = join(import.meta.dirname, '../../node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool');
let reports: ReadinessReport[];

beforeAll(async () => {
  reports = [];
  for (const name of ['polling-bot', 'in-memory-state', 'polling-bot-safe']) {
    const result = await scan({ root: join(FIXTURES, name) });
    reports.push({ service: name === 'polling-bot' ? 'bot' : undefined, ...result });
  }
});

const read = (root: string, file: string) => readFileSync(join(root, file), 'utf8');
const relativeToFixtures = (root: string) => root.slice(FIXTURES.length + 1);

describe('text', () => {
  it('groups by file with a code frame, the caret and the fix, and ends with the summary', () => {
    const text = renderReadinessText(reports.slice(0, 1), { style: makeStyle(false), read, displayRoot: relativeToFixtures });
    const lines = text.split('\n');
    expect(lines[0]).toBe('bot (polling-bot)');
    const at = lines.indexOf('src/bot.ts');
    expect(lines.slice(at, at + 7)).toEqual([
      'src/bot.ts',
      '  17:1  error  grammY bot `bot` long-polls Telegram with `bot.start()`: with more than one replica every replica calls getUpdates, Telegram answers 409 Conflict and updates are split, lost or repeated.  [grammy-long-polling]',
      '    16 | ',
      '  > 17 | bot.start({ onStart: (me) => console.log(`@${me.username} is polling`) });',
      '       | ^',
      '    18 | ',
      expect.stringMatching(/^ {2}fix: Serve updates by webhook/),
    ]);
    expect(lines.at(-1)).toBe('1 error, 1 warning, 0 info in 3 files (4 files scanned).'.replace('1 error', '2 errors'));
  });

  it('says so when a root has no findings', () => {
    const text = renderReadinessText(reports.slice(2), { style: makeStyle(false), read, displayRoot: relativeToFixtures });
    expect(text).toBe('  no findings (3 files scanned)\n\n0 errors, 0 warnings, 0 info in 0 files (3 files scanned).');
  });
});

describe('json', () => {
  it('carries exactly the DESIGN §4 fields per finding, per root, with counts', () => {
    const body = JSON.parse(renderReadinessJson(reports));
    expect(body.formatVersion).toBe(1);
    expect(body.summary).toEqual({ error: 3, warning: 5, info: 0 });
    expect(body.roots.map((r: { service?: string; filesScanned: number }) => [r.service, r.filesScanned])).toEqual([['bot', 4], [undefined, 3], [undefined, 3]]);
    const finding = body.roots[0].findings[1];
    expect(Object.keys(finding)).toEqual(['ruleId', 'category', 'severity', 'file', 'line', 'column', 'message', 'fix']);
    expect(finding).toMatchObject({ ruleId: 'grammy-long-polling', category: 'polling-bot', severity: 'error', file: 'src/bot.ts', line: 17, column: 1 });
  });
});

describe('github', () => {
  it('emits one workflow command per finding with escaped properties and data', () => {
    const out = renderReadinessGithub(reports, (root, file) => `${relativeToFixtures(root)}/${file}`).split('\n');
    expect(out).toHaveLength(8);
    expect(out[1]).toMatch(/^::error file=polling-bot\/src\/bot.ts,line=17,col=1,title=grammy-long-polling \(polling-bot\)::grammY bot `bot` long-polls Telegram .*%0AFix: Serve updates by webhook/);
    expect(out[2]).toMatch(/^::warning file=polling-bot\/src\/dev-or-prod.ts,line=15,col=3,/);
    expect(out.every((line) => !line.slice(2).includes('\n'))).toBe(true);
    expect(escapeProperty('a,b:c%\nd')).toBe('a%2Cb%3Ac%25%0Ad');
  });
});

describe('fail-on', () => {
  it('meets error only with errors, warning with warnings or errors, never never', () => {
    const warningsOnly: ReadinessReport[] = [{ root: '/x', filesScanned: 1, findings: reports[1].findings.filter((f) => f.severity === 'warning') }];
    expect(meetsFailOn(reports, 'error')).toBe(true);
    expect(meetsFailOn(warningsOnly, 'error')).toBe(false);
    expect(meetsFailOn(warningsOnly, 'warning')).toBe(true);
    expect(meetsFailOn(reports, 'never')).toBe(false);
    expect(summaryLine(warningsOnly)).toBe('0 errors, 4 warnings, 0 info in 2 files (1 file scanned).');
  });
});

describe('sarif', () => {
  it('is valid SARIF 2.1.0 according to the SARIF Multitool', () => {
    try {
      accessSync(MULTITOOL, constants.X_OK);
    } catch {
      throw new Error(`${MULTITOOL} is not executable (npm skipped its postinstall): run \`chmod u+x ${MULTITOOL}\``);
    }
    const sarif = renderReadinessSarif(reports, loadRules(), { version: '0.1.0', uriOf: (root, file) => `${relativeToFixtures(root)}/${file}` });
    const log = JSON.parse(sarif);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.results).toHaveLength(8);
    expect(run.results[1]).toMatchObject({
      ruleId: 'grammy-long-polling',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'polling-bot/src/bot.ts' }, region: { startLine: 17, startColumn: 1 } } }],
    });
    expect(run.tool.driver.rules[run.results[1].ruleIndex].id).toBe('grammy-long-polling');
    expect(new Set(run.results.map((r: { level: string }) => r.level))).toEqual(new Set(['error', 'warning']));

    const dir = mkdtempSync(join(tmpdir(), 'scalectl-sarif-'));
    try {
      writeFileSync(join(dir, 'check.sarif'), sarif);
      const validation = spawnSync(MULTITOOL, ['validate', join(dir, 'check.sarif'), '-o', join(dir, 'validation.sarif'), '--log', 'ForceOverwrite'], {
        encoding: 'utf8',
        env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
        timeout: 120_000,
      });
      expect(validation.status, validation.stderr + validation.stdout).toBe(0);
      // The multitool exits 0 even on schema errors; its own SARIF log lists them as results.
      const problems = JSON.parse(readFileSync(join(dir, 'validation.sarif'), 'utf8')).runs[0].results as { level?: string; ruleId: string; message: { text?: string; arguments?: string[] } }[];
      const errors = problems.filter((problem) => problem.level === 'error' || problem.ruleId.startsWith('JSON'));
      expect(errors.map((e) => `${e.ruleId}: ${e.message.arguments?.join(' | ') ?? e.message.text}`)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
