import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { loadConfig } from '../../../libs/config/index.js';
import { connectRedis, createQueue, type RedisClient } from '../../../libs/queue/index.js';
import { uniquePrefix } from '../../../test/support/backends.js';
import { captureLogger } from '../../../test/support/capture-logger.js';
import { startRedisServer, type RedisServer } from '../../../tools/redis-server.js';
import { waitUntil } from '../../../tools/wait.js';
import { createReceiverApp, type ReceiverListeners } from '../app.js';
import { anEvent } from './receiver-harness.js';

const opsToken = 'outage-ops-token-0123456789';
const admin = { Authorization: `Bearer ${opsToken}` };

// Every route that touches Redis, as the production listeners serve them.
const routes: { name: string; send: (app: ReceiverListeners) => request.Test }[] = [
  { name: 'POST /webhook/events', send: (app) => request(app.ingest).post('/webhook/events').send(anEvent()) },
  {
    name: 'POST /webhook/batch',
    send: (app) =>
      request(app.ingest)
        .post('/webhook/batch')
        .send({ events: [anEvent()] }),
  },
  {
    name: 'GET /admin/dead-letters (list and count)',
    send: (app) => request(app.ops).get('/admin/dead-letters').set(admin),
  },
  {
    name: 'POST /admin/dead-letters/replay (ids)',
    send: (app) =>
      request(app.ops)
        .post('/admin/dead-letters/replay')
        .set(admin)
        .send({ event_ids: ['evt_x'] }),
  },
  {
    name: 'POST /admin/dead-letters/replay (all)',
    send: (app) => request(app.ops).post('/admin/dead-letters/replay').set(admin).send({ all: true }),
  },
  {
    name: 'DELETE /admin/dead-letters/:id (purge)',
    send: (app) => request(app.ops).delete('/admin/dead-letters/evt_x').set(admin),
  },
  { name: 'GET /admin/events/:id (status)', send: (app) => request(app.ops).get('/admin/events/evt_x').set(admin) },
  { name: 'GET /api/metrics', send: (app) => request(app.ops).get('/api/metrics?window=24h').set(admin) },
  { name: 'GET /metrics', send: (app) => request(app.ops).get('/metrics').set(admin) },
];

// What each route answers once Redis is back (the dead-letter ids above do not exist).
const healthyStatus: Record<string, number> = {
  'POST /webhook/events': 202,
  'POST /webhook/batch': 202,
  'DELETE /admin/dead-letters/:id (purge)': 404,
};

// A stopped Redis refuses connections at once, so the 503 is immediate and one second is ample slack. A
// hung Redis (SIGSTOP) is only detected by the 750 ms command timeout; the extra slack is for a busy
// 2-core machine, where the timer itself can fire late.
const stoppedDeadlineMs = 1000;
const hungDeadlineMs = 2500;

describe('receiver during a Redis outage (private redis-server stopped, hung and restarted)', () => {
  let server: RedisServer;
  let restarted: RedisServer | undefined;
  let redis: RedisClient;
  let app: ReturnType<typeof createReceiverApp>;
  // Advances a minute per read, so the 1 s metrics cache never hides an outage from a route.
  let now = Date.now();
  const clock = () => (now += 60_000);

  beforeAll(async () => {
    server = await startRedisServer();
    const config = loadConfig({
      env: {
        DAY15_USE_MOCK_REDIS: 'false',
        DAY15_REDIS_URL: server.url,
        DAY15_KEY_PREFIX: uniquePrefix(),
        DAY15_OPS_TOKEN: opsToken,
      },
      envFile: '/nonexistent/.env',
    });
    redis = await connectRedis(config.redis, { onError: () => undefined });
    app = createReceiverApp({ config, queue: createQueue(redis, config), logger: captureLogger().logger, clock });
  });
  afterAll(async () => {
    redis.disconnect();
    await restarted?.stop();
    await server.stop();
  });

  async function expectEveryRouteUnavailable(deadlineMs: number): Promise<void> {
    const wrong: string[] = [];
    await Promise.all(
      routes.map(async (route) => {
        const started = Date.now();
        const res = await route.send(app);
        const tookMs = Date.now() - started;
        const answer = `${res.status} ${res.body?.error} Retry-After=${res.headers['retry-after']} in ${tookMs} ms`;
        if (
          res.status !== 503 ||
          res.body?.error !== 'queue_unavailable' ||
          res.headers['retry-after'] !== '1' ||
          tookMs > deadlineMs
        ) {
          wrong.push(`${route.name}: ${answer}`);
        }
      }),
    );
    expect(wrong).toEqual([]);
  }

  async function expectEveryRouteRecovers(): Promise<void> {
    for (const route of routes) {
      const expected = healthyStatus[route.name] ?? 200;
      let last = '';
      await waitUntil(async () => {
        const res = await route.send(app);
        last = `${res.status} ${JSON.stringify(res.body)}`;
        return res.status === expected;
      }, 15_000).catch((error: unknown) => {
        throw new Error(`${route.name} did not answer ${expected} after Redis came back; last answer: ${last}`, {
          cause: error,
        });
      });
    }
  }

  it('answers 503 queue_unavailable with Retry-After on every Redis route within a second, reports unhealthy, and recovers without a restart', async () => {
    await request(app.ingest).post('/webhook/events').send(anEvent()).expect(202);

    await server.stop({ keepData: true });
    await expectEveryRouteUnavailable(stoppedDeadlineMs);
    const refused = await request(app.ingest).post('/webhook/events').send(anEvent());
    expect(refused.body).toEqual({ error: 'queue_unavailable', message: expect.any(String) });
    const health = await request(app.ingest).get('/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'unhealthy', error: 'redis_unreachable' });

    restarted = await startRedisServer({ port: server.port, dir: server.dir });
    await expectEveryRouteRecovers();
    expect((await request(app.ingest).get('/health')).body.status).toBe('healthy');
  }, 60_000);

  it('answers 503 on every Redis route within the command timeout when Redis hangs (SIGSTOP), and recovers once it resumes', async () => {
    const live = restarted ?? server;
    live.process.kill('SIGSTOP');
    try {
      await expectEveryRouteUnavailable(hungDeadlineMs);
    } finally {
      live.process.kill('SIGCONT');
    }
    await expectEveryRouteRecovers();
  }, 60_000);
});
