import {
  validateBatchEnvelope,
  validateEvent,
  type Day15Event,
  type ValidationIssue,
} from '../../../libs/events/index.js';
import { HttpError } from '../http-error.js';
import { countRejected, enqueueEvents, latencyMs } from './enqueue-events.js';
import type { Answer, WebhookContext } from './webhook-types.js';

interface Rejection {
  index: number;
  event_id: string | null;
  error: 'invalid_event';
  details: ValidationIssue[];
}

/**
 * The action of POST /webhook/batch: { "events": [...] }; every event gets its own verdict, the valid ones
 * are queued together in one atomic step.
 */
export async function acceptBatch(body: unknown, ctx: WebhookContext): Promise<Answer> {
  const events = readBatchEnvelope(body, ctx.maxBatchEvents);
  const valid: Day15Event[] = [];
  const rejected: Rejection[] = [];
  events.forEach((candidate, index) => {
    const verdict = validateEvent(candidate);
    if (verdict.ok) valid.push(verdict.event);
    else rejected.push({ index, event_id: eventIdOf(candidate), error: 'invalid_event', details: verdict.issues });
  });
  countRejected(
    ctx,
    rejected.map((r) => events[r.index]),
  );
  const summary = {
    total_events: events.length,
    results: { accepted: 0, duplicates: 0, errors: rejected.length },
    rejected,
  };
  if (valid.length === 0) {
    throw new HttpError({
      status: 400,
      code: 'invalid_events',
      message: 'No event in the batch is valid',
      body: summary,
    });
  }
  const verdicts = await enqueueEvents(valid, ctx);
  summary.results.accepted = verdicts.filter((v) => v === 'accepted').length;
  summary.results.duplicates = verdicts.length - summary.results.accepted;
  return { status: 202, body: { status: 'processed', ...summary, latency_ms: latencyMs(ctx.startedAt) } };
}

/**
 * The batch envelope check, called once (first line of acceptBatch): the candidate events of
 * `{ "events": [...] }`; 400 invalid_batch for any other shape, 413 payload_too_large over maxEvents.
 */
function readBatchEnvelope(body: unknown, maxEvents: number): unknown[] {
  const verdict = validateBatchEnvelope(body, maxEvents);
  if (verdict.ok) return verdict.value.events;
  if (verdict.error === 'payload_too_large') {
    throw new HttpError({
      status: 413,
      code: verdict.error,
      message: verdict.message,
      body: { limit_events: verdict.limitEvents },
    });
  }
  throw new HttpError({ status: 400, code: verdict.error, message: verdict.message });
}

function eventIdOf(candidate: unknown): string | null {
  const id = (candidate as { event_id?: unknown } | null)?.event_id;
  return typeof id === 'string' ? id : null;
}
