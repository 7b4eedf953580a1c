// A minimal Redis client: RESP2 over one TCP connection, commands sent in one pipeline, replies
// parsed in order. Enough for the few read-only commands the Redis sources send (LLEN, XINFO,
// XLEN) plus AUTH and SELECT; a full client library would load far more code for no gain here.
import { connect, type Socket } from 'node:net';

export type RespValue = string | number | null | RespValue[] | RespError;

// An error reply (-ERR …) as a value, so a caller decides what it means.
export class RespError {
  constructor(readonly message: string) {}
}

function encode(args: string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return out;
}

// Parses one reply at `offset`; undefined when the buffer does not hold all of it yet.
function parse(buffer: Buffer, offset: number): { value: RespValue; next: number } | undefined {
  const end = buffer.indexOf('\r\n', offset);
  if (end < 0) return undefined;
  const type = String.fromCharCode(buffer[offset]);
  const line = buffer.toString('utf8', offset + 1, end);
  const next = end + 2;
  switch (type) {
    case '+':
      return { value: line, next };
    case '-':
      return { value: new RespError(line), next };
    case ':':
      return { value: Number(line), next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, next };
      if (buffer.length < next + length + 2) return undefined;
      return { value: buffer.toString('utf8', next, next + length), next: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, next };
      const items: RespValue[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parse(buffer, at);
        if (!item) return undefined;
        items.push(item.value);
        at = item.next;
      }
      return { value: items, next: at };
    }
    default:
      throw new Error(`not a Redis reply (byte ${buffer[offset]})`);
  }
}

// Sends `commands` on a new connection and resolves their replies in order; the connection closes after.
export function pipeline(host: string, port: number, commands: string[][], timeoutMs: number, signal?: AbortSignal): Promise<RespValue[]> {
  return new Promise((resolve, reject) => {
    let socket: Socket | undefined;
    let buffer: Buffer = Buffer.alloc(0);
    let offset = 0;
    const replies: RespValue[] = [];
    const finish = (error?: Error) => {
      signal?.removeEventListener('abort', onAbort);
      socket?.destroy();
      if (error) reject(error);
      else resolve(replies);
    };
    const onAbort = () => finish(new Error('interrupted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    socket = connect({ host, port });
    socket.setTimeout(timeoutMs, () => finish(new Error(`no answer within ${timeoutMs / 1000}s`)));
    socket.on('connect', () => socket!.write(commands.map(encode).join('')));
    socket.on('error', (error) => finish(error));
    socket.on('close', () => {
      if (replies.length < commands.length) finish(new Error('the server closed the connection'));
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === offset ? chunk : Buffer.concat([buffer.subarray(offset), chunk]);
      offset = 0;
      try {
        for (;;) {
          const reply = parse(buffer, offset);
          if (!reply) break;
          replies.push(reply.value);
          offset = reply.next;
          if (replies.length === commands.length) return finish();
        }
      } catch (error) {
        finish(error as Error);
      }
    });
  });
}
