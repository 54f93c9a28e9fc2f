import { expect, it } from '@jest/globals';
import request from 'supertest';
import { withBackends } from '../../../test/support/backends.js';
import { anEvent, receiverHarness } from './receiver-harness.js';

withBackends('GET /health', (backend) => {
  it('reports healthy with the mode, queue depths and uptime', async () => {
    const useMock = backend.name === 'ioredis-mock' ? 'true' : 'false';
    const { app } = receiverHarness(backend.redis, { DAY15_USE_MOCK_REDIS: useMock });
    await request(app)
      .post('/webhook/batch')
      .send({ events: [anEvent(), anEvent()] })
      .expect(202);
    const res = await request(app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'healthy',
      mode: useMock === 'true' ? 'memory' : 'redis',
      queue_depth: 2,
      in_flight: 0,
      delayed: 0,
      dead_letters: 0,
      uptime_s: expect.any(Number),
    });
  });
});
