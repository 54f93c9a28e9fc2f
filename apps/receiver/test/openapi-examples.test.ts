import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { ReliableQueue } from '../../../libs/queue/index.js';
import { testQueue, uniquePrefix } from '../../../test/support/backends.js';
import { killAppProcesses, startAppProcess } from '../../../tools/app-process.js';
import { openApiDocument } from '../openapi/openapi-document.js';
import {
  documentedExchanges,
  documentedOperations,
  responseSchemaAt,
  schemaChecker,
  type Exchange,
} from './openapi-exchanges.js';

// Every example of the OpenAPI document, sent to a real receiver process (real Redis, both listeners, the ops
// credential set), must get the documented status and a body that fits the documented schema and agrees with
// the example. The document is built for placeholder servers and each request goes to the listener its path
// names; examples whose answer depends on state get that state first (see setups).

const ingest = 'ingest:';
const ops = 'ops:';
const doc = openApiDocument({ ingestUrl: ingest, opsUrl: ops });
const check = schemaChecker(doc);
const exchanges = documentedExchanges(doc);
const token = 'openapi-examples-ops-token';
const bearer = { Authorization: `Bearer ${token}` };

// The fields an answer must share with its example; the others (times, latencies, depths) vary.
const stableFields = ['status', 'reason', 'error', 'event_id', 'details', 'total_events', 'results', 'rejected'];
const countFields = ['replayed', 'purged'];

type Examples = { examples: Record<string, { value: unknown }> };

// Set in beforeAll: where the process listens, and a queue on its Redis keys for the dead-letter setups.
const urls = { ingest: '', ops: '' };
let redis: Redis | undefined;
let queue: ReliableQueue;

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

/** The state an example's documented answer needs, by `operationId/example`. */
const setups: Record<string, (exchange: Exchange) => Promise<void>> = {
  'postEvent/duplicate': async (exchange) => expect((await send(exchange, {})).status).toBe(202),
  'listDeadLetters/first_page': () => deadLetter(['evt_doc_dead_1']),
  'replayDeadLetters/replay_ids': () => deadLetter(['evt_doc_dead_2']),
  // Exactly the two dead letters the example says it replays.
  'replayDeadLetters/replay_all': async () => {
    await queue.deadLetters.purge('all');
    await deadLetter(['evt_doc_dead_3', 'evt_doc_dead_5']);
  },
  'purgeDeadLetter/purged': () => deadLetter(['evt_doc_dead_4']),
};

async function send(exchange: Exchange, headers: Record<string, string>): Promise<Response> {
  const base = exchange.server === ingest ? urls.ingest : urls.ops;
  const path = exchange.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(exchange.params.path[name]!),
  );
  const query = new URLSearchParams(exchange.params.query).toString();
  const { body } = exchange;
  return fetch(`${base}${path}${query ? `?${query}` : ''}`, {
    method: exchange.method,
    headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

/** Reads an answer and checks it against the documented response: media type, schema and the example's fields. */
async function expectDocumented(res: Response, exchange: Exchange, status = exchange.status): Promise<void> {
  const label = `${exchange.method} ${exchange.path} ${exchange.name ?? '(no example)'}`;
  const text = await res.text();
  expect([label, res.status]).toEqual([label, status]);
  expect(res.headers.get('content-type')).toContain(exchange.mediaType);
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

describe('the OpenAPI examples against a real receiver process', () => {
  beforeAll(async () => {
    const redisUrl = process.env.REDIS_TEST_URL;
    if (!redisUrl) throw new Error('REDIS_TEST_URL is not set: the jest global setup starts a private redis-server');
    const prefix = uniquePrefix('openapi');
    const app = startAppProcess('apps/receiver/main.ts', {
      DAY15_WEBHOOK_PORT: '0',
      DAY15_OPS_PORT: '0',
      DAY15_OPS_TOKEN: token,
      DAY15_USE_MOCK_REDIS: 'false',
      DAY15_REDIS_URL: redisUrl,
      DAY15_KEY_PREFIX: prefix,
    });
    const [[, ingestUrl], [, opsUrl]] = await Promise.all([
      app.waitForLine(/Receiver listening on (http:\/\/\S+)/, 60_000),
      app.waitForLine(/Ops listening on (http:\/\/\S+)/, 60_000),
    ]);
    urls.ingest = ingestUrl!;
    urls.ops = opsUrl!;
    redis = new Redis(redisUrl);
    queue = testQueue(redis, { prefix, maxAttempts: 1 });
  }, 90_000);

  afterAll(() => {
    killAppProcesses();
    redis?.disconnect();
  });

  it.each(
    exchanges.map((exchange) => [exchange.method, exchange.path, exchange.name ?? '(no example)', exchange] as const),
  )('%s %s %s gets the documented answer', async (_method, _path, _name, exchange) => {
    const operationId = String(exchange.operation.operationId);
    await setups[`${operationId}/${exchange.name}`]?.(exchange);
    await expectDocumented(await send(exchange, exchange.server === ops ? bearer : {}), exchange);
  });

  const opsOperations = documentedOperations(doc).filter((operation) => operation.server === ops);
  it.each(opsOperations.map((operation) => [operation.method, operation.path]))(
    '%s %s answers the documented 401 with a Basic challenge without the ops credential',
    async (method, path) => {
      const exchange = exchanges.find((e) => e.method === method && e.path === path)!;
      const res = await send(exchange, {});
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="Day15 ops"/);
      const documented = (exchange.operation.responses as Record<string, { content: Record<string, Examples> }>)['401']!
        .content['application/json']!.examples.unauthorized!.value;
      await expectDocumented(
        res,
        { ...exchange, name: 'unauthorized', mediaType: 'application/json', example: documented },
        401,
      );
    },
  );

  it('serves this very document at GET /openapi.json, naming the URLs the listeners really have', async () => {
    const res = await fetch(`${urls.ops}/openapi.json`, { headers: bearer });
    expect(await res.json()).toEqual(openApiDocument({ ingestUrl: urls.ingest, opsUrl: urls.ops }));
  });

  it('accepts the ops credential as HTTP Basic password with any user name, as documented', async () => {
    const exchange = exchanges.find((e) => e.path === '/dashboard')!;
    const basic = { Authorization: `Basic ${Buffer.from(`anyone:${token}`).toString('base64')}` };
    await expectDocumented(await send(exchange, basic), exchange);
  });
});
