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

withBackends('GET /admin/events/:event_id', (backend) => {
  // A receiver and, once started, a consumer whose analytics rule fails while `broken` is true.
  function pipeline(env: Record<string, string> = {}) {
    const h = receiverHarness(backend.redis, { DAY15_OPS_TOKEN: token, ...env });
    const rule = { broken: false };
    const consumer = createConsumer({
      config: h.config,
      queue: h.queue,
      logger: captureLogger().logger,
      consumerId: 'consumer-under-test',
      effectsFor: (event, context) => {
        if (rule.broken) throw new Error('pricing table missing');
        return effectsFor(event, context);
      },
    });
    const status = async (id: string) => (await request(h.ops).get(`/admin/events/${id}`).set(auth).expect(200)).body;
    return { ...h, rule, consumer, status };
  }

  it('when an event was posted, then it is queued; once a consumer acked it, processed by that consumer', async () => {
    const { app, consumer, status } = pipeline();
    const event = anEvent();
    await request(app).post('/webhook/events').send(event).expect(202);
    const queued = await status(String(event.event_id));
    expect(queued).toMatchObject({ event_id: event.event_id, status: 'queued', attempts: 0 });
    expect(queued.since).toBe(queued.enqueued_at);

    consumer.start();
    await waitUntil(async () => (await status(String(event.event_id))).status === 'processed');
    await consumer.stop();
    const processed = await status(String(event.event_id));
    expect(processed).toEqual({
      event_id: event.event_id,
      status: 'processed',
      since: expect.any(String),
      consumer: 'consumer-under-test',
      enqueued_at: queued.enqueued_at,
      latency_ms: Date.parse(processed.since) - Date.parse(queued.enqueued_at),
    });
    expect(processed.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('when an event failed for good, then it is dead with the reason; once purged, purged', async () => {
    const { app, ops, consumer, rule, status } = pipeline({ DAY15_MAX_RETRIES: '1' });
    rule.broken = true;
    consumer.start();
    const event = anEvent();
    await request(app).post('/webhook/events').send(event).expect(202);
    await waitUntil(async () => (await status(String(event.event_id))).status === 'dead');
    await consumer.stop();
    expect(await status(String(event.event_id))).toMatchObject({
      status: 'dead',
      attempts: 1,
      last_error: 'analytics rule failed: pricing table missing',
    });
    await request(ops)
      .delete(`/admin/dead-letters/${String(event.event_id)}`)
      .set(auth)
      .expect(200);
    expect(await status(String(event.event_id))).toMatchObject({ status: 'purged', since: expect.any(String) });
  });

  it('answers 200 unknown for an id the idempotency window does not know, and 401 without the credential', async () => {
    const { ops, status } = pipeline();
    expect(await status('evt_never_sent')).toEqual({ event_id: 'evt_never_sent', status: 'unknown' });
    const refused = await request(ops).get('/admin/events/evt_never_sent');
    expect([refused.status, refused.body.error]).toEqual([401, 'unauthorized']);
  });
});
