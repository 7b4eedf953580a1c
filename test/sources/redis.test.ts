// Redis sources against a real redis-server: list length, stream consumer-group lag, the
// password from the environment only, and failures that name the source.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redis, startRedis, freePort, type RunningServer } from '../support/servers.js';
import { failure, queueSource } from './helpers.js';

describe('redis sources (real redis-server)', () => {
  let server: RunningServer & { address: string };
  beforeAll(async () => {
    server = await startRedis();
  }, 30_000);
  afterAll(async () => server?.stop());

  it('reads a list length with the KEDA keys and the short ones', async () => {
    await redis(server.port, ['DEL', 'jobs'], ['RPUSH', 'jobs', 'a', 'b', 'c']);
    expect(await queueSource({ kind: 'redis', address: server.address, listName: 'jobs' }).read()).toBe(3);
    expect(await queueSource({ kind: 'redis', connection: server.address, list: 'jobs' }).read()).toBe(3);
    await redis(server.port, ['LPOP', 'jobs']);
    expect(await queueSource({ kind: 'redis', address: server.address, listName: 'jobs' }).read()).toBe(2);
    // A missing list is empty, as LLEN says.
    expect(await queueSource({ kind: 'redis', address: server.address, listName: 'nothing-here' }).read()).toBe(0);
  });

  it('reads the address from the environment (addressFromEnv / connection: env:NAME) and another database', async () => {
    await redis(server.port, ['SELECT', '3'], ['DEL', 'q'], ['RPUSH', 'q', 'x']);
    const env = { REDIS_ADDR: server.address };
    expect(await queueSource({ kind: 'redis', connection: 'env:REDIS_ADDR', list: 'q', database: 3 }, env).read()).toBe(1);
    expect(await queueSource({ kind: 'redis', addressFromEnv: 'REDIS_ADDR', listName: 'q', databaseIndex: '0' }, env).read()).toBe(0);
  });

  it('reads a consumer group lag, and the stream length without a group', async () => {
    await redis(server.port, ['DEL', 'events'], ['XGROUP', 'CREATE', 'events', 'workers', '$', 'MKSTREAM']);
    await redis(server.port, ['XADD', 'events', '*', 'n', '1'], ['XADD', 'events', '*', 'n', '2'], ['XADD', 'events', '*', 'n', '3']);
    const lag = queueSource({ kind: 'redis-streams', address: server.address, stream: 'events', consumerGroup: 'workers' });
    expect(lag.describe).toBe(`redis stream events group workers lag at ${server.address}`);
    expect(await lag.read()).toBe(3);
    // A consumer takes two: the lag drops to 1 (they are pending, not lagging).
    await redis(server.port, ['XREADGROUP', 'GROUP', 'workers', 'c1', 'COUNT', '2', 'STREAMS', 'events', '>']);
    expect(await lag.read()).toBe(1);
    expect(await queueSource({ kind: 'redis-streams', address: server.address, stream: 'events' }).read()).toBe(3);
    expect(await failure(queueSource({ kind: 'redis-streams', address: server.address, stream: 'events', consumerGroup: 'nobody' }))).toBe(
      `SourceError: redis stream events group nobody lag at ${server.address}: no consumer group nobody on stream events`,
    );
    expect(await failure(queueSource({ kind: 'redis-streams', address: server.address, stream: 'absent', consumerGroup: 'workers' }))).toMatch(/no stream absent/);
  });

  it('takes the password from the environment only and never prints it', async () => {
    await redis(server.port, ['CONFIG', 'SET', 'requirepass', 's3cret-pw']);
    try {
      const denied = await failure(queueSource({ kind: 'redis', address: server.address, listName: 'jobs' }));
      expect(denied).toMatch(/^SourceError: redis list jobs at 127\.0\.0\.1:\d+: Redis answered NOAUTH/);
      expect(await queueSource({ kind: 'redis', address: server.address, listName: 'jobs', passwordFromEnv: 'REDIS_PW' }, { REDIS_PW: 's3cret-pw' }).read()).toBe(2);
      const wrong = await failure(queueSource({ kind: 'redis', address: server.address, listName: 'jobs', passwordFromEnv: 'REDIS_PW' }, { REDIS_PW: 'nope-nope' }));
      expect(wrong).toMatch(/WRONGPASS|invalid password/);
      expect(wrong).not.toContain('nope-nope');
      expect(() => queueSource({ kind: 'redis', address: server.address, listName: 'jobs', passwordFromEnv: 'REDIS_PW' })).toThrow(
        'redis source passwordFromEnv: the environment variable REDIS_PW is not set',
      );
      // A password written in the file is refused before anything is sent.
      expect(() => queueSource({ kind: 'redis', address: `redis://:s3cret-pw@${server.address}`, listName: 'jobs' })).toThrow(/holds a password; credentials never go in scaling.yaml/);
    } finally {
      await redis(server.port, ['AUTH', 's3cret-pw'], ['CONFIG', 'SET', 'requirepass', '']);
    }
  });

  it('names the source when nothing listens', async () => {
    const port = await freePort();
    expect(await failure(queueSource({ kind: 'redis', address: `127.0.0.1:${port}`, listName: 'jobs' }))).toBe(
      `SourceError: redis list jobs at 127.0.0.1:${port}: connection refused`,
    );
  });
});
