// RabbitMQ queue length, with KEDA's trigger metadata keys: `host` (or `hostFromEnv`: the URL with
// credentials lives in the environment), `queueName`, `vhostName`, `mode` (QueueLength,
// MessageRate), `excludeUnacknowledged`. As KEDA: an http(s) host is the management plugin's API,
// where QueueLength counts ready + unacknowledged messages (only ready ones with
// excludeUnacknowledged); an amqp(s) host is asked over AMQP (a passive queue declare through
// amqplib), which counts ready messages only.
import { getText, parseJson } from './http-json.js';
import { fromEnv, noPasswordInFile, redactUrl, SourceError, text, withTimeout, type MetricSource, type SourceContext } from './types.js';

export function rabbitmqSource(source: Record<string, string>, context: SourceContext): MetricSource {
  if (source.host !== undefined) noPasswordInFile(source.host, 'host', 'hostFromEnv');
  const host = source.hostFromEnv ? fromEnv(context.env, source.hostFromEnv, 'rabbitmq source hostFromEnv') : source.host;
  if (!host) throw new SourceError('rabbitmq source needs host (the management URL, e.g. http://127.0.0.1:15672/) or hostFromEnv');
  const queue = text(source, 'queueName');
  if (!queue) throw new SourceError('rabbitmq source needs queueName (or queue)');
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new SourceError(`rabbitmq source: host ${JSON.stringify(redactUrl(host))} is not a URL (e.g. http://127.0.0.1:15672/)`);
  }
  const mode = source.mode ?? 'QueueLength';
  if (mode !== 'QueueLength' && mode !== 'MessageRate') throw new SourceError(`rabbitmq source: mode ${JSON.stringify(mode)} is not QueueLength or MessageRate`);
  if (url.protocol === 'amqp:' || url.protocol === 'amqps:') {
    if (mode === 'MessageRate') throw new SourceError('rabbitmq source: mode MessageRate needs the management API (an http:// host), as in KEDA');
    return amqpSource(host, url, queue, source.vhostName, context);
  }
  const readyOnly = source.excludeUnacknowledged === 'true';
  // KEDA: the vhost is the URL's path unless vhostName says otherwise; "/" by default.
  const path = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ''));
  const vhost = source.vhostName ?? (path === '' ? '/' : path);
  const base = `${url.protocol}//${url.username ? `${url.username}:${url.password}@` : ''}${url.host}`;
  const api = `${base}/api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(queue)}`;
  const what = mode === 'MessageRate' ? 'publish rate' : readyOnly ? 'ready messages' : 'ready + unacked messages';
  const describe = `rabbitmq queue ${queue} (${what}) at ${url.host}`;
  return {
    describe,
    async read(signal) {
      let body: string;
      try {
        body = await getText(api, context.timeoutMs, describe, signal);
      } catch (error) {
        if (/HTTP 404/.test((error as Error).message)) throw new SourceError(`${describe}: no queue ${queue} in vhost ${vhost}`);
        throw error;
      }
      const info = parseJson(body, describe) as Record<string, any>;
      const value = mode === 'MessageRate' ? (info.message_stats?.publish_details?.rate ?? 0) : readyOnly ? info.messages_ready : info.messages;
      if (typeof value !== 'number') throw new SourceError(`${describe}: the management API has no count for it yet (queue stats not collected)`);
      return value;
    },
  };
}

// Ready messages over AMQP: a passive declare on a fresh connection, closed after each read.
function amqpSource(host: string, url: URL, queue: string, vhostName: string | undefined, context: SourceContext): MetricSource {
  const describe = `rabbitmq queue ${queue} (ready messages, AMQP) at ${url.host}`;
  let address = host;
  if (vhostName !== undefined) {
    url.pathname = `/${encodeURIComponent(vhostName)}`;
    address = url.toString();
  }
  return {
    describe,
    async read() {
      const amqp = await import('amqplib');
      let connection: Awaited<ReturnType<typeof amqp.connect>> | undefined;
      try {
        connection = await withTimeout(amqp.connect(address, { timeout: context.timeoutMs }), context.timeoutMs, describe);
        connection.on('error', () => undefined);
        const channel = await connection.createChannel();
        channel.on('error', () => undefined);
        const reply = await withTimeout(channel.checkQueue(queue), context.timeoutMs, describe);
        return reply.messageCount;
      } catch (error) {
        if (error instanceof SourceError) throw error;
        const message = String((error as Error).message ?? '');
        const code = (error as NodeJS.ErrnoException).code;
        const why = /NOT_FOUND/.test(message) ? `no queue ${queue}` : /ACCESS[-_]REFUSED|403/.test(message) ? 'access refused (check the credentials in the environment)' : code === 'ECONNREFUSED' ? 'connection refused' : code ?? message.split('\n')[0].replace(/\/\/[^@/]*@/g, '//');
        throw new SourceError(`${describe}: ${why}`, { cause: error });
      } finally {
        await connection?.close().catch(() => undefined);
      }
    },
  };
}
