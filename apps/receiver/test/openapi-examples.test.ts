import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { PartitionedQueue } from '../../../libs/queue/index.js';
import { testQueue, uniquePrefix } from '../../../test/support/backends.js';
import { killAppProcesses, startAppProcess } from '../../../tools/app-process.js';
import { openApiDocument } from '../openapi/openapi-document.js';
import {
  allExampleNames,
  documentedExchanges,
  documentedOperations,
  pointer,
  responseSchemaAt,
  schemaChecker,
  type Exchange,
} from './openapi-exchanges.js';

// Every example of the OpenAPI document, sent to a real receiver process (real Redis, both listeners, the ops
// credential set), must get the documented status, headers and a body that fits the documented schema and
// agrees with the example. An example that names a receiver condition (x-day15-receiver) goes to a receiver
// started with that condition's settings, one process per condition. The document is built for placeholder
// servers and each request goes to the listener its path names; examples whose answer depends on state get
// that state first (see setups and receiverSetups).

const ingest = 'ingest:';
const ops = 'ops:';
const doc = openApiDocument({ ingestUrl: ingest, opsUrl: ops });
const check = schemaChecker(doc);
const exchanges = documentedExchanges(doc);
const token = 'openapi-examples-ops-token';
const bearer = { Authorization: `Bearer ${token}` };

// The fields an answer must share with its example; the others (times, latencies, depths) vary.
const stableFields = [
  ...['status', 'reason', 'error', 'message', 'event_id', 'details', 'total_events', 'results', 'rejected'],
  ...['limit_bytes', 'limit_events'],
];
const countFields = ['replayed', 'purged'];

// The receiver for examples without x-day15-receiver, and the conditions the others name.
const defaults = 'defaults';
const conditions = new Map(exchanges.flatMap(({ receiver }) => (receiver ? [[receiver.name, receiver] as const] : [])));

// Set in beforeAll: where each receiver listens, and a queue on the default receiver's Redis keys for the
// dead-letter setups.
const receivers = new Map<string, { ingest: string; ops: string }>();
let redis: Redis | undefined;
let queue: PartitionedQueue;
// `operationId/example` of every example that got its documented answer.
const proven = new Set<string>();

/** Makes dead letters of these ids: queued, claimed and failed for good, as a consumer would. */
async function deadLetter(ids: string[]): Promise<void> {
  await queue.enqueue(
    ids.map((id) => ({
      id,
      label: 'subscription_created',
      body: JSON.stringify({ event_id: id, event_type: 'subscription_created', timestamp: '2026-11-26T10:05:00Z' }),
    })),
  );
  const claims = (await queue.claim('openapi-examples', 2000, 60_000)).filter((claim) => ids.includes(claim.id));
  const verdicts = await queue.fail(
    'openapi-examples',
    claims.map((claim) => ({ claim, error: 'analytics rule failed: pricing table missing', retry: false })),
  );
  expect(verdicts).toEqual(ids.map(() => 'dead'));
}

/** Makes a new event `id` wait in the queue, or leaves it where a consumer does after a claim, fail or ack. */
async function eventLeft(id: string, where: 'queued' | 'in_flight' | 'retry_scheduled' | 'processed'): Promise<void> {
  await queue.enqueue([{ id, body: JSON.stringify({ event_id: id }) }]);
  if (where === 'queued') return;
  const claim = (await queue.claim('openapi-examples', 2000, 60_000)).find((c) => c.id === id)!;
  if (where === 'retry_scheduled')
    expect(await queue.fail('openapi-examples', [{ claim, error: 'analytics rule failed' }])).toEqual(['retry']);
  if (where === 'processed') expect(await queue.ack('openapi-examples', [{ claim, effects: [] }])).toEqual(['acked']);
}

