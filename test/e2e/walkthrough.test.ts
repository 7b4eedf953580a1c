// Regressions from walking the README as a user: saved plans, quiet failures, targets checked
// offline, file errors, YAML syntax hints, check --json.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { project, scalectl } from '../support/cli.js';

describe('saved plans', () => {
  it('apply plan.json needs no --yes (it was reviewed) and works from another folder', async () => {
    const dir = project();
    expect((await scalectl(['plan', '--out', 'plan.json'], { cwd: dir })).exitCode).toBe(0);
    const elsewhere = mkdtempSync(join(tmpdir(), 'scalectl-elsewhere-'));
    const applied = await scalectl(['apply', join(dir, 'plan.json')], { cwd: elsewhere });
    expect(applied.exitCode).toBe(0);
    expect(applied.stderr).toContain('Apply complete: 5 changed, 0 failed.');
    expect((await scalectl(['plan', '--detailed-exitcode'], { cwd: dir })).exitCode).toBe(0);
  });

  it('apply scaling.yaml is pointed at -f', async () => {
    const dir = project();
    const result = await scalectl(['apply', 'scaling.yaml'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('error: apply takes a saved plan (*.json) or service names, not "scaling.yaml"; to use another scaling.yaml pass -f scaling.yaml');
  });
});

describe('quiet and failing', () => {
  it('apply -q still shows a plan that has errors', async () => {
    const dir = project();
    const file = join(dir, 'scaling.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  bot:\n    replicas: 1', '  bot:\n    replicas: 3'));
    const result = await scalectl(['apply', '--yes', '-q', 'bot'], { cwd: dir });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('error: readiness: 1 error finding(s) make more than one instance unsafe');
    expect(result.stderr).toContain('Nothing was applied: the plan has errors (see above).');
  });
});

describe('validate, offline', () => {
  it('checks each target in its adapter\'s syntax at file:line:col', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalectl-targets-'));
    writeFileSync(
      join(dir, 'scaling.yaml'),
      'version: 1\nproviders:\n  box: { adapter: docker }\n  k8s: { adapter: kubernetes, kubeconfig: ./missing }\nservices:\n  web:\n    provider: box\n    target: compose:web\n    replicas: 2\n  api:\n    provider: k8s\n    replicas: 2\n',
    );
    const result = await scalectl(['validate'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.split('\n')).toEqual([
      'scaling.yaml:8:13: error: services.web.target: target "compose:web" is not a Docker target; expected "compose:shop/web", "service/web" (Swarm) or "container/worker" (scalectl-managed replicas)',
      'scaling.yaml:11:5: error: services.api.target: target "api" is not a Kubernetes target: expected deployment/<name>, statefulset/<name> or ksvc/<name>, e.g. deployment/web',
      '  add target: to services.api (the default is the service name)',
      '2 errors.',
    ]);
  });

  it('a syntax error from an unquoted ${VAR} in { } says to quote it, and the cascade is cut', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalectl-flow-'));
    writeFileSync(join(dir, 'scaling.yaml'), 'version: 1\nservices:\n  web:\n    autoscale: { min: 1, max: ${MAX:-10} }\n    traffic: { requestTimeout: ${T:-30s}, queueTimeout: ${Q:-5s} }\n');
    const result = await scalectl(['validate'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    const lines = result.stderr.split('\n');
    expect(lines[0]).toMatch(/^scaling\.yaml:4:\d+: error: /);
    expect(lines[1]).toBe('  quote ${…} inside a { … } mapping: max: "${MAX:-10}"');
    expect(lines.filter((l) => l.includes(': error: '))).toHaveLength(3);
    expect(result.stderr).toMatch(/\d+ more syntax errors follow from these: fix the first and validate again/);
  });
});

describe('files the user names', () => {
  it('a path that cannot be written is one clear line, not an internal error', async () => {
    const dir = project();
    const out = await scalectl(['plan', '--out', '/nonexistent/plan.json'], { cwd: dir });
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toContain("error: --out: cannot write the plan to /nonexistent/plan.json: ENOENT: no such file or directory, open '/nonexistent/plan.json'");
    const html = await scalectl(['simulate', 'web', '--load', 'rps=steps(10)', '--duration', '1m', '--html', '/nonexistent/dir/r.html'], { cwd: dir });
    expect(html.exitCode).toBe(1);
    expect(html.stderr).toContain('error: cannot open /nonexistent/dir/r.html: no such file or folder');
    expect(html.stderr).not.toContain('internal error');
    const compare = await scalectl(['simulate', 'web', '--load', 'rps=steps(10)', '--compare', 'nope.yaml'], { cwd: dir });
    expect(compare.stderr).toBe('note: scaling.yaml defines environments (staging, prod); using the base. Choose one with --env <name> or SCALECTL_ENV.\nerror: --compare: no such file: nope.yaml (give another scaling.yaml to simulate side by side)');
  });
});

describe('check', () => {
  it('the global --json means --format json', async () => {
    const dir = project();
    const result = await scalectl(['check', '--json', '--fail-on', 'never'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).summary).toEqual({ error: 0, warning: 0, info: 1 }); // the bot is kept at one instance
  });
});

describe('plan --emit', () => {
  it('writes what the manifests express, and refuses (exit 1) a service with fields they cannot, naming them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scalectl-emit-'));
    writeFileSync(
      join(dir, 'scaling.yaml'),
      [
        'version: 1',
        'providers:',
        '  prod: { adapter: kubernetes, context: prod, namespace: shop }',
        'services:',
        '  api:',
        '    provider: prod',
        '    target: deployment/api',
        '    autoscale: { min: 2, max: 20, metrics: [{ type: cpu, utilization: 60 }] }',
        '  jobs:',
        '    provider: prod',
        '    target: deployment/jobs',
        '    autoscale:',
        '      min: 1',
        '      max: 5',
        '      behavior: { flapping: guard }',
        '',
      ].join('\n'),
    );
    const result = await scalectl(['plan', '--emit', 'out'], { cwd: dir });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`wrote ${join(dir, 'out/api-hpa.yaml')}`);
    expect(result.stderr).toContain('error: jobs.autoscale.behavior.flapping cannot be expressed in the manifests (scaling.yaml:15)');
    expect(result.stderr).toContain('  jobs: nothing written; run scalectl plan jobs for the alternatives');
    expect(readFileSync(join(dir, 'out/api-hpa.yaml'), 'utf8')).toContain('kind: HorizontalPodAutoscaler');
  });
});
