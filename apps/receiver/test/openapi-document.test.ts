import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { Router } from 'express';
import request from 'supertest';
import { mockRedis } from '../../../test/support/backends.js';
import { captureLogger } from '../../../test/support/capture-logger.js';
import { validateEvent } from '../../../libs/events/index.js';
import { openApiDocument } from '../openapi/openapi-document.js';
import { receiverRoutes, type RouteTable } from '../route-table.js';
import { getOpenApi } from '../routes/get-openapi.js';
import {
  documentedExchanges,
  documentedOperations,
  pointer,
  requestExampleNames,
  responseSchemaAt,
  schemaChecker,
  statusesOf,
} from './openapi-exchanges.js';
import { anEvent, receiverHarness } from './receiver-harness.js';

const servers = { ingestUrl: 'http://localhost:5015', opsUrl: 'http://127.0.0.1:5016' };
const limits = { maxEventBytes: 65536, maxBatchEvents: 1000, maxBatchBytes: 5242880 };
const doc = openApiDocument(servers, limits);
const check = schemaChecker(doc);
const operations = documentedOperations(doc);

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document, references included (@seriousme/openapi-schema-validator)', async () => {
    const validator = new Validator();
    expect(await validator.validate(doc)).toEqual({ valid: true });
    expect(validator.version).toBe('3.1');
  });

  it('serves the ingest paths on the ingest listener and the ops paths, behind both credentials, on the ops listener', () => {
    const byServer = (url: string) => operations.filter((o) => o.server === url).map((o) => `${o.method} ${o.path}`);
    expect(byServer(servers.ingestUrl)).toEqual([
      'POST /webhook/events',
      'POST /webhook/batch',
      'GET /health',
      'GET /livez',
      'GET /readyz',
    ]);
    expect(byServer(servers.opsUrl)).toHaveLength(operations.length - 5);
    for (const { operation, server } of operations) {
      const security = server === servers.opsUrl ? [{ opsBearer: [] }, { opsBasic: [] }] : undefined;
      expect(operation.security).toEqual(security);
      if (security) expect(Object.keys(operation.responses as object)).toContain('401');
    }
    expect((doc.components as { securitySchemes: unknown }).securitySchemes).toMatchObject({
      opsBearer: { type: 'http', scheme: 'bearer' },
      opsBasic: { type: 'http', scheme: 'basic' },
    });
  });

  it('documents exactly the endpoints the route tables serve, each on its own listener', async () => {
    const harness = receiverHarness(await mockRedis.connect());
    const tables = receiverRoutes({ config: harness.config, queue: harness.queue, logger: captureLogger().logger });
    const documented = (url: string) =>
      operations.filter((o) => o.server === url).map((o) => `${o.method} ${o.path.replace(/\{(\w+)\}/g, ':$1')}`);
    for (const [table, url] of [
      [tables.ingest, servers.ingestUrl],
      [tables.ops, servers.opsUrl],
    ] as const) {
      const served = servedRoutes(table);
      expect(documented(url).filter((route) => !served.includes(route))).toEqual([]);
      // Every endpoint of the table is documented (routers also serve assets, e.g. the dashboard's files).
      expect(table.endpoints.map((e) => `${e.method} ${e.path}`).filter((e) => !documented(url).includes(e))).toEqual(
        [],
      );
    }
  });

  it('ties each request example to exactly one response example of the same name', () => {
    for (const { method, path, operation } of operations) {
      for (const name of requestExampleNames(operation)) {
        expect([method, path, name, statusesOf(operation, name).length]).toEqual([method, path, name, 1]);
      }
    }
    expect(documentedExchanges(doc).filter((e) => e.name !== undefined).length).toBeGreaterThanOrEqual(20);
  });

  it('has response examples that fit their schemas, for every status and media type', () => {
    let checked = 0;
    for (const { method, path, operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses as Record<string, Content>)) {
        for (const [mediaType, media] of Object.entries(response.content)) {
          for (const [name, example] of Object.entries(media.examples ?? {})) {
            const at = responseSchemaAt(path, method, status, mediaType);
            expect({ at, name, errors: check(at, example.value) }).toEqual({ at, name, errors: undefined });
            checked += 1;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it('has request examples that fit the request schema when answered 2xx and break it when refused', () => {
    for (const exchange of documentedExchanges(doc)) {
      if (exchange.body === undefined) continue;
      const at = pointer('paths', exchange.path, exchange.method.toLowerCase(), 'requestBody');
      const errors = check(pointer(at, 'content', 'application/json', 'schema'), exchange.body);
      const label = `${exchange.method} ${exchange.path} ${exchange.name} (${exchange.status})`;
      // A batch whose every entry is invalid is still a valid envelope: its entries are judged one by one.
      const entriesRefused = (exchange.example as { error?: string } | undefined)?.error === 'invalid_events';
      if (exchange.status < 300) expect([label, errors]).toEqual([label, undefined]);
      else if (!entriesRefused) expect([label, errors]).not.toEqual([label, undefined]);
    }
  });

  it('describes events with the schemas of the contract: its Event schema agrees with validateEvent', () => {
    const samples = JSON.parse(readFileSync('data/day15_sample_events.json', 'utf8')) as Record<string, unknown>[];
    const deep = (depth: number): unknown => (depth === 0 ? 'x' : { a: deep(depth - 1) });
    const candidates: unknown[] = [
      ...samples,
      ...Array.from({ length: 20 }, () => anEvent()),
      ...samples.map((event) => ({ ...event, metadata: { ...(event.metadata as object), amount: -1 } })),
      ...samples.map((event) => ({ ...event, metadata: { ...(event.metadata as object), quantity: 1.5 } })),
      ...samples.map((event) => ({ ...event, metadata: { nested: deep(3) } })),
      ...samples.map((event) => ({ ...event, metadata: { nested: deep(4) } })),
      { ...samples[0], metadata: { email: 'not an address' } },
      { ...samples[0], event_type: 'user_deleted' },
      { ...samples[0], surprise: true },
      { ...samples[0], timestamp: '26/11/2026' },
      { event_id: 'evt_1', event_type: 'user_signup' },
      [],
      'text',
    ];
    const eventSchema = pointer('components', 'schemas', 'Event');
    const verdicts = candidates.map((c) => [c, check(eventSchema, c) === undefined]);
    expect(verdicts).toEqual(candidates.map((c) => [c, validateEvent(c).ok]));
    expect(verdicts.filter(([, ok]) => ok).length).toBeGreaterThan(20);
    expect(verdicts.filter(([, ok]) => !ok).length).toBeGreaterThan(15);
  });

  it('names the running limits: the batch schema takes at most DAY15_MAX_BATCH_EVENTS events', () => {
    const small = schemaChecker(openApiDocument(servers, { ...limits, maxBatchEvents: 2 }));
    const batch = pointer('components', 'schemas', 'BatchRequest');
    expect(small(batch, { events: [1, 2] })).toBeUndefined();
    expect(small(batch, { events: [1, 2, 3] })).toBeDefined();
  });

  it('is answered as JSON by GET /openapi.json, with the servers the listeners have', async () => {
    const express = (await import('express')).default;
    const app = express();
    let urls = servers;
    app.get(
      '/openapi.json',
      getOpenApi(() => urls, limits),
    );
    const first = await request(app).get('/openapi.json');
    expect([first.status, first.type, first.body]).toEqual([200, 'application/json', doc]);
    urls = { ...servers, ingestUrl: 'http://localhost:40001' };
    const second = await request(app).get('/openapi.json');
    expect(second.body.paths['/health'].servers).toEqual([
      { url: 'http://localhost:40001', description: 'ingest listener' },
    ]);
  });
});

type Content = { content: Record<string, { examples?: Record<string, { value: unknown }> }> };

/** `METHOD /path` of every route a table serves: its endpoints and its routers' own routes. */
function servedRoutes({ endpoints, routers }: RouteTable): string[] {
  const routed = (router: Router) =>
    (router.stack as unknown as { route?: { path: string; methods: Record<string, boolean> } }[]).flatMap((layer) =>
      layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`) : [],
    );
  return [...endpoints.map((e) => `${e.method} ${e.path}`), ...routers.flatMap(routed)];
}