/** The state an example's documented answer needs, by `operationId/example`. */
const setups: Record<string, (exchange: Exchange) => Promise<void>> = {
  'postEvent/duplicate': async (exchange) => expect((await send(exchange)).status).toBe(202),
  'listDeadLetters/first_page': () => deadLetter(['evt_doc_dead_1']),
  'replayDeadLetters/replay_ids': () => deadLetter(['evt_doc_dead_2']),
  // Exactly the two dead letters the example says it replays.
  'replayDeadLetters/replay_all': async () => {
    await queue.deadLetters.purge('all');
    await deadLetter(['evt_doc_dead_3', 'evt_doc_dead_5']);
  },
  'purgeDeadLetter/purged': () => deadLetter(['evt_doc_dead_4']),
  'getEventStatus/queued': () => eventLeft('evt_doc_status_queued', 'queued'),
  'getEventStatus/in_flight': () => eventLeft('evt_doc_status_in_flight', 'in_flight'),
  'getEventStatus/retry_scheduled': () => eventLeft('evt_doc_status_retry', 'retry_scheduled'),
  'getEventStatus/dead': () => deadLetter(['evt_doc_status_dead']),
  'getEventStatus/processed': () => eventLeft('evt_doc_status_processed', 'processed'),
  'getEventStatus/purged': async () => {
    await deadLetter(['evt_doc_status_purged']);
    expect(await queue.deadLetters.purge(['evt_doc_status_purged'])).toBe(1);
  },
};

