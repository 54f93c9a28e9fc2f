import { expect, it } from '@jest/globals';
import request from 'supertest';
import { withBackends } from '../../../test/support/backends.js';
import { waitUntil } from '../../../tools/wait.js';
import { anEvent, receiverHarness } from './receiver-harness.js';

withBackends('GET /api/metrics', (backend) => {
  it('serves the metrics document with the queue as it is, cached for at most a second', async () => {
    let now = Date.parse('2026-11-26T14:30:00Z');
    const { app, ops } = receiverHarness(backend.redis, {}, () => now);
    const empty = await request(ops).get('/api/metrics');
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({
      totals: { processed: 0, duplicates: 0 },
      queue: { ready: 0 },
      subscriptions: { mrr: 0 },
    });
    expect(empty.body.series.per_minute).toHaveLength(60);

    const event = anEvent();
    await request(app).post('/webhook/events').send(event).expect(202);
    await request(app).post('/webhook/events').send(event).expect(200);
    expect((await request(ops).get('/api/metrics')).body.queue.ready).toBe(0);
    now += 1000;
    const fresh = await request(ops).get('/api/metrics');
    expect(fresh.body).toMatchObject({ queue: { ready: 1 }, totals: { accepted: 1, duplicates: 1, received: 2 } });
  });

  it('counts intake by outcome and event type, including rejected events', async () => {
    const { app, ops, queue } = receiverHarness(backend.redis);
    const event = anEvent({ event_type: 'usage_tracked' });
    await request(app).post('/webhook/events').send(event).expect(202);
    await request(app).post('/webhook/events').send(event).expect(200);
    await request(app)
      .post('/webhook/events')
      .send(anEvent({ timestamp: 'never' }))
      .expect(400);
    await request(app)
      .post('/webhook/batch')
      .send({ events: [anEvent(), { event_type: 'bogus' }] })
      .expect(202);
    // Rejected events are counted off the request path (the 400 and 202 above are sent first): wait for
    // both counts to land in Redis rather than for a fixed time. Read from Redis directly, so the wait
    // does not fill the 1 s metrics cache of the route under test.
    await waitUntil(
      async () => {
        const intake = await backend.redis.hgetall(queue.home.keys.intake);
        return intake['rejected:user_signup'] === '1' && intake['rejected:invalid'] === '1';
      },
      10_000,
      async () => backend.redis.hgetall(queue.home.keys.intake),
    );
    const res = await request(ops).get('/api/metrics?window=24h');
    expect(res.body.pipeline.intake).toEqual({
      accepted: { usage_tracked: 1, user_signup: 1 },
      duplicate: { usage_tracked: 1 },
      rejected: { user_signup: 1, invalid: 1 },
    });
    expect(res.body.series.per_hour).toHaveLength(24);
  });

  it('answers 400 invalid_window for an unknown window', async () => {
    const { ops } = receiverHarness(backend.redis);
    const res = await request(ops).get('/api/metrics?window=1y');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_window', message: 'window must be one of: 1h, 24h, 7d' });
  });
});
