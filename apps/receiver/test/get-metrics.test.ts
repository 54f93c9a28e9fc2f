import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { backends } from '../../../test/support/backends.js';
import { anEvent, receiverHarness } from './receiver-harness.js';

describe.each(backends)('GET /api/metrics on $name', (backend) => {
  let redis: Redis;
  beforeAll(async () => {
    redis = await backend.connect();
  });
  afterAll(() => redis.disconnect());

  it('serves the metrics document with the queue as it is, cached for at most a second', async () => {
    let now = Date.parse('2026-11-26T14:30:00Z');
    const { app } = receiverHarness(redis, {}, () => now);
    const empty = await request(app).get('/api/metrics');
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ totals: { processed: 0, duplicates: 0 }, queue: { ready: 0 }, subscriptions: { mrr: 0 } });
    expect(empty.body.series.per_minute).toHaveLength(60);

    const event = anEvent();
    await request(app).post('/webhook/events').send(event).expect(202);
    await request(app).post('/webhook/events').send(event).expect(200);
    expect((await request(app).get('/api/metrics')).body.queue.ready).toBe(0);
    now += 1000;
    const fresh = await request(app).get('/api/metrics');
    expect(fresh.body).toMatchObject({ queue: { ready: 1 }, totals: { accepted: 1, duplicates: 1, received: 2 } });
  });
});
