import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../config/index.js';
import { connectRedis, openRedis, QueueUnavailableError } from '../index.js';
import { startRedisServer } from '../../../tools/redis-server.js';
import { testQueue } from '../../../test/support/backends.js';
import { waitUntil } from '../../../tools/wait.js';

const settingsFor = (env: Record<string, string>) => loadConfig({ env, envFile: '/nonexistent/.env' }).redis;
const errors: Error[] = [];
const onError = (error: Error) => errors.push(error);

describe('connectRedis', () => {
  it('gives an in-process ioredis-mock client in mock mode', async () => {
    const redis = await connectRedis(settingsFor({}), { onError });
    expect(await redis.ping()).toBe('PONG');
    redis.disconnect();
  });

  it('connects to a real Redis by URL', async () => {
    const redis = await connectRedis(
      settingsFor({ DAY15_USE_MOCK_REDIS: 'false', DAY15_REDIS_URL: process.env.REDIS_TEST_URL ?? '' }),
      { onError },
    );
    expect(await redis.ping()).toBe('PONG');
    redis.disconnect();
  });

  it('fails with a message naming the address when Redis is unreachable', async () => {
    // Port 1 (tcpmux) is never listened on here and, unlike a port from freePort(), cannot be taken in
    // the meantime by another test's server or an outgoing connection of the busy machine.
    const port = 1;
    const settings = settingsFor({
      DAY15_USE_MOCK_REDIS: 'false',
      DAY15_REDIS_HOST: '127.0.0.1',
      DAY15_REDIS_PORT: String(port),
    });
    await expect(connectRedis(settings, { onError })).rejects.toThrow(`Redis at 127.0.0.1:${port}/0 is unreachable`);
  });

  it('makes queue operations fail fast with QueueUnavailableError when Redis goes away, and recover when it is back', async () => {
    const server = await startRedisServer();
    const settings = settingsFor({ DAY15_USE_MOCK_REDIS: 'false', DAY15_REDIS_URL: server.url });
    const redis = await connectRedis(settings, { onError });
    const queue = testQueue(redis, { retryDelayMs: 100 });
    expect(await queue.enqueue([{ id: 'before', body: '{}' }])).toEqual(['accepted']);

    await server.stop({ keepData: true });
    // "Fast" is the mechanism: no offline queue (a command fails at once while disconnected) and a 750 ms
    // command timeout (a command sent on a dying connection fails within it), so a receiver can answer 503
    // within a second. Asserted as configured; the wall clock only has to show the call failed instead of
    // waiting for Redis to return, with slack for timers that fire late on a busy 2-core machine.
    expect(redis.options).toMatchObject({ enableOfflineQueue: false, commandTimeout: 750 });
    const started = Date.now();
    await expect(queue.enqueue([{ id: 'during', body: '{}' }])).rejects.toBeInstanceOf(QueueUnavailableError);
    expect(Date.now() - started).toBeLessThan(5000);

    const restarted = await startRedisServer({ port: server.port, dir: server.dir });
    try {
      await waitUntil(
        async () => (await queue.enqueue([{ id: 'after', body: '{}' }]))[0] === 'accepted',
        15_000,
        'enqueue accepted again after the restart',
      );
    } finally {
      redis.disconnect();
      await restarted.stop();
      await server.stop();
    }
  }, 60_000);
});

describe('openRedis', () => {
  it('returns a client at once while Redis is unreachable, warns with the address and the hint until it answers, and is ready once it does', async () => {
    const server = await startRedisServer();
    await server.stop({ keepData: true });
    // The port a redis-server just left: nothing listens there until it starts again below.
    const settings = settingsFor({ DAY15_USE_MOCK_REDIS: 'false', DAY15_REDIS_URL: server.url });
    const warnings: string[] = [];
    const early: Error[] = [];
    const { redis, ready } = openRedis(settings, {
      onError: (error) => early.push(error),
      onWaiting: (message) => warnings.push(message),
      warnEveryMs: 50,
    });
    const queue = testQueue(redis);
    try {
      await expect(queue.ping()).rejects.toBeInstanceOf(QueueUnavailableError);
      await waitUntil(
        async () => warnings.length >= 2,
        15_000,
        () => warnings,
      );
      expect(warnings[0]).toMatch(
        new RegExp(
          `^Redis at redis://127\\.0\\.0\\.1:${server.port} is unreachable.*Hint: start Redis \\(redis-server\\)`,
        ),
      );
      // Before the first connection the warnings say it all: no connection error per retry.
      expect(early).toEqual([]);

      const restarted = await startRedisServer({ port: server.port, dir: server.dir });
      try {
        await ready;
        await expect(queue.ping()).resolves.toBeUndefined();
      } finally {
        redis.disconnect();
        await restarted.stop();
      }
    } finally {
      // Closing a client twice leaves ioredis's 2 s disconnect timer behind.
      if (redis.status !== 'end') redis.disconnect();
      await server.stop();
    }
  }, 60_000);

  it('gives the in-process ioredis-mock, ready at once, in mock mode', async () => {
    const { redis, ready } = openRedis(settingsFor({}), { onError, onWaiting: () => undefined });
    await ready;
    expect(await redis.ping()).toBe('PONG');
    redis.disconnect();
  });
});
