// Plain JavaScript (typed by redis-command.d.ts), like redis-server.js: the local cluster and Sentinel helpers
// use it, and a jest global setup loads those with Node's own module loader, outside the TypeScript transform.
import { Redis } from 'ioredis';

/**
 * Sends one command to the redis-server (or Sentinel) on a loopback port over a connection of its own,
 * closed afterwards: nothing (reconnect timers, offline queues) outlives the call, and a node that is down
 * fails the call at once instead of being retried.
 */
export async function redisCommand(port, ...command) {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    enableReadyCheck: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 5_000,
    commandTimeout: 5_000,
  });
  // Failures reach the caller through the rejected promises; without a listener ioredis would also print them.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const [name, ...args] = command;
    return await client.call(name, ...args);
  } finally {
    client.disconnect();
  }
}

/** The fields of an INFO or CLUSTER INFO reply ("name:value" lines). */
export function infoFields(reply) {
  return Object.fromEntries(
    String(reply)
      .split('\r\n')
      .filter((line) => line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
  );
}

/**
 * Polls `check` (which resolves with { done, state }; a throw counts as "not yet", e.g. a node still
 * starting) until it is done. On timeout the error names what was awaited, the last state and the last error.
 */
export async function waitForRedis(what, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  let last = 'not checked yet';
  for (;;) {
    try {
      const { done, state } = await check();
      if (done) return;
      last = state;
    } catch (error) {
      last = `error: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (Date.now() >= deadline) throw new Error(`Still waiting after ${timeoutMs} ms for ${what}; last state: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the server on `port` is a replica whose link to its primary is up (e.g. after a restart). */
export function waitForReplicaInSync(port, timeoutMs) {
  return waitForRedis(`the server on port ${port} to sync as a replica`, timeoutMs, async () => {
    const fields = infoFields(await redisCommand(port, 'INFO', 'replication'));
    return {
      done: fields.role === 'slave' && fields.master_link_status === 'up',
      state: `role:${fields.role} master_link_status:${fields.master_link_status}`,
    };
  });
}
