// Done-when for scalectl autoscale on Docker: Compose services on the real engine scale out and
// back in from a real Redis list, a real RabbitMQ queue and a Prometheus query; the plan shows the
// bounds as emulated and brings a count outside them inside; `events` shows every change and why.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scalectl } from '../support/cli.js';
import { dockerReady, removeLabelled, sh, TEST_IMAGE, TEST_LABEL } from '../support/docker.js';
import { publish, rabbit, redis, startPrometheus, startRabbitmq, startRedis } from '../support/servers.js';
import { eventually, gaugeServer, queueSource } from '../sources/helpers.js';

const ready = await dockerReady('scalectl autoscale on Docker Compose');
const PROJECT = 'scalectlauto';
const LABEL = `${TEST_LABEL}=autoscale`;

const compose = `version: "2.4"
services:
${['fromredis', 'fromrabbit', 'fromprom'].map((s) => `  ${s}:
    image: ${TEST_IMAGE}
    command: ["sleep", "3600"]
    network_mode: none
    labels: { ${TEST_LABEL}: autoscale }
`).join('')}`;

const service = (name: string, source: string) => `  ${name}:
    target: compose:${PROJECT}/${name}
    autoscale:
      min: 1
      max: 4
      metrics:
        - type: queue
          perInstance: 10
          source: ${source}
      behavior:
        evaluationInterval: 1s
        scaleDown: { stabilization: 0s }
`;

async function running(dir: string, name: string): Promise<number> {
  const table = await sh('docker-compose', ['-p', PROJECT, 'ps', name], { cwd: dir });
  return table.split('\n').filter((line) => / Up /.test(line)).length;
}

