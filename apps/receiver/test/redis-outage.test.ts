import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { loadConfig } from '../../../libs/config/index.js';
import { connectRedis, createQueue } from '../../../libs/queue/index.js';
import { uniquePrefix, waitUntil } from '../../../test/support/backends.js';
import { captureLogger } from '../../../test/support/capture-logger.js';
import { startRedisServer, type RedisServer } from '../../../test/support/redis-server.js';
import { createReceiverApp } from '../app.js';
import { anEvent } from './receiver-harness.js';

describe('receiver during a Redis outage (private redis-server stopped and restarted)', () => {
  let server: RedisServer;
  let restarted: RedisServer | undefined;
  let redis: Redis;
  let app: ReturnType<typeof createReceiverApp>;

  beforeAll(async () => {
    server = await startRedisServer();
    const config = loadConfig({
      env: { DAY15_USE_MOCK_REDIS: 'false', DAY15_REDIS_URL: server.url, DAY15_KEY_PREFIX: uniquePrefix() },
      envFile: '/nonexistent/.env',
    });
    redis = await connectRedis(config.redis, { onError: () => undefined });
    app = createReceiverApp({ config, queue: createQueue(redis, config), logger: captureLogger().logger });
  });
  afterAll(async () => {
    redis.disconnect();
    await restarted?.stop();
    await server.stop();
  });

  it('answers 503 queue_unavailable with Retry-After within a second, reports unhealthy, and recovers without a restart', async () => {
    await request(app).post('/webhook/events').send(anEvent()).expect(202);

    await server.stop({ keepData: true });
    const started = Date.now();
    const refused = await request(app).post('/webhook/events').send(anEvent());
    expect(Date.now() - started).toBeLessThan(1000);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toEqual({ error: 'queue_unavailable', message: expect.any(String) });
    const health = await request(app).get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'unhealthy', error: 'redis_unreachable' });

    restarted = await startRedisServer({ port: server.port, dir: server.dir });
    await waitUntil(async () => (await request(app).post('/webhook/events').send(anEvent())).status === 202);
    expect((await request(app).get('/health')).body.status).toBe('healthy');
  });

  it('answers 503 within a second when Redis hangs (SIGSTOP), and 202 again once it resumes', async () => {
    const live = restarted ?? server;
    live.process.kill('SIGSTOP');
    try {
      const started = Date.now();
      const refused = await request(app).post('/webhook/events').send(anEvent());
      expect(Date.now() - started).toBeLessThan(1000);
      expect(refused.status).toBe(503);
      expect(refused.body.error).toBe('queue_unavailable');
    } finally {
      live.process.kill('SIGCONT');
    }
    await waitUntil(async () => (await request(app).post('/webhook/events').send(anEvent())).status === 202);
  });
});
