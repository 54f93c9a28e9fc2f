import { eventTypes, type Day15Event, type EventType } from '../../../libs/events/index.js';
import { placementKey } from '../../../libs/analytics/index.js';
import type { EnqueueVerdict } from '../../../libs/queue/index.js';
import type { WebhookContext } from './webhook-types.js';

/** Stamps received_at on valid events and enqueues them in one atomic step; logs one line per event. */
export async function enqueueEvents(events: readonly Day15Event[], context: WebhookContext): Promise<EnqueueVerdict[]> {
  const receivedAt = new Date(context.receivedAt).toISOString();
  const verdicts = await context.queue.enqueue(
    events.map((event) => ({
      id: event.event_id,
      label: event.event_type,
      body: JSON.stringify({ ...event, received_at: receivedAt }),
      placementKey: placementKey(event),
    })),
    { maxReadyDepth: context.maxQueueDepth },
  );
  const latency = latencyMs(context.startedAt);
  events.forEach((event, i) => {
    if (verdicts[i] === 'accepted') {
      context.logger.info(`Event received: ${event.event_type} (${event.event_id}) - latency: ${latency.toFixed(2)}ms`);
    } else {
      context.logger.info(`Duplicate event ignored: ${event.event_type} (${event.event_id})`);
    }
  });
  return verdicts;
}

/** Counts rejected events by their claimed type for the intake metrics, off the request's critical path. */
export function countRejected(context: Pick<WebhookContext, 'queue' | 'logger'>, candidates: readonly unknown[]): void {
  const labels = candidates.map((candidate) => {
    const type = (candidate as { event_type?: unknown } | null)?.event_type;
    return typeof type === 'string' && eventTypes.includes(type as EventType) ? type : 'invalid';
  });
  context.queue
    .countRejected(labels)
    .catch((error: Error) => context.logger.debug('Counting rejected events failed', { error: error.message }));
}

/** Milliseconds since `startedAt` (a performance.now() reading), rounded to 0.01: the answers' latency_ms. */
export function latencyMs(startedAt: number): number {
  return Math.round((performance.now() - startedAt) * 100) / 100;
}
