import { expect, it } from '@jest/globals';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import request from 'supertest';
import { createConsumer } from '../../apps/consumer/consumer.js';
import { withBackends } from '../support/backends.js';
import { waitUntil } from '../../tools/wait.js';
import { captureLogger } from '../support/capture-logger.js';
import { anEvent, receiverHarness } from '../../apps/receiver/test/receiver-harness.js';

withBackends('GET /metrics (Prometheus)', (backend) => {
  it('exposes valid text format with pipeline numbers from Redis, including what a consumer processed', async () => {
    let now = Date.now();
    // A ready backlog of 1 is the most the receiver takes, so the test can draw a 503 backpressure answer.
    const { app, ops, config, queue } = receiverHarness(backend.redis, { DAY15_MAX_QUEUE_DEPTH: '1' }, () => now);
    await request(app)
      .post('/webhook/batch')
      .send({ events: [anEvent(), anEvent({ event_type: 'usage_tracked' }), { event_type: 'nope' }] })
      .expect(202);
    const consumer = createConsumer({ config, queue, logger: captureLogger().logger });
    consumer.start();
    await waitUntil(
      async () => (await queue.stats()).counters.acked === 2,
      20_000,
      async () => queue.stats(),
    );
    await consumer.stop();
    // The rejected event is counted off the request path, after the 202: wait for the count to land
    // instead of assuming the consumer took long enough.
    await waitUntil(
      async () => (await backend.redis.hget(queue.home.keys.intake, 'rejected:invalid')) === '1',
      10_000,
      async () => backend.redis.hgetall(queue.home.keys.intake),
    );
    // One event waits in the ready list (no consumer runs now); the next request finds the backlog full.
    const enqueuedBy = Date.now();
    await request(app)
      .post('/webhook/events')
      .send(anEvent({ event_type: 'usage_tracked' }))
      .expect(202);
    await request(app).post('/webhook/events').send(anEvent()).expect(503);
    now = Date.now() + 5000;

    const res = await request(ops).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(res.text);
    const family = (name: string) => families.find((f) => f.name === name);
    const value = (name: string, labels: Record<string, string> = {}) =>
      Number(family(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value);

    expect(family('day15_events_received_total')?.type).toBe('COUNTER');
    expect(value('day15_events_received_total', { type: 'user_signup', outcome: 'accepted' })).toBe(1);
    expect(value('day15_events_received_total', { type: 'invalid', outcome: 'rejected' })).toBe(1);
    expect(value('day15_events_processed_total', { type: 'usage_tracked' })).toBe(1);
    expect(value('day15_dead_letters')).toBe(0);
    expect(value('day15_queue_depth', { state: 'ready' })).toBe(1);
    expect(family('day15_queue_oldest_ready_age_seconds')?.type).toBe('GAUGE');
    // Read at `now`: the waiting event was enqueued between enqueuedBy and the read, so at least 5 s ago.
    const age = value('day15_queue_oldest_ready_age_seconds');
    expect(age).toBeGreaterThanOrEqual(5);
    expect(age).toBeLessThanOrEqual((now - enqueuedBy) / 1000 + 0.1);
    expect(family('day15_receiver_unavailable_total')?.type).toBe('COUNTER');
    expect(value('day15_receiver_unavailable_total', { reason: 'backpressure' })).toBe(1);
    expect(value('day15_receiver_unavailable_total', { reason: 'queue_unavailable' })).toBe(0);
    const latency = family('day15_processing_latency_seconds');
    expect(latency?.type).toBe('HISTOGRAM');
    expect(latency?.metrics[0]?.count).toBe('2');
    expect(latency?.metrics[0]?.buckets?.['+Inf']).toBe('2');
    expect(family('day15_receiver_process_resident_memory_bytes')?.type).toBe('GAUGE');
  });
});
