import { validateEvent } from '../../../libs/events/index.js';
import { HttpError } from '../http-error.js';
import { countRejected, enqueueEvents, latencyMs } from './enqueue-events.js';
import type { Answer, WebhookContext } from './webhook-types.js';

/** The action of POST /webhook/events: one event; 202 once it is durably queued, 200 when it is a duplicate. */
export async function acceptEvent(body: unknown, ctx: WebhookContext): Promise<Answer> {
  const verdict = validateEvent(body);
  if (!verdict.ok) {
    countRejected(ctx, [body]);
    throw new HttpError({ status: 400, code: 'invalid_event', body: { details: verdict.issues } });
  }
  const { event } = verdict;
  const [outcome] = await enqueueEvents([event], ctx);
  if (outcome === 'duplicate')
    return { status: 200, body: { status: 'ignored', reason: 'duplicate_event', event_id: event.event_id } };
  return {
    status: 202,
    body: {
      status: 'accepted',
      event_id: event.event_id,
      queued_at: new Date(ctx.clock()).toISOString(),
      latency_ms: latencyMs(ctx.startedAt),
    },
  };
}
