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
  const { ingest, ops } = receiverRoutes({
    config: harness.config,
    queue: harness.queue,
    logger: captureLogger().logger,
  });
  return { ...harness, endpoints: ingest.endpoints, opsEndpoints: ops.endpoints };
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

  it('answers 405 with Allow derived from the table for every other method on every endpoint path of each listener', async () => {
    const { app, ops, endpoints, opsEndpoints } = await tableAndApp();
    const listeners = [
      { listener: app, table: endpoints, paths: ['/webhook/events', '/webhook/batch', '/health', '/livez', '/readyz'] },
      { listener: ops, table: opsEndpoints, paths: ['/api/metrics', '/metrics', '/openapi.json'] },
    ];
    for (const { listener, table, paths } of listeners) {
      expect([...new Set(table.map((route) => route.path))]).toEqual(paths);
      for (const path of paths) {
        const allowed = table.filter((route) => route.path === path).map((route) => route.method);
        for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !allowed.includes(m as never))) {
          const res = await request(listener)[method.toLowerCase() as 'get'](path);
          expect([method, path, res.status, res.headers.allow, res.body]).toEqual([
            method,
            path,
            405,
            allowed.join(', '),
            { error: 'method_not_allowed', message: `Use ${allowed.join(', ')} ${path}` },
          ]);
        }
      }
    }
  });

  it('keeps the listeners apart: the ingest listener answers 404 to every ops path, the ops listener 404 to every ingest path', async () => {
    const { app, ops } = await tableAndApp();
    for (const path of ['/dashboard', '/api/metrics', '/metrics', '/admin/dead-letters', '/openapi.json', '/']) {
      const res = await request(app).get(path);
      expect([path, res.status, res.body.error]).toEqual([path, 404, 'not_found']);
    }
    for (const [method, path] of [
      ['post', '/webhook/events'],
      ['post', '/webhook/batch'],
      ['get', '/health'],
      ['get', '/readyz'],
    ] as const) {
      const res = await request(ops)[method](path).send(anEvent());
      expect([path, res.status, res.body.error]).toEqual([path, 404, 'not_found']);
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
