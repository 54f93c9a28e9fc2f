import type { RequestHandler } from 'express';
import { validateEvent, type Day15Event, type ValidationIssue } from '../../../libs/events/index.js';
import { countRejected, enqueueEvents, latencyMs } from '../enqueue-events.js';
import { HttpError } from '../http-error.js';
import type { ReceiverDeps } from '../receiver-deps.js';

interface Rejection {
  index: number;
  event_id: string | null;
  error: 'invalid_event';
  details: ValidationIssue[];
}

// POST /webhook/batch: { "events": [...] }; every event gets its own verdict, the valid ones are queued
// together in one atomic step.
export function postBatch({ config, queue, logger }: ReceiverDeps): RequestHandler {
  return async (req, res) => {
    const startedAt = res.locals.startedAt as number;
    const events = readEnvelope(req.body, config.webhook.maxBatchEvents);
    const valid: Day15Event[] = [];
    const rejected: Rejection[] = [];
    events.forEach((candidate, index) => {
      const verdict = validateEvent(candidate);
      if (verdict.ok) valid.push(verdict.event);
      else rejected.push({ index, event_id: eventIdOf(candidate), error: 'invalid_event', details: verdict.issues });
    });
    countRejected({ queue, logger }, rejected.map((r) => events[r.index]));
    const summary = { total_events: events.length, results: { accepted: 0, duplicates: 0, errors: rejected.length }, rejected };
    if (valid.length === 0) {
      throw new HttpError({ status: 400, code: 'invalid_events', message: 'No event in the batch is valid', body: summary });
    }
    const verdicts = await enqueueEvents(valid, {
      queue, logger, maxQueueDepth: config.webhook.maxQueueDepth, receivedAt: res.locals.receivedAt as number, startedAt,
    });
    summary.results.accepted = verdicts.filter((v) => v === 'accepted').length;
    summary.results.duplicates = verdicts.length - summary.results.accepted;
    res.status(202).json({ status: 'processed', ...summary, latency_ms: latencyMs(startedAt) });
  };
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
