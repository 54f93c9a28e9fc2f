import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { mockRedis, withBackends } from '../../../test/support/backends.js';
import { anEvent, receiverHarness } from './receiver-harness.js';

withBackends('POST /webhook/events', (backend) => {
  it('answers 202 with the queued time and latency once the event is durably queued, stamped with received_at', async () => {
    const { app, queue, logs } = receiverHarness(backend.redis);
    const event = anEvent();
    const res = await request(app).post('/webhook/events').send(event);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      status: 'accepted',
      event_id: event.event_id,
      queued_at: expect.any(String),
      latency_ms: expect.any(Number),
    });
    const [claim] = await queue.claim('test', 1, 1000);
    const stored = JSON.parse(claim!.body) as Record<string, unknown>;
    expect(stored).toEqual({ ...event, received_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) });
    expect(
      logs.some((line) => line.includes(`Event received: user_signup (${String(event.event_id)}) - latency: `)),
    ).toBe(true);
  });

  it('answers 200 ignored for an event_id seen within the idempotency TTL, queueing it once', async () => {
    const { app, queue } = receiverHarness(backend.redis);
    const event = anEvent();
    await request(app).post('/webhook/events').send(event).expect(202);
    const res = await request(app)
      .post('/webhook/events')
      .send({ ...event, metadata: { source: 'other' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ignored', reason: 'duplicate_event', event_id: event.event_id });
    expect((await queue.stats()).ready).toBe(1);
  });

  it('answers 400 malformed_json for a body that is not JSON', async () => {
    const { app, queue } = receiverHarness(backend.redis);
    const res = await request(app)
      .post('/webhook/events')
      .set('Content-Type', 'application/json')
      .send('{"event_id": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'malformed_json', message: expect.stringContaining('not valid JSON') });
    expect((await queue.stats()).ready).toBe(0);
  });

  it('answers 400 invalid_event with the path and message of each problem', async () => {
    const { app, queue } = receiverHarness(backend.redis);
    const res = await request(app)
      .post('/webhook/events')
      .send(anEvent({ event_type: 'subscription_created', metadata: { amount: '10' } }));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_event',
      details: [{ path: '/metadata/amount', message: 'must be number' }],
    });
    expect((await queue.stats()).ready).toBe(0);
  });

  it('answers 415 unsupported_media_type when the Content-Type is not JSON', async () => {
    const { app, queue } = receiverHarness(backend.redis);
    const res = await request(app)
      .post('/webhook/events')
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify(anEvent()));
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ error: 'unsupported_media_type' });
    expect((await queue.stats()).ready).toBe(0);
  });

  it('answers 413 payload_too_large naming the limit for a body over DAY15_MAX_EVENT_BYTES', async () => {
    const { app, queue } = receiverHarness(backend.redis, { DAY15_MAX_EVENT_BYTES: '1024' });
    const res = await request(app)
      .post('/webhook/events')
      .send(anEvent({ metadata: { note: 'x'.repeat(2000) } }));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'payload_too_large', limit_bytes: 1024 });
    expect((await queue.stats()).ready).toBe(0);
  });

  it('answers 503 backpressure with Retry-After and the depth when the ready backlog is at DAY15_MAX_QUEUE_DEPTH', async () => {
    const { app, queue } = receiverHarness(backend.redis, { DAY15_MAX_QUEUE_DEPTH: '2' });
    await request(app).post('/webhook/events').send(anEvent()).expect(202);
    await request(app).post('/webhook/events').send(anEvent()).expect(202);
    const res = await request(app).post('/webhook/events').send(anEvent());
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ error: 'backpressure', queue_depth: 2 });
    expect((await queue.stats()).ready).toBe(2);
  });

  it('accepts application/json with a charset and vendor +json types', async () => {
    const { app } = receiverHarness(backend.redis);
    await request(app)
      .post('/webhook/events')
      .set('Content-Type', 'application/json; charset=utf-8')
      .send(JSON.stringify(anEvent()))
      .expect(202);
    await request(app)
      .post('/webhook/events')
      .set('Content-Type', 'application/cloudevents+json')
      .send(JSON.stringify(anEvent()))
      .expect(202);
  });
});

describe('routing', () => {
  it('answers 405 with Allow for a wrong method and 404 JSON for an unknown path', async () => {
    const { app } = receiverHarness(await mockRedis.connect());
    const wrongMethod = await request(app).get('/webhook/events');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
    const unknown = await request(app).post('/webhook/nothing').send({});
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'not_found' });
  });
});
