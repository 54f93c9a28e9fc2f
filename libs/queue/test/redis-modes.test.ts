import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../config/index.js';
import { durabilityWarnings, openRedis, type OpenedRedis } from '../index.js';
import { testQueue } from '../../../test/support/backends.js';
import { startRedisSentinels, type RedisSentinels } from '../../../tools/redis-sentinel.js';
import { within } from '../../../tools/wait.js';

// openRedis in each DAY15_REDIS_MODE against the real thing: the private local cluster of the jest global
// setup, and a primary + replica + 3 Sentinels started here. The same queue code runs on each.
const settingsFor = (env: Record<string, string>) =>
  loadConfig({ env: { DAY15_USE_MOCK_REDIS: 'false', ...env }, envFile: '/nonexistent/.env' }).redis;

async function roundTrip(opened: OpenedRedis): Promise<void> {
  await within(opened.ready, 30_000, 'Redis to answer');
  const queue = testQueue(opened.redis);
  expect(await queue.enqueue([{ id: 'm1', body: '{}' }])).toEqual(['accepted']);
  const [claim] = await queue.claim('c', 10, 10_000);
  expect(await queue.ack('c', [{ claim: claim!, effects: [] }])).toEqual(['acked']);
}

/** The first waiting warning openRedis gives (every 100 ms here). */
async function firstWarning(env: Record<string, string>): Promise<string> {
  let opened: OpenedRedis | undefined;
  const warning = new Promise<string>((resolve) => {
    opened = openRedis(settingsFor(env), { onError: () => undefined, onWaiting: resolve, warnEveryMs: 100 });
  });
  try {
    return await within(warning, 30_000, 'a waiting warning');
  } finally {
    opened?.redis.disconnect();
  }
}

describe('DAY15_REDIS_MODE=cluster', () => {
  const seeds = () => process.env.REDIS_CLUSTER_TEST_NODES ?? '';

  it('opens the cluster from its seeds and runs the queue on it, with the durability check reading the nodes', async () => {
    const opened = openRedis(settingsFor({ DAY15_REDIS_MODE: 'cluster', DAY15_REDIS_CLUSTER_NODES: seeds() }), {
      onError: () => undefined,
      onWaiting: () => undefined,
    });
    try {
      await roundTrip(opened);
      expect(await durabilityWarnings(opened.redis)).toEqual([]);
    } finally {
      opened.redis.disconnect();
    }
  });

  it.each([
    ['nothing listens there', () => '127.0.0.1:1'],
    ['it is a Redis without cluster mode', () => `127.0.0.1:${new URL(process.env.REDIS_TEST_URL ?? '').port}`],
  ])('warns naming a seed where %s: none answered as a cluster node, and what to check', async (_case, seed) => {
    const warning = await firstWarning({ DAY15_REDIS_MODE: 'cluster', DAY15_REDIS_CLUSTER_NODES: seed() });
    expect(warning).toContain(`Redis at the Redis Cluster of ${seed()} is unreachable`);
    expect(warning).toContain('no seed answered as a node of a Redis Cluster');
    expect(warning).toContain('Hint: check DAY15_REDIS_CLUSTER_NODES');
  });
});

describe('DAY15_REDIS_MODE=sentinel', () => {
  let sentinels: RedisSentinels;
  beforeAll(async () => {
    sentinels = await startRedisSentinels();
  }, 60_000);
  afterAll(() => sentinels?.stop());

  it('opens the primary the Sentinels name and runs the queue on it', async () => {
    const opened = openRedis(
      settingsFor({
        DAY15_REDIS_MODE: 'sentinel',
        DAY15_REDIS_SENTINELS: sentinels.sentinelAddresses,
        DAY15_REDIS_SENTINEL_NAME: sentinels.name,
      }),
      { onError: () => undefined, onWaiting: () => undefined },
    );
    try {
      await roundTrip(opened);
    } finally {
      opened.redis.disconnect();
    }
  });

  it('warns that the Sentinels know no primary of a wrong name, and what to check', async () => {
    const warning = await firstWarning({
      DAY15_REDIS_MODE: 'sentinel',
      DAY15_REDIS_SENTINELS: sentinels.sentinelAddresses,
      DAY15_REDIS_SENTINEL_NAME: 'not-day15',
    });
    expect(warning).toContain('the Sentinels answer but monitor no primary named "not-day15"');
    expect(warning).toContain('Hint: check DAY15_REDIS_SENTINELS and DAY15_REDIS_SENTINEL_NAME');
  });
});
