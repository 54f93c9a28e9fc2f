// Plain JavaScript (typed by redis-sentinel.d.ts), like redis-server.js: a jest global setup can start the
// setup with Node's own module loader, outside the TypeScript transform.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { infoFields, redisCommand, waitForRedis, waitForReplicaInSync } from './redis-command.js';
import { startRedisServer } from './redis-server.js';

// Generous: on a busy 2-core machine. Sentinels find each other through hello messages sent every 2 s.
const readyTimeoutMs = 60_000;

// Every write on disk before it is acknowledged, as in production, and the replica's first sync at once (a
// primary waits 5 s by default for more replicas to sync with together; there is one).
const dataArgs = ['--appendonly', 'yes', '--appendfsync', 'always', '--repl-diskless-sync-delay', '0'];

/**
 * Starts a private primary, its replica and `sentinels` Sentinels watching them, all on free loopback ports
 * with temporary dirs, and resolves once the replica is in sync and every Sentinel knows the primary, the
 * replica and every other Sentinel.
 */
export async function startRedisSentinels({ name = 'day15', sentinels = 3 } = {}) {
  const servers = [];
  const watching = [];
  const stop = async () => {
    // Sentinels first, so none of them sees the primary go down and starts a failover.
    await Promise.all(watching.map((sentinel) => sentinel.stop()));
    await Promise.all(servers.map((server) => server.stop()));
  };
  try {
    const primary = await startRedisServer({ args: dataArgs });
    servers.push(primary);
    const replica = await startRedisServer({ args: [...dataArgs, '--replicaof', '127.0.0.1', String(primary.port)] });
    servers.push(replica);
    // Before the Sentinels start: a Sentinel learns of replicas from the primary's INFO, which it reads at once
    // on connecting and then only every 10 s.
    await waitForRedis(`the replica (port ${replica.port}) to sync with the primary`, readyTimeoutMs, async () => {
      const fields = infoFields(await redisCommand(replica.port, 'INFO', 'replication'));
      return { done: fields.master_link_status === 'up', state: `master_link_status:${fields.master_link_status}` };
    });
    const quorum = Math.floor(sentinels / 2) + 1;
    const starts = await Promise.allSettled(
      Array.from({ length: sentinels }, () => startSentinel(name, primary.port, quorum)),
    );
    for (const start of starts) if (start.status === 'fulfilled') watching.push(start.value);
    const failed = starts.find((start) => start.status === 'rejected');
    if (failed) throw failed.reason;
    await waitUntilWatching(name, watching);
    return {
      name,
      primary,
      replica,
      sentinels: watching,
      sentinelAddresses: watching.map((sentinel) => `127.0.0.1:${sentinel.port}`).join(','),
      currentPrimaryPort: () => currentPrimaryPort(name, watching),
      restartServer: async (server) => {
        const index = servers.indexOf(server);
        if (index < 0) throw new Error(`The server on port ${server.port} is not one of this setup's`);
        // Back on its port with its data, as a replica of the current primary from its first moment, as a
        // runbook brings back a failed primary: started as a primary it would take writes from any client still
        // pointing at it until the Sentinels convert it (which they sometimes did only after a minute).
        const primaryPort = await currentPrimaryPort(name, watching);
        servers[index] = await startRedisServer({
          port: server.port,
          dir: server.dir,
          ownsDir: true,
          args: [...dataArgs, '--replicaof', '127.0.0.1', String(primaryPort)],
        });
        await waitForReplicaInSync(server.port, readyTimeoutMs);
        return servers[index];
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// A Sentinel rewrites its config file (its id, what it learned), so each gets its own in a temp dir; the
// file must be redis-server's first argument.
async function startSentinel(name, primaryPort, quorum) {
  const dir = mkdtempSync(join(tmpdir(), 'day15-sentinel-'));
  const configFile = join(dir, 'sentinel.conf');
  writeFileSync(
    configFile,
    [
      'sentinel resolve-hostnames no',
      `sentinel monitor ${name} 127.0.0.1 ${primaryPort} ${quorum}`,
      // A primary unreachable for 1 s is down, and a failover retried after 5 s: fast for chaos tests.
      `sentinel down-after-milliseconds ${name} 1000`,
      `sentinel failover-timeout ${name} 5000`,
      '',
    ].join('\n'),
  );
  try {
    const server = await startRedisServer({ dir, configFile, args: ['--sentinel'] });
    return {
      port: server.port,
      url: server.url,
      dir,
      process: server.process,
      async stop() {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function waitUntilWatching(name, sentinels) {
  await waitForRedis(
    `every Sentinel to know primary '${name}', its replica and the ${sentinels.length - 1} other Sentinel(s)`,
    readyTimeoutMs,
    async () => {
      const views = await Promise.all(
        sentinels.map(async (sentinel) => {
          const primary = fieldsOf(await redisCommand(sentinel.port, 'SENTINEL', 'MASTER', name));
          const replicas = (await redisCommand(sentinel.port, 'SENTINEL', 'REPLICAS', name)).map(fieldsOf);
          return {
            port: sentinel.port,
            primary: primary.flags,
            replicas: replicas.map((replica) => `${replica.port}:${replica.flags}:${replica['master-link-status']}`),
            otherSentinels: Number(primary['num-other-sentinels']),
          };
        }),
      );
      const ready = (view) =>
        view.primary === 'master' &&
        view.replicas.length === 1 &&
        view.replicas[0].endsWith(':slave:ok') &&
        view.otherSentinels === sentinels.length - 1;
      return { done: views.every(ready), state: JSON.stringify(views) };
    },
  );
}

// SENTINEL MASTER and each entry of SENTINEL REPLICAS answer a flat [name, value, name, value, ...] list.
function fieldsOf(list) {
  const fields = {};
  for (let i = 0; i + 1 < list.length; i += 2) fields[list[i]] = list[i + 1];
  return fields;
}

// Asks the Sentinels in turn (a chaos test may have killed some) until one answers.
async function currentPrimaryPort(name, sentinels) {
  const failures = [];
  for (const sentinel of sentinels) {
    try {
      const address = await redisCommand(sentinel.port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name);
      if (Array.isArray(address)) return Number(address[1]);
      failures.push(`port ${sentinel.port}: does not know '${name}'`);
    } catch (error) {
      failures.push(`port ${sentinel.port}: ${error.message}`);
    }
  }
  throw new Error(`No Sentinel named the primary of '${name}': ${failures.join('; ')}`);
}
