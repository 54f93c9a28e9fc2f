import { metricsWindows } from '../../../libs/analytics/index.js';
import { replayRequestMessage } from '../../../libs/events/index.js';
import { getEventStatus } from './admin-event-paths.js';
import type { OperationSpec } from './openapi-types.js';
import { guarded, unavailable } from './ops-guard.js';
import { deadLetterListParameters, schemaRef } from './request-schemas.js';

// The ops listener's operations, each guarded (ops-guard.ts): behind the ops credential, with its 401.

const invalidRequest = (message: string) => ({ error: 'invalid_request', message });

const deadLetter = {
  event_id: 'evt_doc_dead_1',
  event: {
    event_id: 'evt_doc_dead_1',
    event_type: 'subscription_created',
    timestamp: '2026-11-26T10:05:00Z',
    received_at: '2026-11-26T10:05:00.003Z',
  },
  error: 'analytics rule failed: pricing table missing',
  attempts: 3,
  first_failed_at: '2026-11-26T10:05:00.020Z',
  last_failed_at: '2026-11-26T10:05:06.410Z',
  dead_at: '2026-11-26T10:05:06.410Z',
};

const getDashboard = guarded({
  operationId: 'getDashboard',
  summary: 'The live analytics page',
  description: 'HTML; the page polls GET /api/metrics.',
  responses: { 200: { description: 'The page.', schema: { type: 'string' }, mediaType: 'text/html' } },
});

const getMetrics = guarded({
  operationId: 'getMetrics',
  summary: 'The analytics document',
  parameters: [
    {
      name: 'window',
      in: 'query',
      required: false,
      description: 'the time series span: per minute over 1h, per hour as well over 24h and 7d',
      schema: { type: 'string', enum: [...metricsWindows], default: '1h' },
    },
  ],
  responses: {
    200: { description: 'The numbers.', schema: schemaRef('MetricsDocument') },
    400: { description: 'Unknown window.', schema: schemaRef('Error') },
    503: unavailable,
  },
  examples: {
    last_day: {
      summary: 'The last 24 hours',
      params: { window: '24h' },
      status: 200,
      response: {
        generated_at: '2026-11-26T14:30:00.000Z',
        window: '24h',
        totals: {
          by_type: { user_signup: 3 },
          received: 4,
          accepted: 3,
          processed: 3,
          duplicates: 1,
          failed: 0,
          dead_letters: 0,
          redelivered: 0,
        },
        signups: { total: 3, today: 3, by_source: { organic: 3 }, by_country: { US: 3 } },
        subscriptions: {
          active: 0,
          currency: 'USD',
          mrr: 0,
          mrr_by_currency: {},
          unconverted: {},
          fx: { date: null, rates: {} },
          by_plan: {},
          churned: 0,
          unknown_cancellations: 0,
          movements: {
            today: { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0, net: 0 },
            by_day: [
              {
                date: '2026-11-26',
                new: 0,
                expansion: 0,
                contraction: 0,
                churn: 0,
                reactivation: 0,
                net: 0,
                mrr_end: 0,
              },
            ],
          },
        },
        usage: { by_feature: {}, total_duration_ms: 0 },
        unique_users_today: 3,
        active_users: { dau: 3, wau: 3, mau: 3 },
        latency_ms: { p50: 12, p95: 20, p99: 20, average: 13.1, buckets: { '25': 3 }, sum: 39.3 },
        queue: { ready: 0, in_flight: 0, delayed: 0, dead: 0, oldest_ready_age_s: 0 },
        pipeline: { consumers: [{ id: 'consumer-1', last_seen_s: 1 }], heartbeat_age_s: 1, restarts: {}, intake: {} },
        series: { per_minute: [], per_hour: [] },
      },
    },
    unknown_window: {
      summary: 'A window not offered',
      params: { window: '2h' },
      status: 400,
      response: { error: 'invalid_window', message: `window must be one of: ${metricsWindows.join(', ')}` },
    },
  },
});

const getPrometheusMetrics = guarded({
  operationId: 'getPrometheusMetrics',
  summary: 'Prometheus scrape',
  description: 'The pipeline metrics in the Prometheus text exposition format.',
  responses: {
    200: { description: 'The metrics.', schema: { type: 'string' }, mediaType: 'text/plain' },
  },
});

