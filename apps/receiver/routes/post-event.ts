import { validateEvent } from '../../../libs/events/index.js';
import { countRejected, enqueueEvents, latencyMs, type WebhookContext } from '../enqueue-events.js';
import { HttpError } from '../http-error.js';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

// POST /webhook/events: one event; 202 once it is durably queued, 200 when it is a duplicate.
export async function acceptEvent(body: unknown, ctx: WebhookContext): Promise<Answer> {
  const verdict = validateEvent(body);
  if (!verdict.ok) {
    countRejected(ctx, [body]);
    throw new HttpError({ status: 400, code: 'invalid_event', body: { details: verdict.issues } });
  }
  const { event } = verdict;
  const [outcome] = await enqueueEvents([event], ctx);
  if (outcome === 'duplicate') return { status: 200, body: { status: 'ignored', reason: 'duplicate_event', event_id: event.event_id } };
  return {
    status: 202,
    body: { status: 'accepted', event_id: event.event_id, queued_at: new Date(ctx.clock()).toISOString(), latency_ms: latencyMs(ctx.startedAt) },
  };
}
