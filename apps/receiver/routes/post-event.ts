import type { RequestHandler } from 'express';
import { validateEvent } from '../../../libs/events/index.js';
import { countRejected, enqueueEvents, latencyMs } from '../enqueue-events.js';
import { HttpError } from '../http-error.js';
import type { ReceiverDeps } from '../receiver-deps.js';

// POST /webhook/events: one event; 202 once it is durably queued, 200 when it is a duplicate.
export function postEvent({ config, queue, logger, clock = Date.now }: ReceiverDeps): RequestHandler {
  return async (req, res) => {
    const startedAt = res.locals.startedAt as number;
    const receivedAt = res.locals.receivedAt as number;
    const verdict = validateEvent(req.body);
    if (!verdict.ok) {
      countRejected({ queue, logger }, [req.body]);
      throw new HttpError({ status: 400, code: 'invalid_event', body: { details: verdict.issues } });
    }
    const { event } = verdict;
    const [outcome] = await enqueueEvents([event], { queue, logger, maxQueueDepth: config.webhook.maxQueueDepth, receivedAt, startedAt });
    if (outcome === 'duplicate') {
      res.status(200).json({ status: 'ignored', reason: 'duplicate_event', event_id: event.event_id });
      return;
    }
    res.status(202).json({
      status: 'accepted',
      event_id: event.event_id,
      queued_at: new Date(clock()).toISOString(),
      latency_ms: latencyMs(startedAt),
    });
  };
}