describe.skipIf(!ready)('scalectl autoscale drives Compose services from real Redis, RabbitMQ and Prometheus', () => {
  let dir: string;
  let env: Record<string, string>;
  let redisServer: Awaited<ReturnType<typeof startRedis>>;
  let rabbitServer: Awaited<ReturnType<typeof startRabbitmq>>;
  let prometheus: Awaited<ReturnType<typeof startPrometheus>>;
  let gauge: Awaited<ReturnType<typeof gaugeServer>>;
  const cli = (...args: string[]) => scalectl(args, { cwd: dir, env });

  beforeAll(async () => {
    await removeLabelled(LABEL);
    gauge = await gaugeServer();
    [redisServer, rabbitServer, prometheus] = await Promise.all([startRedis(), startRabbitmq(), startPrometheus([`127.0.0.1:${gauge.port}`])]);
    await rabbit(rabbitServer.management, 'PUT', '/api/queues/%2F/orders', { durable: false });
    dir = mkdtempSync(join(tmpdir(), 'scalectl-autoscale-compose-'));
    env = { JOBS_REDIS: redisServer.address, ORDERS_AMQP: `http://guest:guest@127.0.0.1:${rabbitServer.port}/` };
    writeFileSync(join(dir, 'docker-compose.yml'), compose);
    writeFileSync(
      join(dir, 'scaling.yaml'),
      `version: 1\nproviders:\n  local: { adapter: docker, stopGrace: 1s }\ndefaults:\n  provider: local\nservices:\n` +
        service('fromredis', '{ kind: redis, connection: "env:JOBS_REDIS", list: jobs }') +
        service('fromrabbit', '{ kind: rabbitmq, connection: "env:ORDERS_AMQP", queue: orders }') +
        service('fromprom', `{ kind: prometheus, serverAddress: "${prometheus.url}", query: "sum(test_queue_depth)" }`),
    );
    // The redis worker starts above max: the plan must bring it inside the bounds.
    await sh('docker-compose', ['-p', PROJECT, 'up', '-d', '--scale', 'fromredis=5', '--scale', 'fromrabbit=1', '--scale', 'fromprom=1'], { cwd: dir });
  }, 240_000);

  afterAll(async () => {
    if (dir) await sh('docker-compose', ['-p', PROJECT, 'down', '-t', '1'], { cwd: dir }).catch(() => '');
    await removeLabelled(LABEL);
    await Promise.all([redisServer?.stop(), rabbitServer?.stop(), prometheus?.stop()]);
    await new Promise((r) => (gauge ? gauge.server.close(r) : r(undefined)));
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('plan shows the bounds [emulated] by scalectl autoscale and lowers a count above max; apply makes it true', async () => {
    const plan = await cli('plan', 'fromredis');
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout).toContain('fromredis.autoscale.min: 1  [emulated] # by scalectl autoscale');
    expect(plan.stdout).toContain('fromredis.autoscale.max: 4  [emulated] # by scalectl autoscale');
    expect(plan.stdout).toMatch(/fromredis\.replicas: 5 → 4 {2}\[emulated\] # above max 4; scalectl autoscale takes it from there/);
    const apply = await cli('apply', '--yes');
    expect(apply.exitCode).toBe(0);
    expect(await running(dir, 'fromredis')).toBe(4);
    // Applied: the plan is in sync (the bounds recorded, the count inside them).
    const again = await cli('plan', '--detailed-exitcode');
    expect(again.exitCode).toBe(0);
  }, 120_000);

  it('scales each service out from its own source, then back in when the work is gone', async () => {
    await redis(redisServer.port, ['DEL', 'jobs'], ['RPUSH', 'jobs', ...Array.from({ length: 25 }, (_, i) => `j${i}`)]);
    await publish(rabbitServer.management, 'orders', 25);
    gauge.set(10); // sum over two series: 10 + 5
    // Wait until the servers report the load (RabbitMQ and Prometheus collect it every 0.5–1 s).
    expect(await eventually(() => queueSource({ kind: 'rabbitmq', connection: 'env:ORDERS_AMQP', queue: 'orders' }, env).read(), 25)).toBe(25);
    expect(await eventually(() => queueSource({ kind: 'prometheus', serverAddress: prometheus.url, query: 'sum(test_queue_depth)' }).read(), 15)).toBe(15);

    const out = await cli('autoscale', '--once');
    expect(out.stderr).toBe('');
    expect(out.exitCode).toBe(0);
    expect(out.stdout.split('\n').sort()).toEqual([
      'fromprom: 1 → 2  combine max: queue 2 → max 2',
      'fromrabbit: 1 → 3  combine max: queue 3 → max 3',
      'fromredis: 4 → 3  combine max: queue 3 → max 3',
    ]);
    expect([await running(dir, 'fromredis'), await running(dir, 'fromrabbit'), await running(dir, 'fromprom')]).toEqual([3, 3, 2]);

    await redis(redisServer.port, ['DEL', 'jobs']);
    await rabbit(rabbitServer.management, 'DELETE', '/api/queues/%2F/orders/contents');
    gauge.set(0);
    expect(await eventually(() => queueSource({ kind: 'rabbitmq', connection: 'env:ORDERS_AMQP', queue: 'orders' }, env).read(), 0)).toBe(0);
    expect(await eventually(() => queueSource({ kind: 'prometheus', serverAddress: prometheus.url, query: 'sum(test_queue_depth)' }).read(), 0)).toBe(0);

    const back = await cli('autoscale', '--once');
    expect(back.exitCode).toBe(0);
    expect(back.stdout.split('\n').sort()).toEqual([
      'fromprom: 2 → 1  min: queue 0 → max 0; min 0→1',
      'fromrabbit: 3 → 1  min: queue 0 → max 0; min 0→1',
      'fromredis: 3 → 1  min: queue 0 → max 0; min 0→1',
    ]);
    expect([await running(dir, 'fromredis'), await running(dir, 'fromrabbit'), await running(dir, 'fromprom')]).toEqual([1, 1, 1]);
  }, 180_000);

  it('events shows every change with its reason and who acted', async () => {
    const json = JSON.parse((await cli('events', '--json')).stdout) as { events: Array<{ service: string; from: number; to: number; actor: string; rule: string; metrics?: Array<{ value: number }> }> };
    const summary = json.events.map((e) => `${e.service} ${e.from}→${e.to} ${e.actor} ${e.rule} ${(e.metrics ?? []).map((m) => m.value).join(',')}`.trim());
    expect(summary).toEqual(expect.arrayContaining([
      'fromredis 5→4 apply bounds',
      'fromredis 4→3 autoscale combine max 25',
      'fromrabbit 1→3 autoscale combine max 25',
      'fromprom 1→2 autoscale combine max 15',
      'fromredis 3→1 autoscale min 0',
      'fromrabbit 3→1 autoscale min 0',
      'fromprom 2→1 autoscale min 0',
    ]));
    expect(summary).toHaveLength(7);
    const human = (await cli('events', 'fromrabbit')).stdout.split('\n');
    expect(human).toHaveLength(2);
    expect(human[0]).toMatch(/ fromrabbit {2}1 → 3 {2}autoscale {2}combine max {2}queue=25 {2}queue 3 → max 3$/);
  }, 60_000);
});
