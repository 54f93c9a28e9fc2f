import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of a Redis server that reads the commands its clients send (RESP), so a test can
 * stop a client's commands from reaching Redis at an exact point, e.g. "from this process's second ack on",
 * instead of racing a fast process with a kill. Replies always flow back unchanged.
 */
export interface RedisProxy {
  /** Where clients connect instead of the real server. */
  readonly url: string;
  /** True once holdFrom's command was seen: from then on nothing any client sends reaches Redis. */
  readonly holding: boolean;
  /**
   * Holds back everything clients send from the command that matches for the (skip + 1)-th time on: that
   * command and all later ones never reach Redis (the clients just wait for their replies).
   */
  holdFrom(match: (args: readonly string[]) => boolean, skip?: number): void;
  close(): Promise<void>;
}

/** A TCP proxy in front of the Redis at targetUrl that can hold back commands from a chosen one on (see holdFrom). */
export async function startRedisProxy(targetUrl: string): Promise<RedisProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let rule: { match: (args: readonly string[]) => boolean; skip: number } | undefined;
  let matched = 0;
  let holding = false;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    const upstream = connect({ host: target.hostname, port: Number(target.port || 6379) });
    track(client);
    track(upstream);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    upstream.on('data', (reply: Buffer) => client.write(reply));
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      if (holding) return;
      pending = Buffer.concat([pending, chunk]);
      // Forwards whole commands only, up to the one that starts the hold.
      let forwardUpTo = 0;
      for (let next = readCommand(pending, 0); next; next = readCommand(pending, forwardUpTo)) {
        if (rule?.match(next.args) && (matched += 1) > rule.skip) {
          holding = true;
          break;
        }
        forwardUpTo = next.end;
      }
      if (forwardUpTo > 0) upstream.write(pending.subarray(0, forwardUpTo));
      pending = holding ? Buffer.alloc(0) : pending.subarray(forwardUpTo);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Port 0: the OS picks a port no one else holds.
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    get holding() {
      return holding;
    },
    holdFrom(match, skip = 0) {
      rule = { match, skip };
      matched = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// One complete command from `start` (a RESP array of bulk strings, or an inline command), or undefined
// when the buffer does not hold all of it yet.
function readCommand(buffer: Buffer, start: number): { args: string[]; end: number } | undefined {
  if (start >= buffer.length) return undefined;
  let position = start;
  const line = (): string | undefined => {
    const end = buffer.indexOf('\r\n', position);
    if (end === -1) return undefined;
    const text = buffer.toString('latin1', position, end);
    position = end + 2;
    return text;
  };
  const header = line();
  if (header === undefined) return undefined;
  if (!header.startsWith('*')) return { args: header.split(' ').filter(Boolean), end: position };
  const args: string[] = [];
  for (let count = Number(header.slice(1)); args.length < count;) {
    const length = line();
    if (length === undefined) return undefined;
    const size = Number(length.slice(1));
    if (position + size + 2 > buffer.length) return undefined;
    args.push(buffer.toString('utf8', position, position + size));
    position += size + 2;
  }
  return { args, end: position };
}
