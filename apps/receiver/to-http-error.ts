import { BackpressureError, QueueUnavailableError } from '../../libs/queue/index.js';
import { HttpError } from './http-error.js';

// Seconds a sender should wait before retrying when we cannot take events.
const retryAfterUnavailable = '1';
const retryAfterBackpressure = '5';

// Turns any error into an HTTP answer: 4xx answers say exactly what was wrong, 5xx answers say what the
// sender should do and keep the details in the log.
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof QueueUnavailableError) {
    return new HttpError({
      status: 503, code: 'queue_unavailable', message: 'The event queue is unreachable; retry later',
      headers: { 'Retry-After': retryAfterUnavailable },
    });
  }
  if (error instanceof BackpressureError) {
    return new HttpError({
      status: 503, code: 'backpressure', message: 'Too many events are waiting to be processed; retry later',
      body: { queue_depth: error.depth }, headers: { 'Retry-After': retryAfterBackpressure },
    });
  }
  const parserError = error as { type?: string; status?: number; limit?: number; message?: string };
  if (parserError.type === 'entity.too.large') {
    return new HttpError({
      status: 413, code: 'payload_too_large', message: `Request body is larger than ${parserError.limit} bytes`,
      body: { limit_bytes: parserError.limit },
    });
  }
  if (parserError.type && parserError.status && parserError.status >= 400 && parserError.status < 500) {
    return new HttpError({ status: parserError.status, code: 'bad_request', message: parserError.message ?? 'Bad request' });
  }
  return new HttpError({ status: 500, code: 'internal_error', message: 'Internal error' });
}
