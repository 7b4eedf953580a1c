// Redis sources, with KEDA's trigger metadata keys: `redis` (a list's length: LLEN listName) and
// `redis-streams` (a consumer group's lag from XINFO GROUPS, or the stream's length without a
// group). Address: `address` ("host:port") or `host` + `port`, each also `…FromEnv`; the
// password (and ACL user) only from the environment: `passwordFromEnv`, `usernameFromEnv`.
import { pipeline, RespError, type RespValue } from './resp.js';
import { fromEnv, noPasswordInFile, SourceError, text, type MetricSource, type SourceContext } from './types.js';

interface Endpoint { host: string; port: number }

function endpoint(source: Record<string, string>, env: NodeJS.ProcessEnv, kind: string): Endpoint {
  const value = (key: string) => (source[`${key}FromEnv`] ? fromEnv(env, source[`${key}FromEnv`], `${kind} source ${key}FromEnv`) : source[key]);
  if (source.address !== undefined) noPasswordInFile(source.address, 'address', 'addressFromEnv');
  const address = value('address');
  if (address) {
    const url = /^rediss?:\/\//.test(address) ? new URL(address) : undefined;
    if (url?.protocol === 'rediss:') throw new SourceError(`${kind} source: TLS (rediss://) is not supported by scalectl autoscale yet; reach Redis over a local port`);
    const match = url ? [url.hostname.replace(/^\[|\]$/g, ''), url.port || '6379'] : /^\[?([^\]]+?)\]?:(\d+)$/.exec(address)?.slice(1);
    if (!match) throw new SourceError(`${kind} source: address ${JSON.stringify(address.replace(/\/\/[^@]*@/, '//'))} is not host:port (e.g. "127.0.0.1:6379")`);
    return { host: match[0], port: Number(match[1]) };
  }
  const host = value('host');
  if (!host) throw new SourceError(`${kind} source needs address (host:port), addressFromEnv, or host and port`);
  return { host, port: Number(value('port') ?? 6379) };
}

// The commands that log in and pick the database, from the environment only.
function preamble(source: Record<string, string>, env: NodeJS.ProcessEnv, kind: string): string[][] {
  if (source.password !== undefined) throw new SourceError(`${kind} source: password in scaling.yaml; credentials come from the environment: write passwordFromEnv: NAME`);
  if (source.enableTLS === 'true') throw new SourceError(`${kind} source: enableTLS is not supported by scalectl autoscale yet; reach Redis over a local port`);
  const commands: string[][] = [];
  if (source.passwordFromEnv) {
    const password = fromEnv(env, source.passwordFromEnv, `${kind} source passwordFromEnv`);
    const user = source.usernameFromEnv ? fromEnv(env, source.usernameFromEnv, `${kind} source usernameFromEnv`) : undefined;
    commands.push(user ? ['AUTH', user, password] : ['AUTH', password]);
  }
  const database = source.databaseIndex ?? '0';
  if (!/^\d+$/.test(database)) throw new SourceError(`${kind} source: databaseIndex must be a whole number, got ${JSON.stringify(database)}`);
  if (database !== '0') commands.push(['SELECT', database]);
  return commands;
}

async function ask(kind: string, where: string, at: Endpoint, commands: string[][], context: SourceContext, signal?: AbortSignal): Promise<RespValue> {
  let replies: RespValue[];
  try {
    replies = await pipeline(at.host, at.port, commands, context.timeoutMs, signal);
  } catch (error) {
    throw new SourceError(`${where}: ${(error as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? 'connection refused' : (error as Error).message}`, { cause: error });
  }
  for (const reply of replies) {
    if (reply instanceof RespError) {
      // AUTH errors say nothing secret (WRONGPASS / NOAUTH), but keep only the code and the gist.
      throw new SourceError(`${where}: Redis answered ${reply.message.split(' ').slice(0, 8).join(' ')}`);
    }
  }
  return replies[replies.length - 1];
}

// A `redis` or `redis-streams` source (KEDA metadata already translated: see sources/index.ts).
export function redisSource(kind: 'redis' | 'redis-streams', source: Record<string, string>, context: SourceContext): MetricSource {
  const at = endpoint(source, context.env, kind);
  const login = preamble(source, context.env, kind);
  const host = at.host.includes(':') ? `[${at.host}]:${at.port}` : `${at.host}:${at.port}`;
  if (kind === 'redis') {
    const list = text(source, 'listName');
    if (!list) throw new SourceError('redis source needs listName (or list)');
    const describe = `redis list ${list} at ${host}`;
    return {
      describe,
      async read(signal) {
        const reply = await ask(kind, describe, at, [...login, ['LLEN', list]], context, signal);
        if (typeof reply !== 'number') throw new SourceError(`${describe}: LLEN gave no number`);
        return reply;
      },
    };
  }
  const stream = text(source, 'stream');
  if (!stream) throw new SourceError('redis-streams source needs stream');
  const group = text(source, 'consumerGroup');
  const describe = group ? `redis stream ${stream} group ${group} lag at ${host}` : `redis stream ${stream} length at ${host}`;
  return {
    describe,
    async read(signal) {
      if (!group) {
        const reply = await ask(kind, describe, at, [...login, ['XLEN', stream]], context, signal);
        if (typeof reply !== 'number') throw new SourceError(`${describe}: XLEN gave no number`);
        return reply;
      }
      const reply = await ask(kind, describe, at, [...login, ['XINFO', 'GROUPS', stream]], context, signal).catch((error: SourceError) => {
        if (/no such key/i.test(error.message)) throw new SourceError(`${describe}: no stream ${stream}`);
        throw error;
      });
      const groups = Array.isArray(reply) ? reply : [];
      for (const entry of groups) {
        if (!Array.isArray(entry)) continue;
        const fields = new Map<string, RespValue>();
        for (let i = 0; i + 1 < entry.length; i += 2) fields.set(String(entry[i]), entry[i + 1]);
        if (fields.get('name') !== group) continue;
        const lag = fields.get('lag');
        // Redis ≥ 7 reports the lag; null when it cannot tell (entries deleted): then no number.
        if (typeof lag === 'number') return lag;
        throw new SourceError(`${describe}: Redis cannot tell the lag (${lag === undefined ? 'Redis before 7.0' : 'entries were deleted from the stream'})`);
      }
      throw new SourceError(`${describe}: no consumer group ${group} on stream ${stream}`);
    },
  };
}
