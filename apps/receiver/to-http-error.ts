import { BackpressureError, QueueUnavailableError, ReplicationTimeoutError } from '../../libs/queue/index.js';
import { HttpError } from './http-error.js';

/** The codes of the 503 answers: what day15_receiver_unavailable_total counts by `reason`. */
export const unavailableCodes = ['queue_unavailable', 'backpressure', 'replication_timeout'] as const;

/** What a sender is told with each 503 (also the OpenAPI examples of those answers). */
export const unavailableMessages = {
  queue_unavailable: 'The event queue is unreachable; retry later',
  backpressure: 'Too many events are waiting to be processed; retry later',
  replication_timeout:
    'The event reached the primary but not enough replicas in time (DAY15_REDIS_WAIT_REPLICAS); retry later',
} as const satisfies Record<(typeof unavailableCodes)[number], string>;

// Seconds a sender should wait before retrying when we cannot take events.
const retryAfterUnavailable = '1';
const retryAfterBackpressure = '5';

/**
 * Turns any error into an HTTP answer: 4xx answers say exactly what was wrong, 5xx answers say what the
 * sender should do and keep the details in the log.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof QueueUnavailableError) {
    return new HttpError({
      status: 503,
      code: 'queue_unavailable',
      message: unavailableMessages.queue_unavailable,
      headers: { 'Retry-After': retryAfterUnavailable },
    });
  }
  if (error instanceof ReplicationTimeoutError) {
    return new HttpError({
      status: 503,
      code: 'replication_timeout',
      message: unavailableMessages.replication_timeout,
      headers: { 'Retry-After': retryAfterUnavailable },
    });
  }
  if (error instanceof BackpressureError) {
    return new HttpError({
      status: 503,
      code: 'backpressure',
      message: unavailableMessages.backpressure,
      body: { queue_depth: error.depth },
      headers: { 'Retry-After': retryAfterBackpressure },
    });
  }
  // Express and its router mark client errors with a 4xx `status` (e.g. a malformed %-escape in a path).
  const { status, message } = error as { status?: unknown; message?: string };
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError({ status, code: 'bad_request', message: message ?? 'Bad request' });
  }
  return new HttpError({ status: 500, code: 'internal_error', message: 'Internal error' });
}
