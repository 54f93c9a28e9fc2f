import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { killAppProcesses } from '../../tools/app-process.js';
import { startRedisServer, type RedisServer } from '../../tools/redis-server.js';
import { sleep, waitForDrained, waitUntil } from '../../tools/wait.js';
import { testQueue, uniquePrefix } from '../support/backends.js';
import { account, drainAndAccount, printAccounting } from './accounting.js';
import { startSending, waitForAccepted } from './load-sender.js';
import { pipelineEnv, restartRedisServer, startConsumer, startReceiver } from './pipeline-processes.js';

// Each wait below is bounded on its own (with an error saying what was missing); a scenario chains several,
// so it gets more time than the config's default before jest's generic timeout could pre-empt them.
jest.setTimeout(300_000);

describe('chaos: Redis faults (real processes, private redis-servers)', () => {
  const servers: RedisServer[] = [];
  afterEach(async () => {
    killAppProcesses();
    for (const server of servers.splice(0)) await server.stop();
  });

  // Kills redis-server under load, restarts it from its append-only file, and accounts for every 202.
  async function killAndRestartRedis(scenario: string, fsync: 'always' | 'everysec') {
    const aof = ['--appendonly', 'yes', '--appendfsync', fsync];
    const first = await startRedisServer({ args: aof });
    servers.push(first);
    const prefix = uniquePrefix('chaos4');
    const env = pipelineEnv(first.url, prefix);
    const { url } = await startReceiver(env);
    await startConsumer(env);
    const sender = startSending(url);
    await waitForAccepted(sender, 300);

    await first.stop({ keepData: true });
    // Redis stays down for a while under load (senders get 503s and retry); nothing asserted depends on how long.
    await sleep(1000);
    const restarted = await restartRedisServer(first, aof);
    servers.unshift(restarted);
    const acceptedBeforeRecovery = sender.accepted.size;
    await waitForAccepted(sender, acceptedBeforeRecovery + 300);
    return drainAndAccount(restarted.url, prefix, sender, scenario);
  }

  it('4. kill -9 of redis-server under load, restarted from its append-only file (appendfsync always): no 202 is lost', async () => {
    const result = await killAndRestartRedis('kill -9 redis-server, AOF always', 'always');
    expect(result).toMatchObject({ lost: 0, doubleCounted: 0, dead: 0, processed: result.accepted });
  });

  // everysec only defers the fsync: Redis still write()s the AOF before it replies, so a killed
  // redis-server process loses nothing; only a host crash (page cache lost) can lose up to ~1 s. The
  // figure printed here is the loss measured for a process kill.
  it('4b. the same with appendfsync everysec: the loss of a redis-server process kill is measured and printed', async () => {
    const result = await killAndRestartRedis('kill -9 redis-server, AOF everysec (loss measured)', 'everysec');
    expect(result.doubleCounted).toBe(0);
    expect(result.lost).toBeLessThan(result.accepted);
  });

  it('9. a duplicate storm (the same event 100 times at once, and again after processing) has one effect', async () => {
    const server = await startRedisServer();
    servers.push(server);
    const prefix = uniquePrefix('chaos9');
    const env = pipelineEnv(server.url, prefix);
    const { url } = await startReceiver(env);
    await startConsumer(env);
    const body = JSON.stringify({
      event_id: 'evt_storm',
      event_type: 'usage_tracked',
      timestamp: new Date().toISOString(),
      metadata: { feature: 'api_calls', quantity: 1 },
    });
    const storm = () =>
      Promise.all(
        Array.from(
          { length: 100 },
          async () =>
            (
              await fetch(`${url}/webhook/events`, {
                method: 'POST',
                headers: { 'Content-Type': 'application/json' },
                body,
              })
            ).status,
        ),
      );
    const first = await storm();
    expect(first.filter((status) => status === 202)).toHaveLength(1);
    expect(first.filter((status) => status === 200)).toHaveLength(99);
    const redis = new Redis(server.url);
    try {
      const queue = testQueue(redis, { prefix });
      await waitUntil(async () => (await queue.stats()).counters.acked === 1, 60_000, {
        what: 'the stormed event to be processed',
        state: () => queue.stats(),
      });
      expect((await storm()).every((status) => status === 200)).toBe(true);
      // Every answer is in, so the receiver's enqueue scripts have all run: nothing new may have been
      // queued, and whatever the pipeline holds is drained before counting (no sleep guessing "done by now").
      expect((await queue.stats()).counters.accepted).toBe(1);
      await waitForDrained(queue);
      const result = await account(redis, prefix, 200, ['evt_storm']);
      printAccounting('duplicate storm', result);
      expect(result).toMatchObject({ accepted: 1, processed: 1, lost: 0, doubleCounted: 0 });
    } finally {
      redis.disconnect();
    }
  });
});