const listDeadLetters = guarded({
  operationId: 'listDeadLetters',
  summary: 'List dead letters',
  description: 'Events that exhausted their attempts, oldest first, one page at a time.',
  parameters: deadLetterListParameters,
  responses: {
    200: { description: 'One page.', schema: schemaRef('DeadLetterPage') },
    400: { description: '`limit` or `offset` out of range (`invalid_request`).', schema: schemaRef('Error') },
    503: unavailable,
  },
  examples: {
    first_page: {
      summary: 'The first page',
      params: { limit: 50, offset: 0 },
      status: 200,
      response: { total: 1, offset: 0, limit: 50, items: [deadLetter] },
    },
    limit_too_large: {
      summary: 'A page too large',
      params: { limit: 501 },
      status: 400,
      response: invalidRequest('limit must be an integer from 1 to 500'),
    },
  },
});

const replayDeadLetters = guarded(
  {
    operationId: 'replayDeadLetters',
    summary: 'Replay dead letters',
    description: 'Puts the chosen dead letters back on the queue with a fresh attempt budget.',
    requestBody: { description: 'Which ones.', schema: schemaRef('ReplayRequest') },
    responses: {
      200: { description: 'How many went back.', schema: schemaRef('Replayed') },
      400: {
        description: 'Neither or both of `event_ids` and `all` (`invalid_request`), or not JSON (`malformed_json`).',
        schema: schemaRef('Error'),
      },
      413: { description: 'Body over 1 MiB.', schema: schemaRef('PayloadTooLargeError') },
      415: { description: 'Content-Type is not application/json.', schema: schemaRef('Error') },
      503: unavailable,
    },
    examples: {
      replay_ids: {
        summary: 'Chosen ids',
        description: 'Ids that are not dead letters are skipped.',
        body: { event_ids: ['evt_doc_dead_2', 'evt_doc_never_dead'] },
        status: 200,
        response: { replayed: 1 },
      },
      replay_all: { summary: 'All of them', body: { all: true }, status: 200, response: { replayed: 2 } },
      no_ids: {
        summary: 'An empty id list',
        body: { event_ids: [] },
        status: 400,
        response: invalidRequest(replayRequestMessage),
      },
      both: {
        summary: 'Ids and all at once',
        body: { all: true, event_ids: ['evt_doc_dead_2'] },
        status: 400,
        response: invalidRequest(replayRequestMessage),
      },
    },
  },
  // A request that would replay nothing, had the credential check let it through.
  { body: { event_ids: ['evt_doc_never_dead'] } },
);

const purgeDeadLetter = guarded(
  {
    operationId: 'purgeDeadLetter',
    summary: 'Delete one dead letter for good',
    parameters: [{ name: 'event_id', in: 'path', required: true, schema: { type: 'string', minLength: 1 } }],
    responses: {
      200: { description: 'Deleted.', schema: schemaRef('Purged') },
      404: { description: 'No dead letter with this id (`not_found`).', schema: schemaRef('Error') },
      503: unavailable,
    },
    examples: {
      purged: {
        summary: 'A dead letter',
        params: { event_id: 'evt_doc_dead_4' },
        status: 200,
        response: { purged: 1 },
      },
      unknown: {
        summary: 'Not a dead letter',
        params: { event_id: 'evt_doc_never_dead' },
        status: 404,
        response: { error: 'not_found', message: 'No dead letter evt_doc_never_dead' },
      },
    },
  },
  { params: { event_id: 'evt_doc_never_dead' } },
);

const getOpenApi = guarded({
  operationId: 'getOpenApi',
  summary: 'This document',
  responses: { 200: { description: 'The OpenAPI document.', schema: schemaRef('OpenApiDocument') } },
});

/** The ops listener's operations by path and method. */
export const opsPaths: Record<string, Record<string, OperationSpec>> = {
  '/dashboard': { get: getDashboard },
  '/api/metrics': { get: getMetrics },
  '/metrics': { get: getPrometheusMetrics },
  '/admin/dead-letters': { get: listDeadLetters },
  '/admin/dead-letters/replay': { post: replayDeadLetters },
  '/admin/dead-letters/{event_id}': { delete: purgeDeadLetter },
  '/admin/events/{event_id}': { get: getEventStatus },
  '/openapi.json': { get: getOpenApi },
};
