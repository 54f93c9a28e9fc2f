import type { Logger } from '../../../libs/logging/index.js';
import type { PartitionedQueue } from '../../../libs/queue/index.js';

/** What a webhook action answers on success: the status and JSON body (errors are thrown as HttpError). */
export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** What one webhook request needs: the receiver's collaborators and limits, and when it arrived. */
export interface WebhookContext {
  queue: Pick<PartitionedQueue, 'enqueue' | 'countRejected'>;
  logger: Logger;
  clock: () => number;
  maxQueueDepth: number;
  maxBatchEvents: number;
  /** When the request arrived: stamped on each event as received_at. */
  receivedAt: number;
  /** performance.now() at arrival, the start of latency_ms. */
  startedAt: number;
}

/** A webhook action: takes the parsed (and, when configured, signature-checked) body and answers it. */
export type WebhookAction = (body: unknown, ctx: WebhookContext) => Promise<Answer>;
