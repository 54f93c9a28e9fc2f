import { eventTypes } from '../../../libs/events/index.js';
import type { ExampleSpec, OperationSpec, ParameterSpec, ResponseSpec } from './openapi-types.js';
import { schemaRef } from './request-schemas.js';

/** The body limits the webhook answers name (DAY15_MAX_EVENT_BYTES, DAY15_MAX_BATCH_EVENTS, DAY15_MAX_BATCH_BYTES). */
export interface WebhookLimits {
  maxEventBytes: number;
  maxBatchEvents: number;
  maxBatchBytes: number;
}

// Example event ids are unique across the document, so the examples test can send every example to one
// receiver and get exactly the documented answers.

const signup = {
  event_id: 'evt_doc_signup_1',
  event_type: 'user_signup',
  user_id: 'user_abc123',
  timestamp: '2026-11-26T10:00:00Z',
  metadata: { source: 'organic', email: 'test@example.com', company: 'Acme Inc', country: 'US' },
};
const subscription = {
  event_id: 'evt_doc_subscription_1',
  event_type: 'subscription_created',
  user_id: 'user_abc123',
  timestamp: '2026-11-26T10:05:00Z',
  metadata: { plan: 'premium', amount: 99, billing_cycle: 'monthly', currency: 'USD' },
};
const accepted = (eventId: string) => ({
  status: 'accepted',
  event_id: eventId,
  queued_at: '2026-11-26T10:00:00.012Z',
  latency_ms: 1.2,
});
const notJson = {
  summary: 'Malformed JSON',
  description: 'The value is the raw body, sent as is: it is cut off, so it is not JSON.',
  body: '{"event_id": "evt_doc_broken_1", "event_type": ',
  status: 400,
  response: { error: 'malformed_json', message: 'Request body is not valid JSON: Unexpected end of JSON input' },
} satisfies ExampleSpec;

const signatureHeaders: ParameterSpec[] = ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => ({
  name,
  in: 'header',
  required: false,
  description: 'Standard Webhooks signature header; required when DAY15_WEBHOOK_SECRETS is set.',
  schema: { type: 'string' },
}));

const retryAfter = { description: 'seconds to wait before retrying', schema: { type: 'integer' } };

/** The answers both webhooks share: signature, size, content type and queue failures. */
function webhookErrors(maxBytesNote: string): Record<number, ResponseSpec> {
  return {
    401: {
      description:
        'With DAY15_WEBHOOK_SECRETS set: the signature is missing or wrong (`invalid_signature`), or its ' +
        'timestamp is outside DAY15_SIGNATURE_TOLERANCE_SECONDS (`stale_timestamp`).',
      schema: schemaRef('Error'),
    },
    413: { description: `The body is too large: ${maxBytesNote}.`, schema: schemaRef('PayloadTooLargeError') },
    415: {
      description: 'Content-Type is not application/json (or application/*+json), or the body is compressed.',
      schema: schemaRef('Error'),
    },
    503: {
      description:
        'Redis is unreachable (`queue_unavailable`, Retry-After: 1) or the ready backlog reached ' +
        'DAY15_MAX_QUEUE_DEPTH (`backpressure`, Retry-After: 5).',
      schema: schemaRef('UnavailableError'),
      headers: { 'Retry-After': retryAfter },
    },
  };
}

/** Response-only examples of webhookErrors. */
function webhookErrorExamples(limitBytes: number): Record<string, ExampleSpec> {
  return {
    invalid_signature: { summary: 'Signature missing or wrong', status: 401, response: { error: 'invalid_signature' } },
    stale_timestamp: { summary: 'Signed too long ago', status: 401, response: { error: 'stale_timestamp' } },
    too_many_bytes: {
      summary: 'Body over the byte limit',
      status: 413,
      response: {
        error: 'payload_too_large',
        message: `Request body is larger than ${limitBytes} bytes`,
        limit_bytes: limitBytes,
      },
    },
    unsupported_media_type: {
      summary: 'Not JSON',
      status: 415,
      response: { error: 'unsupported_media_type', message: 'Content-Type must be application/json' },
    },
    queue_unavailable: {
      summary: 'Redis unreachable',
      status: 503,
      response: { error: 'queue_unavailable', message: 'The event queue is unreachable; retry later' },
    },
    backpressure: {
      summary: 'Backlog full',
      status: 503,
      response: {
        error: 'backpressure',
        message: 'Too many events are waiting to be processed; retry later',
        queue_depth: 1000000,
      },
    },
  };
}

