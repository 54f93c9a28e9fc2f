import { expect, it } from '@jest/globals';
import request from 'supertest';
import { withRealRedis } from '../../../test/support/backends.js';
import { anEvent, receiverHarness } from './receiver-harness.js';

// The test Redis has no replica, so a WAIT for one always times out: the answer must then be 503, never 202.
withRealRedis('the receiver with DAY15_REDIS_WAIT_REPLICAS=1 and no replica confirming', (backend) => {
  it('answers 503 replication_timeout with Retry-After instead of 202, and counts it by reason on /metrics', async () => {
    const { app, ops } = receiverHarness(backend.redis, {
      DAY15_USE_MOCK_REDIS: 'false',
      DAY15_REDIS_WAIT_REPLICAS: '1',
      DAY15_REDIS_WAIT_TIMEOUT_MS: '50',
    });
    const res = await request(app).post('/webhook/events').send(anEvent());
    expect([res.status, res.body.error, res.headers['retry-after']]).toEqual([503, 'replication_timeout', '1']);
    const batch = await request(app)
      .post('/webhook/batch')
      .send({ events: [anEvent(), anEvent()] });
    expect([batch.status, batch.body.error]).toEqual([503, 'replication_timeout']);
    const metrics = await request(ops).get('/metrics');
    expect(metrics.text).toMatch(/day15_receiver_unavailable_total\{reason="replication_timeout"\} 2/);
  });
});
