// Prometheus instant queries against a real prometheus scraping a gauge this test serves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus, freePort, type RunningServer } from '../support/servers.js';
import { eventually, failure, gaugeServer, queueSource } from './helpers.js';

describe('prometheus source (real prometheus)', () => {
  let prometheus: RunningServer & { url: string };
  let gauge: Awaited<ReturnType<typeof gaugeServer>>;
  beforeAll(async () => {
    gauge = await gaugeServer();
    prometheus = await startPrometheus([`127.0.0.1:${gauge.port}`]);
  }, 60_000);
  afterAll(async () => {
    await prometheus?.stop();
    await new Promise((r) => gauge?.server.close(r));
  });

  it('reads an aggregated instant query as it changes', async () => {
    const source = queueSource({ kind: 'prometheus', serverAddress: prometheus.url, query: 'sum(test_queue_depth)' });
    gauge.set(40);
    expect(await eventually(() => source.read(), 60)).toBe(60);
    gauge.set(10);
    expect(await eventually(() => source.read(), 15)).toBe(15);
    // `server` is the short spelling of serverAddress; a scalar query works too.
    expect(await queueSource({ kind: 'prometheus', server: prometheus.url, query: 'scalar(sum(test_queue_depth))' }).read()).toBe(15);
  }, 60_000);

  it('empty results follow ignoreNullValues; several series and bad queries are errors naming the query', async () => {
    expect(await queueSource({ kind: 'prometheus', serverAddress: prometheus.url, query: 'sum(no_such_metric)' }).read()).toBe(0);
    expect(await failure(queueSource({ kind: 'prometheus', serverAddress: prometheus.url, query: 'sum(no_such_metric)', ignoreNullValues: false }))).toMatch(
      /prometheus query "sum\(no_such_metric\)" at http:\/\/127\.0\.0\.1:\d+: the query returned no series \(ignoreNullValues: false\)/,
    );
    expect(await failure(queueSource({ kind: 'prometheus', serverAddress: prometheus.url, query: 'test_queue_depth' }))).toMatch(/returned 2 series; aggregate it to one/);
    expect(await failure(queueSource({ kind: 'prometheus', serverAddress: prometheus.url, query: 'sum(' }))).toMatch(/^SourceError: prometheus query "sum\(" at .*HTTP 400/);
  }, 30_000);

  it('names the server when it is down', async () => {
    const port = await freePort();
    expect(await failure(queueSource({ kind: 'prometheus', serverAddress: `http://127.0.0.1:${port}`, query: 'up' }))).toBe(
      `SourceError: prometheus query "up" at http://127.0.0.1:${port}: http://127.0.0.1:${port}/api/v1/query?query=up: connection refused`,
    );
  });
});
