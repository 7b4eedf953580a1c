// RabbitMQ queue length against a real rabbitmq-server with the management plugin: ready vs
// ready + unacked (KEDA's excludeUnacknowledged), over HTTP and over AMQP, credentials only
// from the environment.
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publish, rabbit, startRabbitmq, type RunningServer } from '../support/servers.js';
import { eventually, failure, queueSource } from './helpers.js';

describe('rabbitmq source (real rabbitmq-server)', () => {
  let server: RunningServer & { management: string; amqpPort: number };
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    server = await startRabbitmq();
    env = { RABBIT_HTTP: `http://guest:guest@127.0.0.1:${server.port}/`, RABBIT_AMQP: `amqp://guest:guest@127.0.0.1:${server.amqpPort}` };
    await rabbit(server.management, 'PUT', '/api/queues/%2F/orders', { durable: false });
  }, 180_000);
  afterAll(async () => server?.stop(), 60_000);

  it('counts ready + unacked by default and ready only with excludeUnacknowledged, over HTTP', async () => {
    await publish(server.management, 'orders', 5);
    const total = queueSource({ kind: 'rabbitmq', connection: 'env:RABBIT_HTTP', queue: 'orders' }, env);
    const ready = queueSource({ kind: 'rabbitmq', hostFromEnv: 'RABBIT_HTTP', queueName: 'orders', excludeUnacknowledged: true }, env);
    expect(total.describe).toBe(`rabbitmq queue orders (ready + unacked messages) at 127.0.0.1:${server.port}`);
    expect(await eventually(() => total.read(), 5)).toBe(5);
    // A consumer takes two without acking them: still in the queue's length, no longer ready.
    const connection = await amqp.connect(env.RABBIT_AMQP!);
    try {
      const channel = await connection.createChannel();
      await channel.prefetch(2);
      await channel.consume('orders', () => undefined, { noAck: false });
      expect(await eventually(() => ready.read(), 3)).toBe(3);
      expect(await total.read()).toBe(5);
      // Over AMQP (a passive declare) RabbitMQ reports ready messages only, as KEDA's amqp protocol.
      const overAmqp = queueSource({ kind: 'rabbitmq', connection: 'env:RABBIT_AMQP', queue: 'orders' }, env);
      expect(overAmqp.describe).toBe(`rabbitmq queue orders (ready messages, AMQP) at 127.0.0.1:${server.amqpPort}`);
      expect(await overAmqp.read()).toBe(3);
    } finally {
      await connection.close();
    }
    await rabbit(server.management, 'DELETE', '/api/queues/%2F/orders/contents');
    expect(await eventually(() => total.read(), 0)).toBe(0);
  }, 60_000);

  it('names the queue and the host when something is wrong, never the password', async () => {
    const missing = await failure(queueSource({ kind: 'rabbitmq', connection: 'env:RABBIT_HTTP', queue: 'absent' }, env));
    expect(missing).toBe(`SourceError: rabbitmq queue absent (ready + unacked messages) at 127.0.0.1:${server.port}: no queue absent in vhost /`);
    const missingAmqp = await failure(queueSource({ kind: 'rabbitmq', connection: 'env:RABBIT_AMQP', queue: 'absent' }, env));
    expect(missingAmqp).toBe(`SourceError: rabbitmq queue absent (ready messages, AMQP) at 127.0.0.1:${server.amqpPort}: no queue absent`);
    const badEnv = { RABBIT_HTTP: `http://guest:wrong-secret@127.0.0.1:${server.port}/` };
    const denied = await failure(queueSource({ kind: 'rabbitmq', connection: 'env:RABBIT_HTTP', queue: 'orders' }, badEnv));
    expect(denied).toMatch(/answered HTTP 401 \(credentials missing or wrong/);
    expect(denied).not.toContain('wrong-secret');
    expect(() => queueSource({ kind: 'rabbitmq', host: `http://guest:guest@127.0.0.1:${server.port}/`, queueName: 'orders' })).toThrow(/source.host holds a password/);
  }, 60_000);
});
