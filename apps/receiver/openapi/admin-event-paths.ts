import type { EventStatus } from '../../../libs/queue/index.js';
import type { ExampleSpec } from './openapi-types.js';
import { guarded, unavailable } from './ops-guard.js';
import { schemaRef } from './request-schemas.js';

// GET /admin/events/{event_id}: one example per status the examples test can put an event in (all but
// `finished`, which only keys from before the upgrade that introduced outcomes can show).

const enqueuedAt = '2026-11-26T10:00:00.012Z';
const consumer = 'worker-1-48213-9f2c1a';
const lastError = 'analytics rule failed: pricing table missing';

/** The example of a lookup that answers `status`, for the id the status names. */
const lookup = (summary: string, status: EventStatus): ExampleSpec => ({
  summary,
  params: { event_id: status.event_id },
  status: 200,
  response: status,
});

/** The status of one event, by id. */
export const getEventStatus = guarded(
  {
    operationId: 'getEventStatus',
    summary: 'Where an event is',
    description:
      'The status of an event and since when, within the idempotency window (DAY15_IDEMPOTENCY_TTL_HOURS after ' +
      'it was accepted): `queued`, `in_flight`, `retry_scheduled` or `dead` while it is in the queue, ' +
      '`processed` or `purged` (deleted from the dead letters) after it left, `unknown` outside the window. ' +
      'Every queue partition is asked, all at once.',
    parameters: [{ name: 'event_id', in: 'path', required: true, schema: { type: 'string', minLength: 1 } }],
    responses: {
      200: {
        description: 'Its status; `unknown` when the window does not know the id.',
        schema: schemaRef('EventStatus'),
      },
      503: unavailable,
    },
    examples: {
      queued: lookup('Waiting to be claimed', {
        event_id: 'evt_doc_status_queued',
        status: 'queued',
        since: enqueuedAt,
        enqueued_at: enqueuedAt,
        attempts: 0,
      }),
      in_flight: lookup('Leased to a consumer', {
        event_id: 'evt_doc_status_in_flight',
        status: 'in_flight',
        since: '2026-11-26T10:00:00.040Z',
        enqueued_at: enqueuedAt,
        attempt: 1,
        consumer,
        lease_expires_at: '2026-11-26T10:00:30.040Z',
      }),
      retry_scheduled: lookup('Failed once, waiting for its retry', {
        event_id: 'evt_doc_status_retry',
        status: 'retry_scheduled',
        since: '2026-11-26T10:00:00.310Z',
        enqueued_at: enqueuedAt,
        attempts: 1,
        next_attempt_at: '2026-11-26T10:00:01.060Z',
        last_error: lastError,
      }),
      dead: lookup('Dead-lettered', {
        event_id: 'evt_doc_status_dead',
        status: 'dead',
        since: '2026-11-26T10:00:06.410Z',
        enqueued_at: enqueuedAt,
        attempts: 3,
        last_error: lastError,
      }),
      processed: lookup('Processed', {
        event_id: 'evt_doc_status_processed',
        status: 'processed',
        since: '2026-11-26T10:00:00.052Z',
        consumer,
        enqueued_at: enqueuedAt,
        latency_ms: 40,
      }),
      purged: lookup('Deleted from the dead letters', {
        event_id: 'evt_doc_status_purged',
        status: 'purged',
        since: '2026-11-26T11:00:00.000Z',
        enqueued_at: enqueuedAt,
      }),
      unknown: lookup('Never accepted, or longer ago than the window', {
        event_id: 'evt_doc_status_unknown',
        status: 'unknown',
      }),
    },
  },
  { params: { event_id: 'evt_doc_status_unknown' } },
);
