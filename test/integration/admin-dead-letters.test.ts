import { expect, it } from '@jest/globals';
import request from 'supertest';
import { createConsumer } from '../../apps/consumer/consumer.js';
import { anEvent, receiverHarness } from '../../apps/receiver/test/receiver-harness.js';
import { effectsFor } from '../../libs/analytics/index.js';
import { withBackends } from '../support/backends.js';
import { waitUntil } from '../../tools/wait.js';
import { captureLogger } from '../support/capture-logger.js';

const token = 'test-ops-token-0123456789';
const auth = { Authorization: `Bearer ${token}` };

withBackends('dead-letter admin API', (backend) => {
  // Events whose analytics rule fails while `broken` is true end in the dead letters after one attempt.
  async function withDeadLetters(count: number) {
    const h = receiverHarness(backend.redis, { DAY15_OPS_TOKEN: token, DAY15_MAX_RETRIES: '1' });
    let broken = true;
    const consumer = createConsumer({
      config: h.config,
      queue: h.queue,
      logger: captureLogger().logger,
      effectsFor: (event, context) => {
        if (broken) throw new Error('pricing table missing');
        return effectsFor(event, context);
      },
    });
    consumer.start();
    const events = Array.from({ length: count }, () => anEvent());
    await request(h.app).post('/webhook/batch').send({ events }).expect(202);
    await waitUntil(async () => (await h.queue.stats()).dead === count);
    broken = false;
    return { ...h, consumer, events };
  }

  it('lists dead letters with event, error, attempts and failure times, page by page', async () => {
    const { ops, consumer, events } = await withDeadLetters(3);
    const res = await request(ops).get('/admin/dead-letters?limit=2&offset=1').set(auth);
    await consumer.stop();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 3, offset: 1, limit: 2 });
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items[0]).toMatchObject({
      error: 'analytics rule failed: pricing table missing',
      attempts: 1,
      first_failed_at: expect.any(String),
      last_failed_at: expect.any(String),
      dead_at: expect.any(String),
    });
    expect(events.map((e) => e.event_id)).toContain(res.body.items[0].event.event_id);
  });

  it('replays chosen dead letters, and then all, each processed exactly once', async () => {
    const { ops, consumer, queue, events } = await withDeadLetters(3);
    const first = String(events[0]!.event_id);
    expect(
      (
        await request(ops)
          .post('/admin/dead-letters/replay')
          .set(auth)
          .send({ event_ids: [first, 'unknown'] })
      ).body,
    ).toEqual({ replayed: 1 });
    expect(
      (
        await request(ops)
          .post('/admin/dead-letters/replay')
          .set(auth)
          .send({ event_ids: [first] })
      ).body,
    ).toEqual({ replayed: 0 });
    expect((await request(ops).post('/admin/dead-letters/replay').set(auth).send({ all: true })).body).toEqual({
      replayed: 2,
    });
    await waitUntil(async () => (await queue.stats()).counters.acked === 3);
    await consumer.stop();
    const metrics = await request(ops).get('/api/metrics').set(auth);
    expect(metrics.body.signups.total).toBe(3);
    expect(metrics.body.queue).toEqual({ ready: 0, in_flight: 0, delayed: 0, dead: 0, oldest_ready_age_s: 0 });
  });

  it('purges one dead letter, and answers 404 for one that is not there', async () => {
    const { ops, consumer, events } = await withDeadLetters(1);
    await consumer.stop();
    const id = String(events[0]!.event_id);
    expect((await request(ops).delete(`/admin/dead-letters/${id}`).set(auth)).body).toEqual({ purged: 1 });
    const again = await request(ops).delete(`/admin/dead-letters/${id}`).set(auth);
    expect(again.status).toBe(404);
    expect(again.body.error).toBe('not_found');
  });

  it('refuses a missing or wrong token with 401 and a malformed replay request with 400', async () => {
    const { ops } = receiverHarness(backend.redis, { DAY15_OPS_TOKEN: token });
    expect((await request(ops).get('/admin/dead-letters')).status).toBe(401);
    const wrong = await request(ops)
      .get('/admin/dead-letters')
      .set({ Authorization: `Bearer ${token}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('unauthorized');
    expect(
      (await request(ops).post('/admin/dead-letters/replay').set({ Authorization: 'Bearer nope' }).send({ all: true }))
        .status,
    ).toBe(401);
    const neither = await request(ops).post('/admin/dead-letters/replay').set(auth).send({});
    expect(neither.status).toBe(400);
    expect((await request(ops).get('/admin/dead-letters?limit=0').set(auth)).status).toBe(400);
    const malformedId = await request(ops).delete('/admin/dead-letters/%E0%A4%A').set(auth);
    expect(malformedId.status).toBe(400);
    expect(malformedId.body.error).toBe('bad_request');
  });

  it('answers on the loopback ops listener without credentials when DAY15_OPS_TOKEN is unset', async () => {
    const { ops } = receiverHarness(backend.redis);
    const res = await request(ops).get('/admin/dead-letters');
    expect([res.status, res.body.total]).toEqual([200, 0]);
    expect((await request(ops).post('/admin/dead-letters/replay').send({ all: true })).body).toEqual({ replayed: 0 });
  });
});