/** The state a receiver condition needs beyond its settings, by condition name. */
const receiverSetups: Record<string, (urls: { ingest: string }) => Promise<void>> = {
  // The one event that fills a backlog of DAY15_MAX_QUEUE_DEPTH=1 (no consumer runs to take it).
  queue_full: async ({ ingest: url }) => {
    const event = { event_id: 'evt_doc_waiting_1', event_type: 'user_signup', timestamp: '2026-11-26T10:00:00Z' };
    const res = await fetch(`${url}/webhook/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(event),
    });
    expect(res.status).toBe(202);
  },
};

/** Starts a receiver process with these settings on top of the test's, and notes where it listens. */
async function startReceiver(name: string, redisUrl: string, prefix: string, settings: Record<string, string>) {
  const app = startAppProcess('apps/receiver/main.ts', {
    DAY15_WEBHOOK_PORT: '0',
    DAY15_OPS_PORT: '0',
    DAY15_OPS_TOKEN: token,
    DAY15_USE_MOCK_REDIS: 'false',
    DAY15_REDIS_URL: redisUrl,
    DAY15_KEY_PREFIX: prefix,
    ...settings,
  });
  const [[, ingestUrl], [, opsUrl]] = await Promise.all([
    app.waitForLine(/Receiver listening on (http:\/\/\S+)/, 60_000),
    app.waitForLine(/Ops listening on (http:\/\/\S+)/, 60_000),
    // A receiver listens before its Redis connection is up, and answers 503 until then; one on the test's
    // Redis is waited for (a condition that names another Redis means it to be unreachable).
    settings.DAY15_REDIS_URL === undefined ? app.waitForLine(/Redis at \S+ is reachable/, 60_000) : [],
  ]);
  const urls = { ingest: ingestUrl!, ops: opsUrl! };
  await receiverSetups[name]?.(urls);
  receivers.set(name, urls);
}

/** The answer to an exchange's request, as documented: its parameters, body and credential, to its receiver. */
async function send(exchange: Exchange, credentials = bearer): Promise<Response> {
  const urls = receivers.get(exchange.receiver?.name ?? defaults)!;
  const base = exchange.server === ingest ? urls.ingest : urls.ops;
  const path = exchange.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(exchange.params.path[name]!),
  );
  const query = new URLSearchParams(exchange.params.query).toString();
  const { body, bodyType } = exchange;
  const headers = {
    ...(exchange.server === ops && exchange.request.credential !== 'none' ? credentials : {}),
    ...exchange.params.header,
    ...(bodyType === undefined ? {} : { 'Content-Type': bodyType }),
  };
  return fetch(`${base}${path}${query ? `?${query}` : ''}`, {
    method: exchange.method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

/**
 * Reads an answer and checks it against the documented response: media type, headers, schema and the example's
 * fields.
 */
async function expectDocumented(res: Response, exchange: Exchange): Promise<void> {
  const { status } = exchange;
  const label = `${exchange.method} ${exchange.path} ${exchange.name ?? '(no example)'}`;
  const text = await res.text();
  // The text is compared only so that a wrong status shows what was answered.
  expect([label, res.status, text]).toEqual([label, status, expect.any(String)]);
  expect(res.headers.get('content-type')).toContain(exchange.mediaType);
  const response = pointer('paths', exchange.path, exchange.method.toLowerCase(), 'responses', String(status));
  const documentedHeaders = (exchange.operation.responses as Record<string, { headers?: object }>)[status]!.headers;
  for (const name of Object.keys(documentedHeaders ?? {})) {
    const value = res.headers.get(name) ?? undefined;
    const typed = value !== undefined && /^\d+$/.test(value) ? Number(value) : value;
    expect([label, name, check(pointer(response, 'headers', name, 'schema'), typed)]).toEqual([label, name, undefined]);
  }
  const body: unknown = exchange.mediaType === 'application/json' ? JSON.parse(text) : text;
  const at = responseSchemaAt(exchange.path, exchange.method, status, exchange.mediaType);
  expect([label, check(at, body)]).toEqual([label, undefined]);
  if (exchange.example && typeof exchange.example === 'object') {
    const example = exchange.example as Record<string, unknown>;
    const shared = [...stableFields, ...countFields].filter((field) => field in example);
    const pick = (value: Record<string, unknown>) => Object.fromEntries(shared.map((field) => [field, value[field]]));
    expect([label, pick(body as Record<string, unknown>)]).toEqual([label, pick(example)]);
  }
}

describe('the OpenAPI examples against real receiver processes', () => {
  beforeAll(async () => {
    const redisUrl = process.env.REDIS_TEST_URL;
    if (!redisUrl) throw new Error('REDIS_TEST_URL is not set: the jest global setup starts a private redis-server');
    const prefix = uniquePrefix('openapi');
    redis = new Redis(redisUrl);
    queue = testQueue(redis, { prefix });
    await Promise.all([
      startReceiver(defaults, redisUrl, prefix, {}),
      ...[...conditions.values()].map(({ name, settings }) =>
        startReceiver(name, redisUrl, uniquePrefix(`openapi-${name}`), settings),
      ),
    ]);
  }, 120_000);

  afterAll(() => {
    killAppProcesses();
    redis?.disconnect();
  });

  it.each(
    exchanges.map((exchange) => [exchange.method, exchange.path, exchange.name ?? '(no example)', exchange] as const),
  )('%s %s %s gets the documented answer', async (_method, _path, _name, exchange) => {
    const example = `${String(exchange.operation.operationId)}/${exchange.name}`;
    await setups[example]?.(exchange);
    await expectDocumented(await send(exchange), exchange);
    if (exchange.name !== undefined) proven.add(example);
  });

  it('has sent every example of the document and got its documented answer', () => {
    const documented = documentedOperations(doc).flatMap(({ operation }) =>
      allExampleNames(operation).map((name) => `${String(operation.operationId)}/${name}`),
    );
    expect(documented.length).toBeGreaterThan(40);
    expect([...proven].sort()).toEqual(documented.sort());
  });

  it('serves this very document at GET /openapi.json, naming the URLs the listeners really have', async () => {
    const urls = receivers.get(defaults)!;
    const res = await fetch(`${urls.ops}/openapi.json`, { headers: bearer });
    expect(await res.json()).toEqual(openApiDocument({ ingestUrl: urls.ingest, opsUrl: urls.ops }));
  });

  it('accepts the ops credential as HTTP Basic password with any user name, as documented', async () => {
    const exchange = exchanges.find((e) => e.path === '/dashboard' && e.name === undefined)!;
    const basic = { Authorization: `Basic ${Buffer.from(`anyone:${token}`).toString('base64')}` };
    await expectDocumented(await send(exchange, basic), exchange);
  });
});
