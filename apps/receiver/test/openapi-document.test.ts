import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { Router } from 'express';
import request from 'supertest';
import { mockRedis } from '../../../test/support/backends.js';
import { captureLogger } from '../../../test/support/capture-logger.js';
import { decodeSecret, validateEvent, verifySignature } from '../../../libs/events/index.js';
import { openApiDocument } from '../openapi/openapi-document.js';
import { receiverRoutes, type RouteTable } from '../route-table.js';
import { getOpenApi } from '../routes/get-openapi.js';
import { buildOperation } from '../openapi/build-operation.js';
import type { JsonObject, OperationSpec } from '../openapi/openapi-types.js';
import {
  allExampleNames,
  documentedExchanges,
  documentedOperations,
  pointer,
  requestExampleNames,
  responseExample,
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
const minimalSpec: OperationSpec = {
  operationId: 'op',
  summary: 'An operation',
  responses: { 200: { description: 'OK', schema: {} } },
};

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
      for (const name of allExampleNames(operation)) {
        expect([method, path, name, statusesOf(operation, name).length]).toEqual([method, path, name, 1]);
      }
    }
    expect(documentedExchanges(doc).filter((e) => e.name !== undefined).length).toBeGreaterThanOrEqual(20);
  });

  it('gives every example its request: parts (body, parameters) or the mark that it is sent bare, never both', () => {
    const withoutRequest: string[] = [];
    for (const { method, path, operation } of operations) {
      for (const name of allExampleNames(operation)) {
        const hasParts = requestExampleNames(operation).includes(name);
        const plain = responseExample(operation, name)?.['x-day15-request']?.plain === true;
        if (hasParts === plain) withoutRequest.push(`${method} ${path} ${name}`);
      }
    }
    expect(withoutRequest).toEqual([]);
    expect(() =>
      buildOperation(
        { ...minimalSpec, examples: { lost: { summary: 'An answer only', status: 200, response: {} } } },
        [],
      ),
    ).toThrow('Example op/lost has no request parts');
  });

  it('names in each operation the receiver conditions its examples need, each with one set of DAY15_* settings', () => {
    const settings = new Map<string, unknown>();
    for (const exchange of documentedExchanges(doc)) {
      const { receiver } = exchange;
      if (!receiver) continue;
      expect(String(exchange.operation.description)).toContain(`\`${receiver.name}\`: ${receiver.description}`);
      expect(Object.keys(receiver.settings).every((name) => name.startsWith('DAY15_'))).toBe(true);
      expect(settings.get(receiver.name) ?? receiver.settings).toEqual(receiver.settings);
      settings.set(receiver.name, receiver.settings);
    }
    expect([...settings.keys()].sort()).toEqual(['queue_full', 'redis_unreachable', 'signed', 'small_limits']);
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

  it('has request bodies that fit their schema unless the body itself is refused', () => {
    for (const exchange of documentedExchanges(doc)) {
      if (exchange.body === undefined) continue;
      const at = pointer('paths', exchange.path, exchange.method.toLowerCase(), 'requestBody');
      const errors = check(pointer(at, 'content', exchange.bodyType!, 'schema'), exchange.body);
      const label = `${exchange.method} ${exchange.path} ${exchange.name} (${exchange.status})`;
      // Refused for something other than the body: its signature headers, its media type (415), the missing ops
      // credential or the receiver's condition. The body is then a good one, so that reason alone explains the answer.
      const refusedElsewhere =
        Object.keys(exchange.params.header).length > 0 ||
        exchange.status === 401 ||
        exchange.status === 415 ||
        exchange.receiver !== undefined;
      // A batch whose every entry is invalid is still a valid envelope: its entries are judged one by one.
      const entriesRefused = (exchange.example as { error?: string } | undefined)?.error === 'invalid_events';
      if (exchange.status < 300 || refusedElsewhere) expect([label, errors]).toEqual([label, undefined]);
      else if (!entriesRefused) expect([label, errors]).not.toEqual([label, undefined]);
    }
  });

  it('signs its signed examples for real: each signature verifies under its receiver secret at its timestamp', () => {
    const signed = documentedExchanges(doc).filter((e) => e.params.header['webhook-signature'] !== undefined);
    expect(signed.map((e) => `${e.path} ${e.name}`)).toEqual([
      '/webhook/events stale_timestamp',
      '/webhook/batch stale_timestamp',
    ]);
    for (const { params, receiver, body } of signed) {
      const { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature } = params.header;
      const keys = receiver!.settings.DAY15_WEBHOOK_SECRETS!.split(',').map(decodeSecret);
      const atSigning = { keys, toleranceMs: 1000, now: Number(timestamp) * 1000 };
      // Signed over the body as the examples test sends it: compact JSON.
      expect(verifySignature({ id, timestamp, signature }, Buffer.from(JSON.stringify(body)), atSigning)).toBe('valid');
    }
  });

  it('documents the refused media type as a request body media type, with its 415 example', () => {
    for (const path of ['/webhook/events', '/webhook/batch']) {
      const content = (doc.paths as Record<string, { post: { requestBody: { content: JsonObject } } }>)[path]!.post
        .requestBody.content;
      expect(Object.keys(content)).toEqual(['application/json', 'text/plain']);
      expect(content['text/plain']).toMatchObject({
        schema: { description: expect.stringContaining('415') },
        examples: { unsupported_media_type: { value: expect.any(String) } },
      });
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