function postEvent(limits: WebhookLimits): OperationSpec {
  return {
    operationId: 'postEvent',
    summary: 'Send one event',
    description: 'Answers 202 once the event is durably queued, 200 when its event_id was seen before.',
    parameters: signatureHeaders,
    requestBody: { description: 'One event.', schema: schemaRef('Event') },
    responses: {
      200: { description: 'Duplicate: nothing was queued.', schema: schemaRef('EventDuplicate') },
      202: { description: 'Accepted and durably queued.', schema: schemaRef('EventAccepted') },
      400: {
        description: 'The body is not JSON (`malformed_json`) or breaks the event contract (`invalid_event`).',
        schema: { anyOf: [schemaRef('InvalidEventError'), schemaRef('Error')] },
      },
      ...webhookErrors(`over DAY15_MAX_EVENT_BYTES (${limits.maxEventBytes})`),
    },
    examples: {
      signup: { summary: 'A signup', body: signup, status: 202, response: accepted(signup.event_id) },
      subscription: {
        summary: 'A new subscription',
        body: subscription,
        status: 202,
        response: accepted(subscription.event_id),
      },
      duplicate: {
        summary: 'The same event again',
        description: 'Sent a second time (after a first send answered 202).',
        body: { ...signup, event_id: 'evt_doc_duplicate_1' },
        status: 200,
        response: { status: 'ignored', reason: 'duplicate_event', event_id: 'evt_doc_duplicate_1' },
      },
      invalid_event: {
        summary: 'An amount that is not a number',
        body: { ...subscription, event_id: 'evt_doc_invalid_1', metadata: { amount: '10' } },
        status: 400,
        response: { error: 'invalid_event', details: [{ path: '/metadata/amount', message: 'must be number' }] },
      },
      malformed_json: notJson,
      ...webhookErrorExamples(limits.maxEventBytes),
    },
  };
}

