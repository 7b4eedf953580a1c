// The escape hatches: an HTTP endpoint (KEDA metrics-api keys) and a command printing a number.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/servers.js';
import { failure, queueSource } from './helpers.js';

describe('metrics-api and command sources', () => {
  let server: Server;
  let base: string;
  let dir: string;
  const seen: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scalectl-command-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization ?? ''}`);
      if (req.url === '/plain') res.end('42\n');
      else if (req.url === '/json') res.end(JSON.stringify({ queue: { depth: 17, name: 'x' }, workers: [{ load: 0.5 }] }));
      else if (req.url === '/secret') {
        res.statusCode = req.headers.authorization === `Basic ${Buffer.from('u:pw-xyz').toString('base64')}` ? 200 : 401;
        res.end('5');
      } else {
        res.statusCode = 503;
        res.end('down');
      }
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a plain number, or a value at valueLocation in JSON', async () => {
    expect(await queueSource({ kind: 'metrics-api', url: `${base}/plain` }).read()).toBe(42);
    expect(await queueSource({ kind: 'metrics-api', url: `${base}/json`, valueLocation: 'queue.depth' }).read()).toBe(17);
    expect(await queueSource({ kind: 'metrics-api', url: `${base}/json`, valueLocation: 'workers.0.load' }).read()).toBe(0.5);
    expect(await failure(queueSource({ kind: 'metrics-api', url: `${base}/json`, valueLocation: 'queue.name' }))).toBe(`SourceError: ${base}/json (queue.name) returned "x", not a number`);
    expect(await failure(queueSource({ kind: 'metrics-api', url: `${base}/json` }))).toMatch(/returned "\{\\"queue/);
    expect(await failure(queueSource({ kind: 'metrics-api', url: `${base}/broken` }))).toBe(`SourceError: ${base}/broken answered HTTP 503`);
  });

  it('credentials: refused in the file, taken from nowhere else, never printed', async () => {
    expect(() => queueSource({ kind: 'metrics-api', url: `http://u:pw-xyz@127.0.0.1:1/secret` })).toThrow(/holds a password/);
    expect(await failure(queueSource({ kind: 'metrics-api', url: `${base}/secret` }))).toMatch(/HTTP 401 \(credentials missing or wrong/);
  });

  it('runs a command in scaling.yaml\'s folder with the environment, and names it when it fails', async () => {
    writeFileSync(join(dir, 'depth.txt'), '12\n');
    expect(await queueSource({ kind: 'command', command: 'cat depth.txt' }, { PATH: process.env.PATH }, dir).read()).toBe(12);
    expect(await queueSource({ kind: 'command', command: 'echo $DEPTH' }, { PATH: process.env.PATH, DEPTH: '7.5' }, dir).read()).toBe(7.5);
    expect(await failure(queueSource({ kind: 'command', command: 'echo boom >&2; exit 3' }, { PATH: process.env.PATH }, dir))).toBe('SourceError: command "echo boom >&2; exit 3" exited with 3: boom');
    expect(await failure(queueSource({ kind: 'command', command: 'echo lots' }, { PATH: process.env.PATH }, dir))).toBe('SourceError: command "echo lots" returned "lots", not a number');
  });

  it('an unknown kind says which kinds scalectl reads', () => {
    expect(() => queueSource({ kind: 'kafka', brokers: 'x:9092', topic: 't', group: 'g' })).toThrow(
      'source kind "kafka" is not one scalectl autoscale reads (redis, redis-streams, rabbitmq, prometheus, metrics-api, command)',
    );
  });
});
