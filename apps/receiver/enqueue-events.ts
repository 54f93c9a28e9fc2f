import type { Day15Event } from '../../libs/events/index.js';
import type { Logger } from '../../libs/logging/index.js';
import type { EnqueueVerdict, ReliableQueue } from '../../libs/queue/index.js';

export interface EnqueueContext {
  queue: Pick<ReliableQueue, 'enqueue'>;
  logger: Logger;
  maxQueueDepth: number;
  /** When the request arrived: stamped on each event as received_at, and the start of latency. */
  receivedAt: number;
  startedAt: number;
}

// Stamps received_at on valid events and enqueues them in one atomic step; logs one line per event.
export async function enqueueEvents(events: readonly Day15Event[], context: EnqueueContext): Promise<EnqueueVerdict[]> {
  const receivedAt = new Date(context.receivedAt).toISOString();
  const verdicts = await context.queue.enqueue(
    events.map((event) => ({ id: event.event_id, body: JSON.stringify({ ...event, received_at: receivedAt }) })),
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

export function latencyMs(startedAt: number): number {
  return Math.round((performance.now() - startedAt) * 100) / 100;
}
