import { metricsDocumentSchema } from '../../../libs/analytics/index.js';
import { unavailableCodes } from '../to-http-error.js';
import type { JsonObject } from './openapi-types.js';
import { schemaRef } from './request-schemas.js';

// The response body schemas under components/schemas: what the receiver's handlers write (accept-event.ts,
// accept-batch.ts, write-json-response.ts, routes/*.ts). Closed (additionalProperties: false) wherever the
// answer is fixed, so the examples test (which checks real answers against them) notices an undocumented field.

const integer = { type: 'integer', minimum: 0 } as const;
const string = { type: 'string' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const latency = { type: 'number', minimum: 0, description: 'milliseconds the receiver spent on the request' } as const;

const closed = (properties: JsonObject, required: string[], description?: string): JsonObject => ({
  ...(description === undefined ? {} : { description }),
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

// One status of EventStatus: event_id, the status and its own fields, of which `required` must be there.
const eventStatus = (status: string, properties: JsonObject, required: string[], description: string) =>
  closed(
    { event_id: string, status: { const: status }, ...properties },
    ['event_id', 'status', ...required],
    description,
  );
const since = { ...dateTime, description: 'when the event got this status' } as const;
const inQueue = ['since', 'enqueued_at', 'attempts'];

const batchSummary = {
  total_events: integer,
  results: closed({ accepted: integer, duplicates: integer, errors: integer }, ['accepted', 'duplicates', 'errors']),
  rejected: { type: 'array', items: schemaRef('BatchRejection') },
};

/** The response schemas, by component name. */
export const responseSchemas: Record<string, JsonObject> = {
  Error: closed(
    { error: { ...string, description: 'machine-readable code' }, message: { ...string, description: 'what to fix' } },
    ['error'],
    'Every error answer: { "error": "<code>", "message": "..." } (the message is left out when it would only repeat the code).',
  ),
  ValidationIssue: closed(
    {
      path: { ...string, description: 'JSON Pointer to the offending value, e.g. /metadata/amount' },
      message: string,
    },
    ['path', 'message'],
  ),
  InvalidEventError: closed(
    { error: { const: 'invalid_event' }, details: { type: 'array', minItems: 1, items: schemaRef('ValidationIssue') } },
    ['error', 'details'],
    'The event breaks the contract (see Event); every problem is listed.',
  ),
  PayloadTooLargeError: closed(
    {
      error: { const: 'payload_too_large' },
      message: string,
      limit_bytes: { ...integer, description: 'the body size limit, when the body was too large' },
      limit_events: { ...integer, description: 'the batch event limit, when the batch held too many events' },
    },
    ['error', 'message'],
  ),
  UnavailableError: closed(
    {
      error: { enum: [...unavailableCodes] },
      message: string,
      queue_depth: { ...integer, description: 'backpressure: the ready backlog' },
    },
    ['error', 'message'],
    'The queue cannot take events now; retry after Retry-After seconds.',
  ),
  EventAccepted: closed(
    { status: { const: 'accepted' }, event_id: string, queued_at: dateTime, latency_ms: latency },
    ['status', 'event_id', 'queued_at', 'latency_ms'],
    'The event is durably queued.',
  ),
  EventDuplicate: closed(
    { status: { const: 'ignored' }, reason: { const: 'duplicate_event' }, event_id: string },
    ['status', 'reason', 'event_id'],
    'An event with this event_id was accepted within the idempotency TTL; nothing was queued.',
  ),
  BatchRejection: closed(
    {
      index: { ...integer, description: 'position in `events`' },
      event_id: { type: ['string', 'null'], description: 'the entry’s event_id when it has a string one' },
      error: { const: 'invalid_event' },
      details: { type: 'array', items: schemaRef('ValidationIssue') },
    },
    ['index', 'event_id', 'error', 'details'],
  ),
  BatchProcessed: closed(
    { status: { const: 'processed' }, ...batchSummary, latency_ms: latency },
    ['status', 'total_events', 'results', 'rejected', 'latency_ms'],
    'Every entry got its verdict; the valid ones are queued (an event_id repeated in the batch counts as a duplicate).',
  ),
  InvalidEventsError: closed(
    { error: { const: 'invalid_events' }, message: string, ...batchSummary },
    ['error', 'message', 'total_events', 'results', 'rejected'],
    'No entry of the batch is valid; nothing was queued.',
  ),
  Health: closed(
    {
      status: { const: 'healthy' },
      mode: { enum: ['memory', 'redis'] },
      queue_depth: integer,
      in_flight: integer,
      delayed: integer,
      dead_letters: integer,
      uptime_s: integer,
    },
    ['status', 'mode', 'queue_depth', 'in_flight', 'delayed', 'dead_letters', 'uptime_s'],
  ),
  Unhealthy: closed(
    { status: { const: 'unhealthy' }, mode: { enum: ['memory', 'redis'] }, error: { const: 'redis_unreachable' } },
    ['status', 'mode', 'error'],
  ),
  Alive: closed({ status: { const: 'alive' } }, ['status']),
  Ready: closed({ status: { const: 'ready' } }, ['status']),
  NotReady: closed(
    { status: { const: 'not_ready' }, reason: { enum: ['redis_unreachable', 'shutting_down'] }, message: string },
    ['status', 'reason'],
  ),
  MetricsDocument: metricsDocumentSchema,
  DeadLetter: closed(
    {
      event_id: string,
      event: { description: 'the stored event, parsed when it is JSON, else its raw text' },
      error: { ...string, description: 'the last failure' },
      attempts: integer,
      first_failed_at: dateTime,
      last_failed_at: dateTime,
      dead_at: dateTime,
    },
    ['event_id', 'event', 'error', 'attempts'],
  ),
  DeadLetterPage: closed(
    { total: integer, offset: integer, limit: integer, items: { type: 'array', items: schemaRef('DeadLetter') } },
    ['total', 'offset', 'limit', 'items'],
    'Dead letters, oldest first.',
  ),
  Replayed: closed(
    { replayed: { ...integer, description: 'how many went back to the queue (ids not dead-lettered are skipped)' } },
    ['replayed'],
  ),
  Purged: closed({ purged: { ...integer, minimum: 1 } }, ['purged']),
  EventStatus: {
    description: 'Where an event is and since when; the other fields depend on `status`.',
    oneOf: [
      eventStatus(
        'queued',
        { since, enqueued_at: dateTime, attempts: integer },
        inQueue,
        'In the ready list, waiting for a consumer; `attempts` so far (a lease that expired counts).',
      ),
      eventStatus(
        'in_flight',
        {
          since,
          enqueued_at: dateTime,
          attempt: { ...integer, minimum: 1, description: 'which delivery this is' },
          consumer: string,
          lease_expires_at: dateTime,
        },
        ['since', 'enqueued_at', 'attempt', 'consumer', 'lease_expires_at'],
        'Leased to `consumer`; taken back by lease recovery if it is not finished by `lease_expires_at`.',
      ),
      eventStatus(
        'retry_scheduled',
        { since, enqueued_at: dateTime, attempts: integer, next_attempt_at: dateTime, last_error: string },
        [...inQueue, 'next_attempt_at', 'last_error'],
        'An attempt failed at `since`; the next one is due at `next_attempt_at`.',
      ),
      eventStatus(
        'dead',
        { since, enqueued_at: dateTime, attempts: integer, last_error: { ...string, description: 'the reason' } },
        [...inQueue, 'last_error'],
        'Dead-lettered at `since` (see /admin/dead-letters).',
      ),
      eventStatus(
        'processed',
        {
          since,
          consumer: string,
          enqueued_at: dateTime,
          latency_ms: { ...integer, description: 'ack time minus enqueue time' },
        },
        ['since', 'consumer'],
        'Acked by `consumer` at `since`, its analytics applied. `enqueued_at` and `latency_ms` are absent for an ' +
          'event enqueued by a version that did not store the enqueue time with its idempotency key.',
      ),
      eventStatus('purged', { since, enqueued_at: dateTime }, ['since'], 'Deleted from the dead letters at `since`.'),
      eventStatus(
        'finished',
        {},
        [],
        'Left the queue, processed or purged, under a version that did not record which (its idempotency key predates it).',
      ),
      eventStatus('unknown', {}, [], 'Not accepted within the idempotency window (or never).'),
    ],
  },
  OpenApiDocument: {
    type: 'object',
    required: ['openapi', 'info', 'paths'],
    properties: {
      openapi: { type: 'string', pattern: '^3\\.1\\.' },
      info: { type: 'object' },
      paths: { type: 'object' },
    },
  },
};
