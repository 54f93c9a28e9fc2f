import { decodeSecret, signPayload } from '../../../libs/events/index.js';
import { unavailableMessages } from '../to-http-error.js';
import type { ExampleSpec, JsonObject, ResponseSpec } from './openapi-types.js';
import {
  exampleSecret,
  queueFullReceiver,
  redisUnreachableReceiver,
  signedReceiver,
  smallLimitsReceiver,
} from './receiver-conditions.js';
import { schemaRef } from './request-schemas.js';

// The answers both webhooks share (signature, size, content type, queue), and an example of each with the
// request and the receiver that get it.

const retryAfter = { description: 'seconds to wait before retrying', schema: { type: 'integer' } };

/** The answers both webhooks share: signature, size, content type and queue failures. */
export function webhookErrors(maxBytesNote: string): Record<number, ResponseSpec> {
  return {
    401: {
      description:
        'With DAY15_WEBHOOK_SECRETS set: the signature is missing or wrong (`invalid_signature`), or its ' +
        'timestamp is outside DAY15_SIGNATURE_TOLERANCE_SECONDS (`stale_timestamp`, checked first).',
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

/** The request body media type the examples show refused with 415. */
export const refusedMediaTypes: Record<string, JsonObject> = {
  'text/plain': {
    type: 'string',
    description:
      'Refused with 415 `unsupported_media_type`, as is every type but application/json (or application/*+json).',
  },
};

/** What one webhook's error examples send: a valid body, one over the byte limit, and that limit. */
export interface WebhookErrorBodies {
  /** A valid body whose event ids end in `name`, so every example's ids are its own. */
  valid: (name: string) => unknown;
  oversized: unknown;
  limitBytes: number;
}

// Far in the past, so the signed example is refused the same way whenever it is sent.
const staleTimestamp = '1700000000';

/** The error examples of a webhook: each with the request, and the receiver condition, that get its answer. */
export function webhookErrorExamples({
  valid,
  oversized,
  limitBytes,
}: WebhookErrorBodies): Record<string, ExampleSpec> {
  const staleBody = valid('stale');
  const staleId = 'msg_doc_stale_1';
  return {
    invalid_signature: {
      summary: 'Not signed',
      description: 'No webhook-id, webhook-timestamp or webhook-signature, to a receiver that checks signatures.',
      receiver: signedReceiver,
      body: valid('unsigned'),
      status: 401,
      response: { error: 'invalid_signature' },
    },
    stale_timestamp: {
      summary: 'Signed too long ago',
      description:
        'Signed with the example secret over the body as compact JSON, at 2023-11-14T22:13:20Z: long outside ' +
        'the tolerance, so the timestamp is refused before the signature is compared.',
      receiver: signedReceiver,
      params: {
        'webhook-id': staleId,
        'webhook-timestamp': staleTimestamp,
        'webhook-signature': `v1,${signPayload(decodeSecret(exampleSecret), staleId, staleTimestamp, Buffer.from(JSON.stringify(staleBody)))}`,
      },
      body: staleBody,
      status: 401,
      response: { error: 'stale_timestamp' },
    },
    too_many_bytes: {
      summary: 'Body over the byte limit',
      receiver: smallLimitsReceiver,
      body: oversized,
      status: 413,
      response: {
        error: 'payload_too_large',
        message: `Request body is larger than ${limitBytes} bytes`,
        limit_bytes: limitBytes,
      },
    },
    unsupported_media_type: {
      summary: 'Not JSON',
      description: 'Sent as text/plain.',
      mediaType: 'text/plain',
      body: 'user_signup user_abc123',
      status: 415,
      response: { error: 'unsupported_media_type', message: 'Content-Type must be application/json' },
    },
    queue_unavailable: {
      summary: 'Redis unreachable',
      receiver: redisUnreachableReceiver,
      body: valid('no_redis'),
      status: 503,
      response: { error: 'queue_unavailable', message: unavailableMessages.queue_unavailable },
    },
    backpressure: {
      summary: 'Backlog full',
      receiver: queueFullReceiver,
      body: valid('backlog'),
      status: 503,
      response: {
        error: 'backpressure',
        message: unavailableMessages.backpressure,
        queue_depth: 1,
      },
    },
  };
}
