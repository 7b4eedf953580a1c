// Credentials in URLs and values from secret-named environment variables never reach the
// screen, a saved plan, a step summary or the mock cloud's state; saved plans and the state are
// 0600; the plan still converges, and a changed password is still a change.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scalectl } from '../support/cli.js';

const SECRETS = ['S3cretPw', 'EnvSecret99', 'KubePw77'];

// A scaling.yaml with one queue-scaled worker reading `source`.
const queueWorker = (source: string) => `version: 1
services:
  worker:
    autoscale:
      min: 1
      max: 5
      metrics:
        - type: queue
          source: ${source}
          perInstance: 10
`;

describe('secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scalectl-secrets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'scaling.yaml'), queueWorker('{ kind: rabbitmq, url: "amqp://app:S3cretPw@localhost:5672/", password: "${RABBIT_PASSWORD}" }'));
  const env = { RABBIT_PASSWORD: 'EnvSecret99', GITHUB_STEP_SUMMARY: join(dir, 'summary.md') };
  writeFileSync(env.GITHUB_STEP_SUMMARY, '');
  const clean = (text: unknown) => {
    for (const secret of SECRETS) expect(String(text)).not.toContain(secret);
  };

  it('plan, saved plan, apply, show, -v and the summary are redacted; state and plan files are 0600', async () => {
    const plan = await scalectl(['plan', '-v', '--summary', '--out', 'plan.json'], { cwd: dir, env });
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout).toContain('url: "amqp://app:***@localhost:5672/", password: "***"');
    clean(plan.stdout + plan.stderr);
    clean(readFileSync(join(dir, 'plan.json'), 'utf8'));
    expect(statSync(join(dir, 'plan.json')).mode & 0o777).toBe(0o600);

    const json = await scalectl(['plan', '--json'], { cwd: dir, env });
    expect(JSON.parse(String(json.stdout)).services[0].changes.find((c: { field: string }) => c.field === 'autoscale.metrics[queue].source').after)
      .toEqual({ kind: 'rabbitmq', url: 'amqp://app:***@localhost:5672/', password: '***' });

    const apply = await scalectl(['apply', 'plan.json', '-v', '--json', '--summary'], { cwd: dir, env });
    expect(apply.exitCode).toBe(0);
    clean(apply.stdout + apply.stderr);
    const state = readFileSync(join(dir, '.scalectl/mock-cloud.json'), 'utf8');
    clean(state);
    expect(state).toMatch(/amqp:\/\/app:sealed-[0-9a-f]{12}@localhost/);
    expect(statSync(join(dir, '.scalectl/mock-cloud.json')).mode & 0o777).toBe(0o600);

    for (const args of [['show'], ['show', '--json', '-v']]) {
      const show = await scalectl(args, { cwd: dir, env });
      expect(show.exitCode).toBe(0);
      clean(show.stdout + show.stderr);
    }
    const drift = JSON.parse(String((await scalectl(['show', '--json'], { cwd: dir, env })).stdout)).services[0].drift;
    expect(drift).toEqual([]);
    clean(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8'));

    expect((await scalectl(['plan', '--detailed-exitcode'], { cwd: dir, env })).exitCode).toBe(0);
    const changed = await scalectl(['plan', '--detailed-exitcode'], { cwd: dir, env: { ...env, RABBIT_PASSWORD: 'Another123' } });
    expect(changed.exitCode).toBe(2);
    clean(changed.stdout);
    expect(changed.stdout).not.toContain('Another123');
    expect(changed.stdout).toContain('a secret changed (shown as ***)');
  });

  it('a credential written into scaling.yaml under a secret-named key is redacted too', async () => {
    const literal = join(dir, 'literal');
    mkdirSync(literal);
    writeFileSync(join(literal, 'scaling.yaml'), queueWorker('{ kind: redis, url: "redis://localhost:6379", list: jobs, password: "LiteralPw42", authToken: "tok-98765432" }'));
    for (const args of [['plan', '-v'], ['plan', '--json'], ['validate']]) {
      const run = await scalectl(args, { cwd: literal });
      expect(run.exitCode, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      expect(String(run.stdout) + String(run.stderr)).not.toMatch(/LiteralPw42|98765432/);
    }
    const plan = await scalectl(['plan', '--json'], { cwd: literal });
    expect(JSON.parse(String(plan.stdout)).services[0].changes.find((c: { field: string }) => c.field === 'autoscale.metrics[queue].source').after).toMatchObject({ kind: 'redis', list: 'jobs', password: '***', authToken: '***' });
  });

  it('--json output stays valid JSON when a secret is a number or holds a quote', async () => {
    const numeric = join(dir, 'numeric');
    mkdirSync(numeric);
    // perInstance 12345 holds the numeric secret 1234; a secret with a quote is escaped in JSON
    writeFileSync(join(numeric, 'scaling.yaml'), queueWorker('{ kind: rabbitmq, url: "amqp://localhost:5672/", password: "${RABBIT_PASSWORD}", token: "${QUEUE_TOKEN}" }').replace('perInstance: 10', 'perInstance: 12345'));
    const secrets = { RABBIT_PASSWORD: '1234', QUEUE_TOKEN: 'ab"cd\\ef' };
    for (const args of [['plan', '--json'], ['validate', '--json'], ['plan', '--json', '--out', 'plan.json'], ['apply', '--json', '--yes'], ['show', '--json']]) {
      const run = await scalectl(args, { cwd: numeric, env: secrets });
      expect(run.exitCode, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      const body = JSON.parse(String(run.stdout));
      expect(JSON.stringify(body)).not.toMatch(/1234(?!5)|ab\\"cd/);
    }
    const plan = JSON.parse(String((await scalectl(['plan', '--json'], { cwd: numeric, env: { ...secrets, RABBIT_PASSWORD: 'Other999' } })).stdout));
    expect(JSON.stringify(plan)).not.toContain('Other999');
    const saved = JSON.parse(readFileSync(join(numeric, 'plan.json'), 'utf8'));
    expect(JSON.stringify(saved)).toContain('12345');
    expect(JSON.stringify(saved)).not.toMatch(/1234(?!5)|ab\\"cd/);
  });

  it('a kubeconfig server URL with user:password is redacted in -v lines and errors', async () => {
    const k = join(dir, 'k');
    mkdirSync(k);
    writeFileSync(
      join(k, 'kubeconfig'),
      'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: { server: "https://admin:KubePw77@127.0.0.1:1" }\nusers:\n- name: u\n  user: { token: abc }\ncontexts:\n- name: x\n  context: { cluster: c, user: u }\ncurrent-context: x\n',
    );
    writeFileSync(join(k, 'scaling.yaml'), 'version: 1\nproviders:\n  k8s: { adapter: kubernetes, kubeconfig: ./kubeconfig, timeout: 2s }\nservices:\n  web:\n    provider: k8s\n    target: deployment/web\n    replicas: 2\n');
    const plan = await scalectl(['plan', '-v'], { cwd: k });
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout + plan.stderr).toContain('https://admin:***@127.0.0.1:1');
    clean(plan.stdout + plan.stderr);
    const json = await scalectl(['plan', '--json'], { cwd: k });
    clean(json.stdout + json.stderr);
  });
});

describe('redact', () => {
  it('hides any URL userinfo and keeps the rest', async () => {
    const { redact } = await import('../../src/util/redact.js');
    expect(redact('amqp://app:pw@h:5672/v and redis://:pw2@r:6379 and https://TOKEN123@git.example/x and http://host/p@q')).toBe(
      'amqp://app:***@h:5672/v and redis://:***@r:6379 and https://***@git.example/x and http://host/p@q',
    );
  });
});
