// The example GitHub Actions workflow: the right jobs on the right events, and every scalectl
// command line in it uses commands and flags the CLI declares.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { commandTable } from '../../src/cli/completion.js';
import { buildProgram } from '../../src/cli/main.js';
import { ROOT } from '../support/cli.js';

interface Step { run?: string; uses?: string; with?: Record<string, unknown>; id?: string }
interface Job { if?: string; needs?: string; permissions?: Record<string, string>; steps: Step[]; concurrency?: { group: string } }
const workflow = parse(readFileSync(`${ROOT}/examples/ci/scaling.yml`, 'utf8')) as { on: Record<string, unknown>; jobs: Record<string, Job> };

const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');

describe('examples/ci/scaling.yml', () => {
  it('runs check with a SARIF upload on every event', () => {
    const check = workflow.jobs.check;
    expect(check.if).toBeUndefined();
    expect(check.permissions).toMatchObject({ 'security-events': 'write' });
    expect(runs(check)).toContain('scalectl check --format sarif --fail-on never > scalectl.sarif');
    expect(check.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))?.with).toMatchObject({ sarif_file: 'scalectl.sarif' });
  });

  it('plans with --detailed-exitcode on pull requests and applies with --yes on main', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request', 'push']);
    expect(workflow.jobs.plan.if).toBe("github.event_name == 'pull_request'");
    expect(runs(workflow.jobs.plan)).toContain('scalectl plan --detailed-exitcode');
    expect(workflow.jobs.apply.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(runs(workflow.jobs.apply)).toContain('scalectl apply --yes');
    expect(workflow.jobs.apply.needs).toBe('check');
    expect(workflow.jobs.apply.concurrency?.group).toBe('scalectl-apply');
  });

  it('uses only commands and flags the CLI declares', () => {
    const table = commandTable(buildProgram(async () => undefined));
    const lines = Object.values(workflow.jobs).flatMap((job) => runs(job).split('\n')).filter((line) => /^\s*scalectl /.test(line));
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) {
      const words = line.trim().split(/\s+/);
      const command = table.commands.find((c) => c.name === words[1]);
      expect(command, line).toBeDefined();
      const known = new Set([...command!.flags, ...table.globalFlags].flatMap((f) => [f.long, f.short]));
      for (const flag of words.filter((w) => w.startsWith('-'))) expect(known.has(flag), `${flag} in: ${line}`).toBe(true);
    }
  });
});
