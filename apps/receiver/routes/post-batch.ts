import { validateEvent, type Day15Event, type ValidationIssue } from '../../../libs/events/index.js';
import { countRejected, enqueueEvents, latencyMs, type WebhookContext } from '../enqueue-events.js';
import { HttpError } from '../http-error.js';
import type { Answer } from './post-event.js';

interface Rejection {
  index: number;
  event_id: string | null;
  error: 'invalid_event';
  details: ValidationIssue[];
}

// POST /webhook/batch: { "events": [...] }; every event gets its own verdict, the valid ones are queued
// together in one atomic step.
export async function acceptBatch(body: unknown, ctx: WebhookContext): Promise<Answer> {
  const events = readEnvelope(body, ctx.maxBatchEvents);
  const valid: Day15Event[] = [];
  const rejected: Rejection[] = [];
  events.forEach((candidate, index) => {
    const verdict = validateEvent(candidate);
    if (verdict.ok) valid.push(verdict.event);
    else rejected.push({ index, event_id: eventIdOf(candidate), error: 'invalid_event', details: verdict.issues });
  });
  countRejected(ctx, rejected.map((r) => events[r.index]));
  const summary = { total_events: events.length, results: { accepted: 0, duplicates: 0, errors: rejected.length }, rejected };
  if (valid.length === 0) {
    throw new HttpError({ status: 400, code: 'invalid_events', message: 'No event in the batch is valid', body: summary });
  }
  const verdicts = await enqueueEvents(valid, ctx);
  summary.results.accepted = verdicts.filter((v) => v === 'accepted').length;
  summary.results.duplicates = verdicts.length - summary.results.accepted;
  return { status: 202, body: { status: 'processed', ...summary, latency_ms: latencyMs(ctx.startedAt) } };
}

function readEnvelope(body: unknown, maxEvents: number): unknown[] {
  const invalid = (message: string) => new HttpError({ status: 400, code: 'invalid_batch', message });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('Body must be an object: { "events": [ ... ] }');
  const unknown = Object.keys(body).filter((key) => key !== 'events');
  if (unknown.length > 0) throw invalid(`Unknown field(s): ${unknown.join(', ')}; the body is { "events": [ ... ] }`);
  const { events } = body as { events?: unknown };
  if (!Array.isArray(events)) throw invalid('"events" must be an array of events');
  if (events.length === 0) throw invalid('"events" must hold at least one event');
  if (events.length > maxEvents) {
    throw new HttpError({
      status: 413, code: 'payload_too_large', message: `A batch holds at most ${maxEvents} events`, body: { limit_events: maxEvents },
    });
  }
  return events;
}

function eventIdOf(candidate: unknown): string | null {
  const id = (candidate as { event_id?: unknown } | null)?.event_id;
  return typeof id === 'string' ? id : null;
}
