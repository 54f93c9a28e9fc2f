import { afterAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { loadConfig } from '../../../libs/config/index.js';
import { createQueue, openRedis, type OpenedRedis } from '../../../libs/queue/index.js';
import { mockRedis, uniquePrefix } from '../../../test/support/backends.js';
import { captureLogger } from '../../../test/support/capture-logger.js';
import { freePort } from '../../../tools/free-port.js';
import { startRedisServer, type RedisServer } from '../../../tools/redis-server.js';
import { waitUntil } from '../../../tools/wait.js';
import { createReceiverApp } from '../app.js';
import { anEvent, receiverHarness } from './receiver-harness.js';

describe('GET /livez and GET /readyz', () => {
  let server: RedisServer | undefined;
  let opened: OpenedRedis | undefined;
  afterAll(async () => {
    opened?.redis.disconnect();
    await server?.stop();
  });

  it('with Redis not started yet: alive, not ready, webhooks 503 and a warning naming the address; ready once Redis starts, without a restart', async () => {
    // Nothing listens on this port until the redis-server below starts there.
    const port = await freePort();
    const config = loadConfig({
      env: {
        DAY15_USE_MOCK_REDIS: 'false',
        DAY15_REDIS_URL: `redis://127.0.0.1:${port}`,
        DAY15_KEY_PREFIX: uniquePrefix(),
      },
      envFile: '/nonexistent/.env',
    });
    const warnings: string[] = [];
    opened = openRedis(config.redis, {
      onError: () => undefined,
      onWaiting: (message) => warnings.push(message),
      warnEveryMs: 100,
    });
    const app = createReceiverApp({
      config,
      queue: createQueue(opened.redis, config),
      logger: captureLogger().logger,
    }).ingest;

    const live = await request(app).get('/livez');
    expect([live.status, live.body]).toEqual([200, { status: 'alive' }]);
    const notReady = await request(app).get('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ status: 'not_ready', reason: 'redis_unreachable' });
    const refused = await request(app).post('/webhook/events').send(anEvent());
    expect([refused.status, refused.body.error, refused.headers['retry-after']]).toEqual([
      503,
      'queue_unavailable',
      '1',
    ]);
    await waitUntil(
      async () => warnings.length >= 2,
      15_000,
      () => warnings,
    );
    expect(warnings[0]).toContain(`Redis at redis://127.0.0.1:${port} is unreachable`);
    expect(warnings[0]).toContain('Hint: start Redis (redis-server), set DAY15_REDIS_EMBEDDED=true');

    server = await startRedisServer({ port });
    await waitUntil(async () => (await request(app).get('/readyz')).status === 200, 15_000, '/readyz 200');
    await opened.ready;
    expect((await request(app).get('/readyz')).body).toEqual({ status: 'ready' });
    await request(app).post('/webhook/events').send(anEvent()).expect(202);
  }, 60_000);

  it('answers /readyz 503 shutting_down from the moment a stop begins, while /livez stays 200', async () => {
    const shutdown = { stopping: false };
    const harness = receiverHarness(await mockRedis.connect());
    const app = createReceiverApp({ ...harness, logger: captureLogger().logger, shutdown }).ingest;
    await request(app).get('/readyz').expect(200, { status: 'ready' });
    shutdown.stopping = true;
    const res = await request(app).get('/readyz');
    expect([res.status, res.body]).toEqual([503, { status: 'not_ready', reason: 'shutting_down' }]);
    await request(app).get('/livez').expect(200, { status: 'alive' });
  });
});
