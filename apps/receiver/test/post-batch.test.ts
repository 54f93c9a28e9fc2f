import { expect, it } from '@jest/globals';
import request from 'supertest';
import { withBackends } from '../../../test/support/backends.js';
import { anEvent, receiverHarness } from './receiver-harness.js';

withBackends('POST /webhook/batch', (backend) => {
  it('queues 20 valid events in one request and reports them all accepted', async () => {
    const { app, queue } = receiverHarness(backend.redis);
    const events = Array.from({ length: 20 }, () => anEvent());
    const res = await request(app).post('/webhook/batch').send({ events });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      status: 'processed',
      total_events: 20,
      results: { accepted: 20, duplicates: 0, errors: 0 },
      rejected: [],
      latency_ms: expect.any(Number),
    });
    expect((await queue.stats()).ready).toBe(20);
  });

  it('gives each event of a mixed batch its own verdict: valid, invalid, duplicate, repeated inside the batch', async () => {
    const { app, queue } = receiverHarness(backend.redis);
    const earlier = anEvent();
    await request(app).post('/webhook/events').send(earlier).expect(202);
    const fresh = anEvent();
    const res = await request(app)
      .post('/webhook/batch')
      .send({
        events: [fresh, { ...anEvent(), event_type: 'nope' }, earlier, fresh, 'not an object'],
      });
    expect(res.status).toBe(202);
    expect(res.body.results).toEqual({ accepted: 1, duplicates: 2, errors: 2 });
    expect(res.body.rejected).toEqual([
      {
        index: 1,
        event_id: expect.any(String),
        error: 'invalid_event',
        details: [{ path: '/event_type', message: expect.stringMatching(/^must be one of: /) }],
      },
      { index: 4, event_id: null, error: 'invalid_event', details: [{ path: '', message: 'must be object' }] },
    ]);
    expect((await queue.stats()).ready).toBe(2);
  });

  it('answers 400 with the rejected list when every event is invalid, queueing nothing', async () => {
    const { app, queue } = receiverHarness(backend.redis);
    const res = await request(app)
      .post('/webhook/batch')
      .send({ events: [{ event_id: 'x' }, anEvent({ timestamp: 'soon' })] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: 'invalid_events',
      total_events: 2,
      results: { accepted: 0, duplicates: 0, errors: 2 },
    });
    expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual([0, 1]);
    expect((await queue.stats()).ready).toBe(0);
  });

  it.each([
    ['a missing events field', {}],
    ['an empty events array', { events: [] }],
    ['events that is not an array', { events: { a: 1 } }],
    ['a body that is an array', [anEvent()]],
    ['an unknown envelope field', { events: [anEvent()], extra: true }],
  ])('answers 400 invalid_batch for %s', async (_label, body) => {
    const { app, queue } = receiverHarness(backend.redis);
    const res = await request(app)
      .post('/webhook/batch')
      .send(body as object);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_batch', message: expect.any(String) });
    expect((await queue.stats()).ready).toBe(0);
  });

  it('answers 413 over DAY15_MAX_BATCH_EVENTS and over DAY15_MAX_BATCH_BYTES', async () => {
    const { app, queue } = receiverHarness(backend.redis, {
      DAY15_MAX_BATCH_EVENTS: '3',
      DAY15_MAX_BATCH_BYTES: '2048',
    });
    const tooMany = await request(app)
      .post('/webhook/batch')
      .send({ events: [anEvent(), anEvent(), anEvent(), anEvent()] });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body).toMatchObject({ error: 'payload_too_large', limit_events: 3 });
    const tooBig = await request(app)
      .post('/webhook/batch')
      .send({ events: [anEvent({ metadata: { note: 'x'.repeat(3000) } })] });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ error: 'payload_too_large', limit_bytes: 2048 });
    expect((await queue.stats()).ready).toBe(0);
  });
});
