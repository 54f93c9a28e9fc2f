import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { mockRedis } from '../../../test/support/backends.js';
import { captureLogger } from '../../../test/support/capture-logger.js';
import { receiverRoutes, type NodeRoute } from '../route-table.js';
import { nodeDispatch } from '../routing.js';
import { anEvent, receiverHarness } from './receiver-harness.js';

async function tableAndApp() {
  const harness = receiverHarness(await mockRedis.connect());
  const { endpoints } = receiverRoutes({
    config: harness.config,
    queue: harness.queue,
    logger: captureLogger().logger,
  });
  return { ...harness, endpoints };
}

describe('the route table', () => {
  it('dispatches exactly the webhook POSTs (query string aside) to their node:http listeners, and nothing else', async () => {
    const { endpoints } = await tableAndApp();
    const dispatch = nodeDispatch(endpoints);
    const listener = (path: string) => (endpoints.find((route) => route.path === path) as NodeRoute).node;
    const req = (method: string, url: string) => ({ method, url }) as IncomingMessage;
    expect(dispatch(req('POST', '/webhook/events'))).toBe(listener('/webhook/events'));
    expect(dispatch(req('POST', '/webhook/batch?source=test'))).toBe(listener('/webhook/batch'));
    for (const [method, url] of [
      ['GET', '/webhook/events'],
      ['POST', '/webhook/events/'],
      ['POST', '/webhook'],
      ['GET', '/health'],
      ['POST', '/health'],
    ]) {
      expect(dispatch(req(method!, url!))).toBeUndefined();
    }
  });

  it('answers 405 with Allow derived from the table for every other method on every endpoint path', async () => {
    const { app, endpoints } = await tableAndApp();
    const paths = [...new Set(endpoints.map((route) => route.path))];
    expect(paths).toEqual([
      '/webhook/events',
      '/webhook/batch',
      '/health',
      '/livez',
      '/readyz',
      '/api/metrics',
      '/metrics',
    ]);
    for (const path of paths) {
      const allowed = endpoints.filter((route) => route.path === path).map((route) => route.method);
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !allowed.includes(m as never))) {
        const res = await request(app)[method.toLowerCase() as 'get'](path);
        expect([method, path, res.status, res.headers.allow, res.body]).toEqual([
          method,
          path,
          405,
          allowed.join(', '),
          { error: 'method_not_allowed', message: `Use ${allowed.join(', ')} ${path}` },
        ]);
      }
    }
  });

  it('serves the webhook paths Express matches loosely (trailing slash, letter case) with the same handlers', async () => {
    const { app, queue } = await tableAndApp();
    const event = await request(app).post('/webhook/events/').send(anEvent());
    expect(event.status).toBe(202);
    expect(event.body).toMatchObject({ status: 'accepted' });
    const batch = await request(app)
      .post('/WEBHOOK/BATCH')
      .send({ events: [anEvent()] });
    expect(batch.status).toBe(202);
    expect(batch.body).toMatchObject({ status: 'processed', results: { accepted: 1 } });
    expect((await queue.stats()).ready).toBe(2);
  });
});
