import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../config/index.js';
import { connectRedis, QueueUnavailableError, ReliableQueue } from '../index.js';
import { freePort, startRedisServer } from '../../../test/support/redis-server.js';
import { uniquePrefix, waitUntil } from '../../../test/support/backends.js';

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
    const redis = await connectRedis(settingsFor({ DAY15_USE_MOCK_REDIS: 'false', DAY15_REDIS_URL: process.env.REDIS_TEST_URL ?? '' }), { onError });
    expect(await redis.ping()).toBe('PONG');
    redis.disconnect();
  });

  it('fails with a message naming the address when Redis is unreachable', async () => {
    const port = await freePort();
    const settings = settingsFor({ DAY15_USE_MOCK_REDIS: 'false', DAY15_REDIS_HOST: '127.0.0.1', DAY15_REDIS_PORT: String(port) });
    await expect(connectRedis(settings, { onError })).rejects.toThrow(`Redis at 127.0.0.1:${port}/0 is unreachable`);
  });

  it('makes queue operations fail fast with QueueUnavailableError when Redis goes away, and recover when it is back', async () => {
    const server = await startRedisServer();
    const settings = settingsFor({ DAY15_USE_MOCK_REDIS: 'false', DAY15_REDIS_URL: server.url });
    const redis = await connectRedis(settings, { onError });
    const queue = new ReliableQueue({ redis, prefix: uniquePrefix(), idempotencyTtlMs: 60_000, maxAttempts: 3, retryDelayMs: 100 });
    expect(await queue.enqueue([{ id: 'before', body: '{}' }])).toEqual(['accepted']);

    await server.stop({ keepData: true });
    const started = Date.now();
    await expect(queue.enqueue([{ id: 'during', body: '{}' }])).rejects.toBeInstanceOf(QueueUnavailableError);
    expect(Date.now() - started).toBeLessThan(1000);

    const restarted = await startRedisServer({ port: server.port, dir: server.dir });
    try {
      await waitUntil(async () => (await queue.enqueue([{ id: 'after', body: '{}' }]))[0] === 'accepted');
    } finally {
      redis.disconnect();
      await restarted.stop();
      await server.stop();
    }
  });
});
