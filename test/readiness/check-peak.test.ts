// `scalectl check` honours scaling.yaml: a service that never runs more than one instance does
// not fail on findings that only break replication (they are shown as info, saying why); a
// folder scan without scaling.yaml is unchanged. The shipped CI example passes on the shipped shop.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { atPeak, REPLICATION_ONLY } from '../../src/cli/check.js';
import type { Finding } from '../../src/plan/types.js';
import { ROOT, project, scalectl } from '../support/cli.js';

const finding = (category: string, severity: Finding['severity']): Finding => ({ ruleId: `r-${category}`, category, severity, file: 'a.ts', line: 1, column: 1, message: 'it breaks.', fix: 'fix it.' }) as Finding;

describe('atPeak', () => {
  it('turns replication-only findings into info at a peak of one (or zero) instances and leaves the rest', () => {
    const all = ['polling-bot', 'in-memory-state', 'local-disk-state', 'in-process-scheduler', 'websocket-fanout', 'session-race', 'no-graceful-shutdown'].map((c) => finding(c, 'error'));
    for (const peak of [0, 1]) {
      const out = atPeak(all, 'bot', peak);
      expect(out.map((f) => [f.category, f.severity])).toEqual(all.map((f) => [f.category, REPLICATION_ONLY.has(f.category) ? 'info' : 'error']));
      expect(out[0].message).toBe(`Fine at 1 instance (service "bot" runs at most ${peak} in scaling.yaml); with more: it breaks.`);
    }
    expect(atPeak(all, 'bot', 2)).toEqual(all);
  });
});

const BOT = "import { Bot } from 'grammy';\nconst bot = new Bot(process.env.TOKEN!);\nbot.command('start', (ctx) => ctx.reply('hi'));\nbot.start();\n";

function botProject(scaling: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-peak-'));
  mkdirSync(join(dir, 'bot'));
  writeFileSync(join(dir, 'bot', 'bot.ts'), BOT);
  writeFileSync(join(dir, 'scaling.yaml'), scaling);
  return dir;
}

const config = (scaling: string) => `version: 1\nproviders:\n  sim: { adapter: mock }\ndefaults:\n  provider: sim\nservices:\n  bot:\n    source: ./bot\n${scaling}`;

describe('scalectl check with scaling.yaml (built CLI)', () => {
  it('runs the shipped CI workflow check steps on the shipped example: both pass', async () => {
    const workflow = parse(readFileSync(join(ROOT, 'examples/ci/scaling.yml'), 'utf8')) as { jobs: { check: { steps: Array<{ run?: string }> } } };
    const steps = workflow.jobs.check.steps.map((step) => step.run).filter((run): run is string => run !== undefined && run.startsWith('scalectl check'));
    expect(steps).toHaveLength(2);
    const dir = project();
    try {
      const summary = join(dir, 'summary.md');
      for (const step of steps) {
        const [command, redirect] = step.split(' > ');
        const result = await scalectl(command.split(' ').slice(1), { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary, GITHUB_ACTIONS: 'true' } });
        // The shop defines environments and the workflow names none: the base is used, said once.
        const stderr = result.stderr.replace(/^note: scaling\.yaml defines environments \(.*\); using the base\..*$/m, '').trim();
        expect({ step, exitCode: result.exitCode, stderr }).toEqual({ step, exitCode: 0, stderr: '' });
        if (redirect) expect(JSON.parse(result.stdout).runs[0].results[0]).toMatchObject({ ruleId: 'grammy-long-polling', level: 'note' });
        else expect(result.stdout).toContain('::notice file=services/bot/bot.ts,line=16');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a service kept at one instance by autoscale max 1 passes; max 2 fails; session-race and shutdown findings keep their severity', async () => {
    const one = botProject(config('    autoscale: { min: 1, max: 1, metrics: [{ type: cpu, utilization: 70 }] }\n'));
    const two = botProject(config('    autoscale: { min: 1, max: 2, metrics: [{ type: cpu, utilization: 70 }] }\n'));
    try {
      const atOne = await scalectl(['check', '--format', 'json'], { cwd: one });
      expect(atOne.exitCode).toBe(0);
      const findings = JSON.parse(atOne.stdout).roots[0].findings as Finding[];
      expect(findings.map((f) => [f.category, f.severity])).toEqual([
        ['polling-bot', 'info'],
        ['no-graceful-shutdown', 'warning'],
      ]);
      expect((await scalectl(['check', '--fail-on', 'warning'], { cwd: one })).exitCode).toBe(3);
      const atTwo = await scalectl(['check', '--format', 'json'], { cwd: two });
      expect(atTwo.exitCode).toBe(3);
      expect((JSON.parse(atTwo.stdout).roots[0].findings as Finding[]).find((f) => f.category === 'polling-bot')?.severity).toBe('error');
      // a path that is the service's source is judged by that service's peak too
      expect((await scalectl(['check', 'bot'], { cwd: one })).exitCode).toBe(0);
    } finally {
      rmSync(one, { recursive: true, force: true });
      rmSync(two, { recursive: true, force: true });
    }
  });

  it('a folder scan without scaling.yaml is unchanged: the polling bot is an error (exit 3)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalectl-peak-'));
    try {
      writeFileSync(join(dir, 'bot.ts'), BOT);
      const result = await scalectl(['check', '--format', 'json'], { cwd: dir });
      expect(result.exitCode).toBe(3);
      const f = (JSON.parse(result.stdout).roots[0].findings as Finding[]).find((x) => x.category === 'polling-bot');
      expect(f).toMatchObject({ severity: 'error' });
      expect(f?.message).not.toContain('Fine at 1 instance');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