function postBatch(limits: WebhookLimits): OperationSpec {
  const batchEvent = (n: number) => ({ ...signup, event_id: `evt_doc_batch_${n}` });
  const unknownType = { event_id: 'evt_doc_batch_3', event_type: 'user_deleted', timestamp: '2026-11-26T10:02:00Z' };
  const summary = (acceptedCount: number, duplicates: number, rejected: unknown[]) => ({
    total_events: acceptedCount + duplicates + rejected.length,
    results: { accepted: acceptedCount, duplicates, errors: rejected.length },
    rejected,
  });
  const typeRejection = {
    index: 2,
    event_id: 'evt_doc_batch_3',
    error: 'invalid_event',
    details: [{ path: '/event_type', message: `must be one of: ${eventTypes.join(', ')}` }],
  };
  const missingTimestamp = {
    index: 0,
    event_id: 'evt_doc_batch_6',
    error: 'invalid_event',
    details: [{ path: '/timestamp', message: 'is required' }],
  };
  const processed = (result: object) => ({ status: 'processed', ...result, latency_ms: 1.9 });
  return {
    operationId: 'postBatch',
    summary: 'Send many events',
    description:
      `At most DAY15_MAX_BATCH_EVENTS (${limits.maxBatchEvents}) events and DAY15_MAX_BATCH_BYTES ` +
      `(${limits.maxBatchBytes}) bytes. Each event gets its own verdict; the valid ones are queued together in ` +
      'one atomic step.',
    parameters: signatureHeaders,
    requestBody: { description: 'The events.', schema: schemaRef('BatchRequest') },
    responses: {
      202: { description: 'At least one event accepted or duplicate.', schema: schemaRef('BatchProcessed') },
      400: {
        description:
          'Every event is invalid (`invalid_events`), the body is not { "events": [ ... ] } with at least one ' +
          'event (`invalid_batch`), or not JSON (`malformed_json`).',
        schema: { anyOf: [schemaRef('InvalidEventsError'), schemaRef('Error')] },
      },
      ...webhookErrors(
        `over DAY15_MAX_BATCH_BYTES (\`limit_bytes\`) or over DAY15_MAX_BATCH_EVENTS events (\`limit_events\`)`,
      ),
    },
    examples: {
      batch: {
        summary: 'Two events',
        body: { events: [batchEvent(1), batchEvent(2)] },
        status: 202,
        response: processed(summary(2, 0, [])),
      },
      partial: {
        summary: 'One entry invalid',
        description: 'The valid entries are queued; the invalid one is listed in `rejected`.',
        body: { events: [batchEvent(4), batchEvent(5), unknownType] },
        status: 202,
        response: processed(summary(2, 0, [typeRejection])),
      },
      repeated_id: {
        summary: 'An event_id twice in one batch',
        body: { events: [batchEvent(7), batchEvent(7)] },
        status: 202,
        response: processed(summary(1, 1, [])),
      },
      all_invalid: {
        summary: 'No valid entry',
        body: { events: [{ event_id: 'evt_doc_batch_6', event_type: 'user_signup' }] },
        status: 400,
        response: {
          error: 'invalid_events',
          message: 'No event in the batch is valid',
          ...summary(0, 0, [missingTimestamp]),
        },
      },
      empty_batch: {
        summary: 'No events',
        body: { events: [] },
        status: 400,
        response: { error: 'invalid_batch', message: '"events" must hold at least one event' },
      },
      malformed_json: { ...notJson, body: '{"events": [' },
      ...webhookErrorExamples(limits.maxBatchBytes),
      too_many_events: {
        summary: 'Over the event limit',
        status: 413,
        response: {
          error: 'payload_too_large',
          message: `A batch holds at most ${limits.maxBatchEvents} events`,
          limit_events: limits.maxBatchEvents,
        },
      },
    },
  };
}

const getHealth: OperationSpec = {
  operationId: 'getHealth',
  summary: 'Health and queue depths',
  description: 'One Redis round trip.',
  responses: {
    200: { description: 'Redis answers.', schema: schemaRef('Health') },
    503: { description: 'Redis does not answer.', schema: schemaRef('Unhealthy') },
  },
  examples: {
    healthy: {
      summary: 'Healthy',
      status: 200,
      response: {
        status: 'healthy',
        mode: 'redis',
        queue_depth: 3,
        in_flight: 0,
        delayed: 0,
        dead_letters: 0,
        uptime_s: 42,
      },
    },
    unhealthy: {
      summary: 'Redis away',
      status: 503,
      response: { status: 'unhealthy', mode: 'redis', error: 'redis_unreachable' },
    },
  },
};

const getLivez: OperationSpec = {
  operationId: 'getLivez',
  summary: 'Liveness probe',
  description: 'Answers whenever the process serves HTTP; never touches Redis.',
  responses: { 200: { description: 'Alive.', schema: schemaRef('Alive') } },
  examples: { alive: { summary: 'Alive', status: 200, response: { status: 'alive' } } },
};

const getReadyz: OperationSpec = {
  operationId: 'getReadyz',
  summary: 'Readiness probe',
  description: 'Ready when Redis answers a PING and the receiver is not stopping.',
  responses: {
    200: { description: 'Ready.', schema: schemaRef('Ready') },
    503: { description: 'Redis unreachable, or shutting down.', schema: schemaRef('NotReady') },
  },
  examples: {
    ready: { summary: 'Ready', status: 200, response: { status: 'ready' } },
    shutting_down: {
      summary: 'Stopping',
      status: 503,
      response: { status: 'not_ready', reason: 'shutting_down' },
    },
  },
};

/** The ingest listener's operations by path and method. */
export function ingestPaths(limits: WebhookLimits): Record<string, Record<string, OperationSpec>> {
  return {
    '/webhook/events': { post: postEvent(limits) },
    '/webhook/batch': { post: postBatch(limits) },
    '/health': { get: getHealth },
    '/livez': { get: getLivez },
    '/readyz': { get: getReadyz },
  };
}
