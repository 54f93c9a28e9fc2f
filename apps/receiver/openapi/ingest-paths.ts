import { eventTypes } from '../../../libs/events/index.js';
import type { ExampleSpec, OperationSpec, ParameterSpec } from './openapi-types.js';
import { getHealth, getLivez, getReadyz } from './probe-paths.js';
import { smallLimits, smallLimitsReceiver } from './receiver-conditions.js';
import { schemaRef } from './request-schemas.js';
import { refusedMediaTypes, webhookErrorExamples, webhookErrors } from './webhook-errors.js';

/** The body limits the webhook answers name (DAY15_MAX_EVENT_BYTES, DAY15_MAX_BATCH_EVENTS, DAY15_MAX_BATCH_BYTES). */
export interface WebhookLimits {
  maxEventBytes: number;
  maxBatchEvents: number;
  maxBatchBytes: number;
}

// Example event ids are unique across the document, so the examples test can send every example to one
// receiver (one per receiver condition) and get exactly the documented answers.

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

// Over smallLimits.maxEventBytes with one event and over smallLimits.maxBatchBytes with two, yet within the
// schema's 500 characters, so the size alone is what is refused.
const longReason = (sentences: number) => 'The team moved to another tool. '.repeat(sentences).trim();
const cancellation = (eventId: string, sentences: number) => ({
  event_id: eventId,
  event_type: 'subscription_cancelled',
  user_id: 'user_abc123',
  timestamp: '2026-11-26T11:00:00Z',
  metadata: { plan: 'premium', reason: longReason(sentences) },
});

function postEvent(limits: WebhookLimits): OperationSpec {
  return {
    operationId: 'postEvent',
    summary: 'Send one event',
    description: 'Answers 202 once the event is durably queued, 200 when its event_id was seen before.',
    parameters: signatureHeaders,
    requestBody: {
      description: 'One event, as application/json (or application/*+json); any other media type is refused with 415.',
      schema: schemaRef('Event'),
      refusedMediaTypes,
    },
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
      ...webhookErrorExamples({
        valid: (name) => ({ ...signup, event_id: `evt_doc_${name}_1` }),
        oversized: cancellation('evt_doc_large_1', 6),
        limitBytes: smallLimits.maxEventBytes,
      }),
    },
  };
}

function postBatch(limits: WebhookLimits): OperationSpec {
  const batchEvent = (n: number | string) => ({ ...signup, event_id: `evt_doc_batch_${n}` });
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
      'one atomic step per queue partition (DAY15_PARTITIONS; one partition by default, so the whole batch). ' +
      'With several partitions the batch is atomic within each partition, not across them: if one partition ' +
      'fails, the whole request gets the error answer (503) though other partitions may have stored their ' +
      'events; the retry finds those as duplicates. An event is never answered 202 without being stored.',
    parameters: signatureHeaders,
    requestBody: {
      description: 'The events, as application/json (or application/*+json); any other media type is refused with 415.',
      schema: schemaRef('BatchRequest'),
      refusedMediaTypes,
    },
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
      ...webhookErrorExamples({
        valid: (name) => ({ events: [batchEvent(name)] }),
        oversized: { events: [cancellation('evt_doc_batch_large_1', 14), cancellation('evt_doc_batch_large_2', 14)] },
        limitBytes: smallLimits.maxBatchBytes,
      }),
      too_many_events: {
        summary: 'Over the event limit',
        receiver: smallLimitsReceiver,
        body: { events: [batchEvent('over_1'), batchEvent('over_2'), batchEvent('over_3')] },
        status: 413,
        response: {
          error: 'payload_too_large',
          message: `A batch holds at most ${smallLimits.maxBatchEvents} events`,
          limit_events: smallLimits.maxBatchEvents,
        },
      },
    },
  };
}

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
